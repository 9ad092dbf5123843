package io.peerlane.bench;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/**
 * One pre-generated op of a workload: immutable, so every contender and every run reads the same object
 * and a producer allocates nothing while it is measured. It is also a {@link Mutation}, which lets the
 * baselines that reuse {@link io.peerlane.state.RegistryState} hand it to the rules as it is.
 * <p>
 * The op's event time is {@link Workload#BASE_TIME_MS} plus its index, so a commit stage that sees only
 * the mutation can tell which op it is: no lookup table, no allocation.
 */
public final class WorkloadOp implements Mutation
{
    private final int index;
    private final MutationKind kind;
    private final PeerRecord record;
    private final NodeId id;
    private final Batch batch;

    WorkloadOp(final int index, final MutationKind kind, final PeerRecord record, final NodeId id, final Batch batch)
    {
        this.index = index;
        this.kind = kind;
        this.record = record;
        this.id = id;
        this.batch = batch;
    }

    /** @return the op's index in the workload, from 0. */
    public int index()
    {
        return index;
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    @Override
    public long time()
    {
        return Workload.BASE_TIME_MS + index;
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

    /** A touch moves {@code lastSeen} to the op's own time, so every touch moves it forward. */
    @Override
    public long lastSeen()
    {
        return time();
    }

    @Override
    public Batch batch()
    {
        return batch;
    }

    @Override
    public Ban ban()
    {
        return null;
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
     * @param mutation a mutation whose time came from a workload op.
     * @return the op's index.
     */
    public static int indexOf(final Mutation mutation)
    {
        return (int)(mutation.time() - Workload.BASE_TIME_MS);
    }

    @Override
    public String toString()
    {
        return "#" + index + " " + kind;
    }
}
