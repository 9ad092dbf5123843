package io.peerlane.testing;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/** An immutable copy of a mutation as the commit stage saw it, votes included: for feeding a model later. */
public final class CapturedOp implements Mutation
{
    private final MutationKind kind;
    private final long time;
    private final PeerRecord record;
    private final NodeId id;
    private final long lastSeen;
    private final Batch batch;
    private final Ban ban;
    private final int refusedOp;
    private final String refusedBy;
    private final AbortCause cause;

    private CapturedOp(final Mutation m)
    {
        kind = m.kind();
        time = m.time();
        record = m.record();
        id = m.id();
        lastSeen = m.lastSeen();
        batch = m.batch();
        ban = m.ban();
        int op = -1;
        String name = null;
        AbortCause c = null;
        final int ops = kind == MutationKind.BATCH ? batch.size() : kind == MutationKind.UPSERT ? 1 : 0;
        for (int i = 0; i < ops; i++)
        {
            if (kind == MutationKind.BATCH && !batch.isUpsert(i))
            {
                continue;
            }
            if (null != m.refusedBy(i))
            {
                op = i;
                name = m.refusedBy(i);
                c = m.refusalCause(i);
                break;
            }
        }
        refusedOp = op;
        refusedBy = name;
        cause = c;
    }

    /** @param m a mutation, read now. @return its copy. */
    public static CapturedOp of(final Mutation m)
    {
        return new CapturedOp(m);
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
        return op == refusedOp ? refusedBy : null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return op == refusedOp ? cause : null;
    }
}
