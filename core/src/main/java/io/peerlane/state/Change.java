package io.peerlane.state;

import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.RemoveCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * One committed change to one peer. A flyweight owned by a ring slot: valid while the observer callback
 * that received it runs; keep the {@link PeerRecord} (immutable), not the change.
 */
public final class Change
{
    private ChangeType type;
    private PeerRecord record;
    private long previousVersion;
    private RemoveCause cause;
    private long lastSeen;

    void set(
        final ChangeType type, final PeerRecord record, final long previousVersion, final RemoveCause cause,
        final long lastSeen)
    {
        // Reference stores into this reused object are GC write barriers: write only what changed.
        this.lastSeen = lastSeen;
        if (this.type != type)
        {
            this.type = type;
        }
        this.record = record;
        this.previousVersion = previousVersion;
        if (this.cause != cause)
        {
            this.cause = cause;
        }
    }

    /** @return what happened. */
    public ChangeType type()
    {
        return type;
    }

    /** @return the peer's id. */
    public NodeId id()
    {
        return record.id();
    }

    /**
     * @return the record as stored after the change (ADDED, UPDATED, TOUCHED), or the last record held
     * (REMOVED).
     */
    public PeerRecord record()
    {
        return record;
    }

    /** @return the version replaced by an UPDATED change, -1 otherwise. */
    public long previousVersion()
    {
        return previousVersion;
    }

    /** @return why a REMOVED change happened, null otherwise. */
    public RemoveCause cause()
    {
        return cause;
    }

    /**
     * @return the registry's {@code lastSeen} of the peer after this change: the record's own for an add or
     * an update, the touched value for TOUCHED, the last one held for REMOVED.
     */
    public long lastSeen()
    {
        return lastSeen;
    }

    @Override
    public String toString()
    {
        return type + " " + record.id() + " v" + record.version() + (null == cause ? "" : " " + cause);
    }
}
