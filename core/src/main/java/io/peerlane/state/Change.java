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
    private static final ChangeType[] TYPES = ChangeType.values();
    private static final RemoveCause[] CAUSES = RemoveCause.values();
    private static final byte NONE = -1;

    // The type and cause are kept as ordinals: a reference store into this long-lived object is a GC write
    // barrier (see CommitResult), and they change from one op to the next as often as the record does.
    private byte type = NONE;
    /** Where this change's record is kept: {@link #records}[{@link #index}] (see {@link CommitResult}). */
    private final PeerRecord[] records;
    private final int index;
    private long previousVersion;
    private byte cause = NONE;
    private long lastSeen;

    /** A change that keeps its record in an array of its own. */
    Change()
    {
        this(new PeerRecord[1], 0);
    }

    /**
     * A change that keeps its record at {@code records[index]}, an array it shares with the same change of
     * other results (see {@link CommitResult#CommitResult(PeerRecord[], int)}).
     */
    Change(final PeerRecord[] records, final int index)
    {
        this.records = records;
        this.index = index;
    }

    void set(
        final ChangeType type, final PeerRecord record, final long previousVersion, final RemoveCause cause,
        final long lastSeen)
    {
        this.lastSeen = lastSeen;
        this.type = (byte)type.ordinal();
        records[index] = record;
        this.previousVersion = previousVersion;
        this.cause = null == cause ? NONE : (byte)cause.ordinal();
    }

    /** @return what happened. */
    public ChangeType type()
    {
        return NONE == type ? null : TYPES[type];
    }

    /** @return the peer's id. */
    public NodeId id()
    {
        return records[index].id();
    }

    /**
     * @return the record as stored after the change (ADDED, UPDATED, TOUCHED), or the last record held
     * (REMOVED).
     */
    public PeerRecord record()
    {
        return records[index];
    }

    /** @return the version replaced by an UPDATED change, -1 otherwise. */
    public long previousVersion()
    {
        return previousVersion;
    }

    /** @return why a REMOVED change happened, null otherwise. */
    public RemoveCause cause()
    {
        return NONE == cause ? null : CAUSES[cause];
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
        final PeerRecord record = records[index];
        return type() + " " + record.id() + " v" + record.version() + (NONE == cause ? "" : " " + cause());
    }
}
