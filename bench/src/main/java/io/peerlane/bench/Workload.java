package io.peerlane.bench;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Batch;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;
import io.peerlane.state.MutationValue;
import io.peerlane.state.RegistrySettings;

/**
 * A pre-generated workload: every op built before anything is timed, shared read-only by all contenders
 * and runs. Ops {@code 0} to {@code population() - 1} are the population, one new peer per id, loaded into
 * each contender before it is measured; the measured ops follow, from index {@link #population()} on.
 * Op {@code i} belongs to producer {@code i % producers}, and each producer owns the ids
 * {@code n % producers == p}, so versions increase per id in the order a producer publishes them whatever
 * the interleaving: every upsert is an update or an add, never STALE.
 */
public final class Workload
{
    /** Event time of op 0, ms since the epoch; op {@code i} has time {@code BASE_TIME_MS + i}. */
    public static final long BASE_TIME_MS = 1_700_000_000_000L;

    private final WorkloadSpec spec;
    private final MutationValue[] ops;
    private final RegistrySettings settings;
    private final CommitResult[] results;

    Workload(final WorkloadSpec spec, final MutationValue[] ops, final RegistrySettings settings, final CommitResult[] results)
    {
        this.spec = spec;
        this.ops = ops;
        this.settings = settings;
        this.results = results;
    }

    /**
     * The op of a workload at an index: its event time is {@link #BASE_TIME_MS} plus the index, so a commit stage
     * that sees only the mutation can tell which op it is ({@link #indexOf}): no lookup table, no allocation. A
     * touch moves {@code lastSeen} to the op's own time, so every touch moves it forward.
     *
     * @param index  the op's index, from 0.
     * @param kind   UPSERT, REMOVE, TOUCH or BATCH.
     * @param record the record of an upsert.
     * @param id     the peer of a remove or touch.
     * @param batch  the ops of a batch.
     * @return the op.
     */
    static MutationValue op(final int index, final MutationKind kind, final PeerRecord record, final NodeId id,
        final Batch batch)
    {
        final long t = BASE_TIME_MS + index;
        switch (kind)
        {
            case UPSERT:
                return MutationValue.upsert(t, record);
            case REMOVE:
                return MutationValue.remove(t, id);
            case TOUCH:
                return MutationValue.touch(t, id, t);
            case BATCH:
                return MutationValue.batch(t, batch);
            default:
                throw new IllegalArgumentException("a workload holds no " + kind);
        }
    }

    /**
     * @param mutation a mutation whose time came from a workload op.
     * @return the op's index.
     */
    public static int indexOf(final Mutation mutation)
    {
        return (int)(mutation.time() - BASE_TIME_MS);
    }

    /** @return what the workload was made from. */
    public WorkloadSpec spec()
    {
        return spec;
    }

    /** @return the population: ops (one new peer each) loaded before the measured ops, untimed. */
    public int population()
    {
        return spec.peers;
    }

    /** @return the number of measured ops; they have the indexes from {@link #population()} on. */
    public int ops()
    {
        return ops.length - spec.peers;
    }

    /** @return the number of ops, population and measured ones together. */
    public int totalOps()
    {
        return ops.length;
    }

    /** @param i op index, in [0, {@link #totalOps()}). @return the op. */
    public MutationValue op(final int i)
    {
        return ops[i];
    }

    /** @return number of producers the ops are partitioned for. */
    public int producers()
    {
        return spec.producers;
    }

    /** @return rule settings under which every op commits exactly one event line. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /**
     * The commit result a measured op had when the workload was checked: the events a naive registry that
     * applies no rules hands its listeners. Present only when asked for at generation, and only for the
     * measured ops (the population's results would cost a few hundred bytes per peer).
     *
     * @param i op index, in [{@link #population()}, {@link #totalOps()}).
     * @return its result.
     */
    public CommitResult result(final int i)
    {
        if (null == results)
        {
            throw new IllegalStateException("workload generated without commit results");
        }
        if (i < spec.peers)
        {
            throw new IllegalArgumentException("op " + i + " is in the population, which keeps no results");
        }
        return results[i - spec.peers];
    }
}
