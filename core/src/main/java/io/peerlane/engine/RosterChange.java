package io.peerlane.engine;

import io.peerlane.state.RegistryView;

import java.util.Arrays;

/**
 * An observer registration or removal travelling through the ring as a control event. Every stage applies
 * it to its own list when it reaches the event's sequence, so the cut is at one sequence in every stage:
 * the commit stage takes the snapshot of the state before the event, and the publish stage hands that
 * snapshot to a new observer before any later event, with no gap and no duplicate. A best-effort observer
 * that was overrun is re-synchronised the same way (RESYNC): only its publish lane acts on that. At an
 * UNREGISTER a best-effort observer's publish lane queues STOP for its relay after the last event it is owed.
 * <p>
 * Each stage calls its own method of {@link ControlEvent}; a lane acts only for an observer placed on it.
 */
final class RosterChange implements ControlEvent
{
    enum Kind
    {
        REGISTER, UNREGISTER, RESYNC
    }

    final Kind kind;
    final ObserverHandle handle;
    /** Set by the commit stage: the registry as of the sequence before this event. */
    volatile RegistryView snapshot;

    RosterChange(final Kind kind, final ObserverHandle handle)
    {
        this.kind = kind;
        this.handle = handle;
    }

    @Override
    public void onPrepare(final PrepareLane lane)
    {
        if (kind != Kind.RESYNC && handle.isCritical() && handle.prepareLane == lane.lane)
        {
            lane.voters = apply(lane.voters);
            if (kind == Kind.UNREGISTER && null != handle.voteRunner)
            {
                // Its last vote is behind this lane: its thread may go (after a vote still running returns).
                handle.voteRunner.close();
            }
        }
    }

    @Override
    public void onCommit(final CommitStage commit)
    {
        snapshot = commit.registry.view();
        if (kind != Kind.RESYNC && handle.isCritical())
        {
            commit.voters = apply(commit.voters);
        }
    }

    @Override
    public void onPublish(final PublishLane lane)
    {
        if (handle.publishLane != lane.lane)
        {
            return;
        }
        final BestEffortRelay relay = handle.relay;
        switch (kind)
        {
            case RESYNC:
                relay.resync(snapshot);
                break;
            case REGISTER:
                if (null != relay)
                {
                    relay.registered(snapshot);
                }
                else
                {
                    lane.snapshot(handle, snapshot);
                }
                lane.observers = apply(lane.observers);
                break;
            case UNREGISTER:
                // The cut: everything before it has been handed over on this lane (or queued for the relay,
                // which stops after it).
                if (null != relay)
                {
                    relay.stop();
                }
                else
                {
                    handle.cutDelivered = true;
                }
                handle.state = ObserverHandle.State.UNREGISTERED;
                lane.observers = apply(lane.observers);
                break;
            default:
                break;
        }
    }

    /** The stage's new list: the old one with the observer added at the end, or without it. */
    ObserverHandle[] apply(final ObserverHandle[] observers)
    {
        if (kind == Kind.REGISTER)
        {
            final ObserverHandle[] grown = Arrays.copyOf(observers, observers.length + 1);
            grown[observers.length] = handle;
            return grown;
        }
        int n = 0;
        final ObserverHandle[] shrunk = new ObserverHandle[observers.length];
        for (final ObserverHandle o : observers)
        {
            if (o != handle)
            {
                shrunk[n++] = o;
            }
        }
        return Arrays.copyOf(shrunk, n);
    }
}
