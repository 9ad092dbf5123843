package io.peerlane.observer;

import io.peerlane.peer.PeerRecord;
import io.peerlane.state.RegistryView;

/**
 * A subsystem that follows the registry: a DHT routing table, a mesh topology, a validator set, anything a
 * node plugs in. Its role is chosen when it is registered ({@link ObserverRole}).
 * <p>
 * Callbacks run on the engine's stage threads (a best-effort observer's on a thread of its own), one at a
 * time per observer, in commit order. An exception is counted against the observer and never stops the
 * pipeline. A callback may call back into the engine, within the rules of {@code PeerlaneEngine}: it may
 * publish without awaiting, register observers, and unregister any observer, itself included.
 */
public interface PeerObserver
{
    /**
     * A critical observer's vote, in the prepare stage, before the commit stage sees the upsert. Prepare
     * runs ahead of commit, so the vote may depend only on the record and the observer's own settings,
     * never on registry state (a check that needs state is an admission rule).
     *
     * @param proposed the record being upserted.
     * @return ACCEPT, or REJECT to make the upsert ABORTED naming this observer.
     */
    default Vote vote(final PeerRecord proposed)
    {
        return Vote.ACCEPT;
    }

    /**
     * The registry as of the sequence just before this observer's first event; called once when it is
     * registered, and again after an overrun (best-effort observers).
     *
     * @param snapshot the registry at that point.
     */
    default void onSnapshot(final RegistryView snapshot)
    {
    }

    /**
     * One committed event line.
     *
     * @param event the event, valid only during the call.
     */
    void onEvent(RegistryEvent event);

    /**
     * A best-effort observer fell a whole ring behind: the events after {@code lastSeenSeq} up to the
     * snapshot that follows were skipped. When the observer is overrun at its cut (it is unregistered, or
     * the engine closes), this is its last callback and no snapshot follows: the events after
     * {@code lastSeenSeq} up to the cut were skipped.
     *
     * @param lastSeenSeq the seq of the last event it was given.
     */
    default void onOverrun(final long lastSeenSeq)
    {
    }
}
