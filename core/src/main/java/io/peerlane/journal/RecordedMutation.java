package io.peerlane.journal;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/**
 * An op read back from a journal, immutable. Its vote refusals are the recorded ones, so committing it
 * applies every refusal as it was, whatever observers are registered now.
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
