package io.peerlane.subsystem.kademlia;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Change;
import io.peerlane.state.RegistryView;

import java.util.Comparator;
import java.util.List;

/**
 * Keeps a {@link KademliaTable} following the registry's committed events: an added, updated or touched
 * peer is seen (moved to the most-recently-seen end), a removed one leaves the table.
 * <p>
 * The table is made with {@link KademliaSettings#keepAllCandidates()} on, because the registry is the
 * source of truth: a bucket with room must be able to take any eligible live peer of its range, even one
 * its bounded replacement cache would have forgotten.
 * <p>
 * A REMOVED event removes the peer from the table (reported to the table's listener as
 * {@link RemovalCause#LEFT}). The node's DHT drives liveness from its own thread: it pings
 * {@link KademliaTable#pendingCandidates()} and answers with {@link KademliaTable#markAlive} or
 * {@link KademliaTable#markDead}; the table's monitor orders those calls with this observer's. A peer marked
 * dead is out of the table until the registry reports it again (an update or a touch).
 * <p>
 * {@link #onEvent} walks the event's changes by index and calls the table's {@link KademliaTable#add} and
 * {@link KademliaTable#remove}, which allocate nothing in steady state; only {@link #onSnapshot}, a
 * resynchronisation, allocates (the sorted copy of the snapshot).
 */
public final class KademliaObserver implements PeerObserver
{
    /** The name this observer registers under by default. */
    public static final String NAME = "kademlia";

    private static final Comparator<PeerRecord> LEAST_RECENTLY_SEEN_FIRST =
        Comparator.comparingLong(PeerRecord::lastSeen).thenComparing(PeerRecord::id);

    private final KademliaTable table;

    /**
     * @param localId the local node's id; the table's settings are the {@code peerlane.kademlia.*} system
     *                properties over the defaults ({@link KademliaSettings#fromSystemProperties()}).
     */
    public KademliaObserver(final NodeId localId)
    {
        this(localId, KademliaSettings.fromSystemProperties().build());
    }

    /**
     * @param localId  the local node's id.
     * @param settings the table's limits; {@code keepAllCandidates} is turned on.
     */
    public KademliaObserver(final NodeId localId, final KademliaSettings settings)
    {
        this.table = new KademliaTable(localId, settings.toBuilder().keepAllCandidates(true).build());
    }

    /** @return the table, for queries from any thread. */
    public KademliaTable table()
    {
        return table;
    }

    /**
     * Rebuilds the table from the snapshot, least recently seen first, so that full buckets keep the
     * longest-known peers as they would have by following events.
     */
    @Override
    public void onSnapshot(final RegistryView snapshot)
    {
        table.clear();
        final List<PeerRecord> records = snapshot.sortedById();
        records.sort(LEAST_RECENTLY_SEEN_FIRST);
        for (int i = 0; i < records.size(); i++)
        {
            table.add(records.get(i));
        }
    }

    @Override
    public void onEvent(final RegistryEvent event)
    {
        for (int i = 0, n = event.changeCount(); i < n; i++)
        {
            final Change c = event.change(i);
            switch (c.type())
            {
                case ADDED:
                case UPDATED:
                case TOUCHED:
                    table.add(c.record());
                    break;
                case REMOVED:
                    table.remove(c.id());
                    break;
                default:
                    throw new IllegalStateException("unknown change " + c.type());
            }
        }
    }

    @Override
    public String toString()
    {
        return NAME + " " + table;
    }
}
