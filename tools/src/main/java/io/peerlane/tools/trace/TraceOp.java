package io.peerlane.tools.trace;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

import java.util.Objects;

/**
 * One op line of a trace: immutable, validated, and tagged with its line number so that outcome lines and
 * errors can name it.
 * <p>
 * It is a {@link Mutation} with no vote: {@link #refusedBy(int)} is always null, because votes belong to
 * whoever replays the trace (the trace runner decides the validator-set vote, the engine runs its critical
 * observers).
 */
public final class TraceOp implements Mutation
{
    private final int line;
    private final MutationKind kind;
    private final long time;
    private final PeerRecord record;
    private final NodeId id;
    private final long lastSeen;
    private final Batch batch;
    private final Ban ban;

    private TraceOp(
        final int line,
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban)
    {
        this.line = line;
        this.kind = kind;
        this.time = time;
        this.record = record;
        this.id = id;
        this.lastSeen = lastSeen;
        this.batch = batch;
        this.ban = ban;
    }

    /** @param line line number. @param t event time. @param record the record. @return an upsert. */
    public static TraceOp upsert(final int line, final long t, final PeerRecord record)
    {
        return new TraceOp(line, MutationKind.UPSERT, t, Objects.requireNonNull(record), null, 0, null, null);
    }

    /** @param line line number. @param t event time. @param id the peer. @return a remove. */
    public static TraceOp remove(final int line, final long t, final NodeId id)
    {
        return new TraceOp(line, MutationKind.REMOVE, t, null, Objects.requireNonNull(id), 0, null, null);
    }

    /**
     * @param line     line number.
     * @param t        event time.
     * @param id       the peer.
     * @param lastSeen the liveness time.
     * @return a touch.
     */
    public static TraceOp touch(final int line, final long t, final NodeId id, final long lastSeen)
    {
        return new TraceOp(line, MutationKind.TOUCH, t, null, Objects.requireNonNull(id), lastSeen, null, null);
    }

    /** @param line line number. @param t event time. @param batch the ops. @return a batch. */
    public static TraceOp batch(final int line, final long t, final Batch batch)
    {
        return new TraceOp(line, MutationKind.BATCH, t, null, null, 0, Objects.requireNonNull(batch), null);
    }

    /** @param line line number. @param t event time. @return a tick. */
    public static TraceOp tick(final int line, final long t)
    {
        return new TraceOp(line, MutationKind.TICK, t, null, null, 0, null, null);
    }

    /** @param line line number. @param t event time. @param ban the ban. @return a ban. */
    public static TraceOp ban(final int line, final long t, final Ban ban)
    {
        return new TraceOp(line, MutationKind.BAN, t, null, null, 0, null, Objects.requireNonNull(ban));
    }

    /** @param line line number. @param t event time. @param ban what to lift. @return an unban. */
    public static TraceOp unban(final int line, final long t, final Ban ban)
    {
        return new TraceOp(line, MutationKind.UNBAN, t, null, null, 0, null, Objects.requireNonNull(ban));
    }

    /** @return the line number in the trace file, from 1. */
    public int line()
    {
        return line;
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    @Override
    public long time()
    {
        return time;
    }

    @Override
    public PeerRecord record()
    {
        return record;
    }

    @Override
    public NodeId id()
    {
        return id;
    }

    @Override
    public long lastSeen()
    {
        return lastSeen;
    }

    @Override
    public Batch batch()
    {
        return batch;
    }

    @Override
    public Ban ban()
    {
        return ban;
    }

    @Override
    public String refusedBy(final int op)
    {
        return null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return null;
    }

    /**
     * Equality as JSON values: the same op with the same fields, whatever line it stands on.
     *
     * @param other another op.
     * @return whether the two ops are equal but for their line numbers.
     */
    public boolean sameOp(final TraceOp other)
    {
        return kind == other.kind && time == other.time && Objects.equals(record, other.record) &&
            Objects.equals(id, other.id) && lastSeen == other.lastSeen && sameBatch(batch, other.batch) &&
            sameBan(ban, other.ban);
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof TraceOp && line == ((TraceOp)o).line && sameOp((TraceOp)o));
    }

    @Override
    public int hashCode()
    {
        return (line * 31 + kind.hashCode()) * 31 + Long.hashCode(time);
    }

    @Override
    public String toString()
    {
        return "line " + line + " " + kind + " t=" + time +
            (null != record ? " " + record : "") + (null != id ? " " + id : "") +
            (null != batch ? " x" + batch.size() : "") + (null != ban ? " " + ban : "");
    }

    private static boolean sameBatch(final Batch a, final Batch b)
    {
        if (null == a || null == b)
        {
            return a == b;
        }
        if (a.size() != b.size())
        {
            return false;
        }
        for (int i = 0; i < a.size(); i++)
        {
            if (a.isUpsert(i) != b.isUpsert(i) ||
                !(a.isUpsert(i) ? a.record(i).equals(b.record(i)) : a.removeId(i).equals(b.removeId(i))))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBan(final Ban a, final Ban b)
    {
        if (null == a || null == b)
        {
            return a == b;
        }
        return a.kind() == b.kind() && a.value().equals(b.value()) && a.until() == b.until();
    }
}
