package io.peerlane.journal;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/**
 * An immutable op: read back from a journal, copied from a ring slot ({@link #copyOf}), or made by hand with
 * the factories below. Its vote refusals are the recorded ones, so committing it applies every refusal as it
 * was, whatever observers are registered now.
 */
public final class RecordedMutation implements Mutation
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
     * An immutable copy of any op as the commit stage sees it, with the refusal of every upsert op fixed:
     * for keeping an op past its ring slot (an outcome listener's record of the commit order).
     *
     * @param m the op, read now.
     * @return its copy.
     */
    public static RecordedMutation copyOf(final Mutation m)
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
        return new RecordedMutation(kind, m.time(), m.record(), m.id(), m.lastSeen(), m.batch(), m.ban(), refusedBy, causes);
    }

    /**
     * @param time   event time.
     * @param record the record.
     * @param refusedBy the refusing observer's name (cause VETO), or null when every vote accepts.
     * @return an upsert.
     */
    public static RecordedMutation upsert(final long time, final PeerRecord record, final String refusedBy)
    {
        return new RecordedMutation(MutationKind.UPSERT, time, record, null, 0, null, null,
            null == refusedBy ? null : new String[]{ refusedBy },
            null == refusedBy ? null : new AbortCause[]{ AbortCause.VETO });
    }

    /**
     * @param time      event time.
     * @param batch     the ops.
     * @param refusedBy per op, the refusing observer's name (cause VETO) or null; or null for none.
     * @return a batch.
     */
    public static RecordedMutation batch(final long time, final Batch batch, final String[] refusedBy)
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
        return new RecordedMutation(MutationKind.BATCH, time, null, null, 0, batch, null,
            null == refusedBy ? null : refusedBy.clone(), causes);
    }

    /** @param time event time. @param id the peer. @return a remove. */
    public static RecordedMutation remove(final long time, final NodeId id)
    {
        return new RecordedMutation(MutationKind.REMOVE, time, null, id, 0, null, null, null, null);
    }

    /** @param time event time. @param id the peer. @param lastSeen liveness. @return a touch. */
    public static RecordedMutation touch(final long time, final NodeId id, final long lastSeen)
    {
        return new RecordedMutation(MutationKind.TOUCH, time, null, id, lastSeen, null, null, null, null);
    }

    /** @param time event time. @return a tick. */
    public static RecordedMutation tick(final long time)
    {
        return new RecordedMutation(MutationKind.TICK, time, null, null, 0, null, null, null, null);
    }

    /** @param time event time. @param ban what to ban. @param lift true for an unban. @return a ban or an unban. */
    public static RecordedMutation ban(final long time, final Ban ban, final boolean lift)
    {
        return new RecordedMutation(lift ? MutationKind.UNBAN : MutationKind.BAN, time, null, null, 0, null, ban, null, null);
    }

    RecordedMutation(
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
        this.refusedBy = refusedBy;
        this.refusalCauses = refusalCauses;
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    /** @return the recorded event time: the time the commit stage used. */
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

    @Override
    public String toString()
    {
        switch (kind)
        {
            case UPSERT:
                return "UPSERT " + record;
            case REMOVE:
                return "REMOVE " + id;
            case TOUCH:
                return "TOUCH " + id + " " + lastSeen;
            case BATCH:
                return "BATCH of " + batch.size();
            case BAN:
            case UNBAN:
                return kind + " " + ban;
            default:
                return kind.toString();
        }
    }
}
