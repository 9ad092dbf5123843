package io.peerlane.mutation;

import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

import java.util.Objects;


/**
 * One input op as an immutable value: read back from a journal or a trace, made by a workload generator,
 * copied from a ring slot ({@link #copyOf}), or made by hand with the factories below. It is the one value
 * type for a mutation; the engine's ring slot is the other {@link Mutation}, preallocated and reused.
 * <p>
 * Its vote refusals are fixed when it is made (none unless a factory is given them), so committing it applies
 * every refusal as it was, whatever observers are registered now. A trace or a workload op carries none: its
 * votes belong to whoever replays it, which wraps it in a vote (the tools' {@code VotedMutation}).
 * <p>
 * The factories check that the parts of their kind are there; the constructor is the raw one, for a decoder
 * that checks the bytes itself and for tests that hand the API a malformed op.
 */
public final class MutationValue implements Mutation
{
    private final MutationKind kind;
    private final long time;
    private final PeerRecord record;
    private final NodeId id;
    private final long lastSeen;
    private final Batch batch;
    private final Ban ban;
    private final String[] refusedBy;
    private final AbortCause[] refusalCauses;

    /**
     * Any op from its parts, unchecked: what a decoder that has checked the bytes makes, or a test that hands
     * the API a malformed op. The factories below are the checked way to make one.
     *
     * @param kind          the op, or null.
     * @param time          event time.
     * @param record        the record of an UPSERT, or null.
     * @param id            the peer of a REMOVE or TOUCH, or null.
     * @param lastSeen      the liveness time of a TOUCH.
     * @param batch         the ops of a BATCH, or null.
     * @param ban           the ban of a BAN or UNBAN, or null.
     * @param refusedBy     per op, the refusing observer's name or null; or null for none. Copied.
     * @param refusalCauses per op, why it was refused; or null for none. Copied.
     */
    public MutationValue(
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban,
        final String[] refusedBy,
        final AbortCause[] refusalCauses)
    {
        this.kind = kind;
        this.time = time;
        this.record = record;
        this.id = id;
        this.lastSeen = lastSeen;
        this.batch = batch;
        this.ban = ban;
        this.refusedBy = null == refusedBy ? null : refusedBy.clone();
        this.refusalCauses = null == refusalCauses ? null : refusalCauses.clone();
    }

    /**
     * An immutable copy of any op as the commit stage sees it, with the refusal of every upsert op fixed:
     * for keeping an op past its ring slot (an outcome listener's record of the commit order).
     *
     * @param m the op, read now.
     * @return its copy.
     */
    public static MutationValue copyOf(final Mutation m)
    {
        final MutationKind kind = m.kind();
        final int ops = kind == MutationKind.BATCH ? m.batch().size() : kind == MutationKind.UPSERT ? 1 : 0;
        String[] refusedBy = null;
        AbortCause[] causes = null;
        for (int op = 0; op < ops; op++)
        {
            final String name = m.refusedBy(op);
            if (null != name)
            {
                if (null == refusedBy)
                {
                    refusedBy = new String[ops];
                    causes = new AbortCause[ops];
                }
                refusedBy[op] = name;
                causes[op] = m.refusalCause(op);
            }
        }
        return new MutationValue(kind, m.time(), m.record(), m.id(), m.lastSeen(), m.batch(), m.ban(), refusedBy, causes);
    }

    /** @param time event time. @param record the record. @return an upsert every vote accepts. */
    public static MutationValue upsert(final long time, final PeerRecord record)
    {
        return upsert(time, record, null, null);
    }

    /**
     * @param time      event time.
     * @param record    the record.
     * @param refusedBy the refusing observer's name (cause VETO), or null when every vote accepts.
     * @return an upsert.
     */
    public static MutationValue upsert(final long time, final PeerRecord record, final String refusedBy)
    {
        return upsert(time, record, refusedBy, AbortCause.VETO);
    }

    /**
     * @param time      event time.
     * @param record    the record.
     * @param refusedBy the refusing observer's name, or null when every vote accepts.
     * @param cause     why it refused; ignored when {@code refusedBy} is null.
     * @return an upsert.
     */
    public static MutationValue upsert(
        final long time, final PeerRecord record, final String refusedBy, final AbortCause cause)
    {
        return new MutationValue(MutationKind.UPSERT, time, Objects.requireNonNull(record, "record"), null, 0, null,
            null, null == refusedBy ? null : new String[]{ refusedBy },
            null == refusedBy ? null : new AbortCause[]{ Objects.requireNonNull(cause, "cause") });
    }

    /** @param time event time. @param batch the ops. @return a batch every vote accepts. */
    public static MutationValue batch(final long time, final Batch batch)
    {
        return batch(time, batch, null, null);
    }

    /**
     * @param time      event time.
     * @param batch     the ops.
     * @param refusedBy per op, the refusing observer's name (cause VETO) or null; or null for none.
     * @return a batch.
     */
    public static MutationValue batch(final long time, final Batch batch, final String[] refusedBy)
    {
        AbortCause[] causes = null;
        if (null != refusedBy)
        {
            causes = new AbortCause[refusedBy.length];
            for (int i = 0; i < refusedBy.length; i++)
            {
                causes[i] = null == refusedBy[i] ? null : AbortCause.VETO;
            }
        }
        return batch(time, batch, refusedBy, causes);
    }

    /**
     * @param time      event time.
     * @param batch     the ops.
     * @param refusedBy per op, the refusing observer's name or null; or null for none. Copied.
     * @param causes    per op, why it was refused; or null for none. Copied.
     * @return a batch.
     */
    public static MutationValue batch(
        final long time, final Batch batch, final String[] refusedBy, final AbortCause[] causes)
    {
        return new MutationValue(MutationKind.BATCH, time, null, null, 0, Objects.requireNonNull(batch, "batch"), null,
            refusedBy, causes);
    }

    /** @param time event time. @param id the peer. @return a remove. */
    public static MutationValue remove(final long time, final NodeId id)
    {
        return new MutationValue(MutationKind.REMOVE, time, null, Objects.requireNonNull(id, "id"), 0, null, null, null,
            null);
    }

    /** @param time event time. @param id the peer. @param lastSeen liveness. @return a touch. */
    public static MutationValue touch(final long time, final NodeId id, final long lastSeen)
    {
        return new MutationValue(MutationKind.TOUCH, time, null, Objects.requireNonNull(id, "id"), lastSeen, null, null,
            null, null);
    }

    /** @param time event time. @return a tick. */
    public static MutationValue tick(final long time)
    {
        return new MutationValue(MutationKind.TICK, time, null, null, 0, null, null, null, null);
    }

    /** @param time event time. @param ban what to ban. @return a ban. */
    public static MutationValue ban(final long time, final Ban ban)
    {
        return ban(time, ban, false);
    }

    /** @param time event time. @param ban what to lift. @return an unban. */
    public static MutationValue unban(final long time, final Ban ban)
    {
        return ban(time, ban, true);
    }

    /** @param time event time. @param ban what to ban. @param lift true for an unban. @return a ban or an unban. */
    public static MutationValue ban(final long time, final Ban ban, final boolean lift)
    {
        return new MutationValue(lift ? MutationKind.UNBAN : MutationKind.BAN, time, null, null, 0, null,
            Objects.requireNonNull(ban, "ban"), null, null);
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    /** @return the event time: for a recorded op, the time the commit stage used. */
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
        return null == refusedBy || op < 0 || op >= refusedBy.length ? null : refusedBy[op];
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return null == refusalCauses || op < 0 || op >= refusalCauses.length ? null : refusalCauses[op];
    }

    /**
     * Equality as values: the same op with the same fields and the same refusals.
     *
     * @param o another object.
     * @return whether it is an equal op.
     */
    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof MutationValue))
        {
            return false;
        }
        final MutationValue that = (MutationValue)o;
        if (kind != that.kind || time != that.time || lastSeen != that.lastSeen || !Objects.equals(record, that.record) ||
            !Objects.equals(id, that.id) || !sameBatch(batch, that.batch) || !sameBan(ban, that.ban))
        {
            return false;
        }
        final int ops = Math.max(null == refusedBy ? 0 : refusedBy.length, null == that.refusedBy ? 0 : that.refusedBy.length);
        for (int op = 0; op < ops; op++)
        {
            if (!Objects.equals(refusedBy(op), that.refusedBy(op)) || refusalCause(op) != that.refusalCause(op))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        return (Objects.hashCode(kind) * 31 + Long.hashCode(time)) * 31 + Objects.hashCode(null != record ? record : id);
    }

    @Override
    public String toString()
    {
        final StringBuilder s = new StringBuilder();
        s.append(kind).append(" t=").append(time);
        if (null != kind)
        {
            switch (kind)
            {
                case UPSERT:
                    s.append(' ').append(record);
                    break;
                case REMOVE:
                    s.append(' ').append(id);
                    break;
                case TOUCH:
                    s.append(' ').append(id).append(" lastSeen=").append(lastSeen);
                    break;
                case BATCH:
                    s.append(" of ").append(null == batch ? 0 : batch.size());
                    break;
                case BAN:
                case UNBAN:
                    s.append(' ').append(ban);
                    break;
                default:
                    break;
            }
        }
        if (null != refusedBy)
        {
            for (int op = 0; op < refusedBy.length; op++)
            {
                if (null != refusedBy[op])
                {
                    s.append(" [vote ").append(op).append(": ").append(refusedBy[op]).append(' ')
                        .append(refusalCause(op)).append(']');
                }
            }
        }
        return s.toString();
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
