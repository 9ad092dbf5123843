package io.peerlane.bench;

import io.peerlane.state.CommitResult;
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
    private final WorkloadOp[] ops;
    private final RegistrySettings settings;
    private final CommitResult[] results;

    Workload(final WorkloadSpec spec, final WorkloadOp[] ops, final RegistrySettings settings, final CommitResult[] results)
    {
        this.spec = spec;
        this.ops = ops;
        this.settings = settings;
        this.results = results;
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
    public WorkloadOp op(final int i)
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
