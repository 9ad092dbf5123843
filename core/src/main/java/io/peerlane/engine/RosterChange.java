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
 */
final class RosterChange
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
