package io.peerlane.journal;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/** A plain mutation with votes, as a producer's ring slot would present it. */
final class TestMutation implements Mutation
{
    final MutationKind kind;
    final long time;
    PeerRecord record;
    NodeId id;
    long lastSeen;
    Batch batch;
    Ban ban;
    final String[] refusedBy = new String[1024];
    final AbortCause[] refusalCauses = new AbortCause[1024];

    TestMutation(final MutationKind kind, final long time)
    {
        this.kind = kind;
        this.time = time;
    }

    static TestMutation upsert(final long time, final PeerRecord record)
    {
        final TestMutation m = new TestMutation(MutationKind.UPSERT, time);
        m.record = record;
        return m;
    }

    static TestMutation tick(final long time)
    {
        return new TestMutation(MutationKind.TICK, time);
    }

    TestMutation refuse(final int op, final String observer, final AbortCause cause)
    {
        refusedBy[op] = observer;
        refusalCauses[op] = cause;
        return this;
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
        return refusedBy[op];
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return refusalCauses[op];
    }
}
