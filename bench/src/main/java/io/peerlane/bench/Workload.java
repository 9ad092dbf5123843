package io.peerlane.bench;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.tools.workload.WorkloadGenerator;
import io.peerlane.tools.workload.WorkloadSpec;

import java.util.List;

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
    public static final long BASE_TIME_MS = WorkloadSpec.START_MS;

    private final String description;
    private final int population;
    private final int producers;
    private final MutationValue[] ops;
    private final RegistrySettings settings;
    private final CommitResult[] results;

    Workload(
        final String description,
        final int population,
        final int producers,
        final MutationValue[] ops,
        final RegistrySettings settings,
        final CommitResult[] results)
    {
        this.description = description;
        this.population = population;
        this.producers = producers;
        this.ops = ops;
        this.settings = settings;
        this.results = results;
    }

    /**
     * The bench's options as the tools' generator's committed workload: the mix's parts become its weights,
     * batches of 2 to {@code maxBatchOps} ops.
     *
     * @param seed              the random seed.
     * @param peers             the population, loaded before the measured ops, and the size of the id space.
     * @param ops               number of measured ops.
     * @param producers         producer threads; ids and ops are partitioned among them.
     * @param mix               parts of new, update, touch, remove and batch ops, in that order.
     * @param maxBatchOps       largest batch, at least 2.
     * @param validatorFraction fraction of peers that are validators, in [0, 1].
     * @param subnets           number of distinct IPv4 /24 subnets the endpoints spread over.
     * @return the spec.
     */
    public static WorkloadSpec spec(
        final long seed,
        final int peers,
        final int ops,
        final int producers,
        final int[] mix,
        final int maxBatchOps,
        final double validatorFraction,
        final int subnets)
    {
        final double[] weights = { mix[0], mix[1], mix[3], mix[4], mix[2] };
        return WorkloadSpec.committed(seed, peers, ops, producers, weights, 2, maxBatchOps, validatorFraction, subnets);
    }

    /**
     * Makes a committed workload with the tools' {@link WorkloadGenerator}, then checks it: the population and
     * then the measured ops run once through {@link RegistryState} in index order, and each must commit exactly
     * one event line (ADDED, UPDATED, TOUCHED, REMOVED or a committed batch). That makes every contender do the
     * same work, and lets latency probes map an event's seq to an op one to one.
     *
     * @param spec        a committed workload ({@link WorkloadSpec#committed}).
     * @param keepResults keep each measured op's commit result (the naive baseline hands them to its listeners).
     * @return the workload.
     * @throws IllegalStateException when an op would not commit exactly one event line.
     */
    public static Workload generate(final WorkloadSpec spec, final boolean keepResults)
    {
        if (!spec.committed())
        {
            throw new IllegalArgumentException("the bench runs a committed workload, not " + spec);
        }
        final WorkloadGenerator generator = new WorkloadGenerator(spec);
        final int population = spec.peers();
        final MutationValue[] ops = new MutationValue[Math.toIntExact(generator.total())];
        for (int i = 0; i < ops.length; i++)
        {
            ops[i] = generator.next();
        }
        final RegistrySettings settings = settingsFor(population);
        final RegistryState state = new RegistryState(settings, List.of());
        // Only the measured ops' results are kept: the population's would cost a few hundred bytes per peer.
        final CommitResult[] results = keepResults ? new CommitResult[ops.length - population] : null;
        CommitResult scratch = new CommitResult();
        for (int i = 0; i < ops.length; i++)
        {
            if (keepResults && i >= population)
            {
                scratch = new CommitResult();
                results[i - population] = scratch;
            }
            state.commit(ops[i], i, scratch);
            if (!commitsOneLine(scratch))
            {
                throw new IllegalStateException("workload check: op " + i + " " + ops[i] + " gave " + scratch +
                    " with " + scratch.lineCount() + " event lines; expected one committed change");
            }
        }
        return new Workload(spec.toString(), population, spec.producers(), ops, settings, results);
    }

    /**
     * The rule settings every contender that applies the rules runs with: the defaults, with
     * {@code maxPeers} raised to the population so that no contender refuses or evicts a peer for capacity.
     *
     * @param peers the population.
     * @return the settings.
     */
    static RegistrySettings settingsFor(final int peers)
    {
        return RegistrySettings.builder()
            .maxPeers(Math.max(RegistrySettings.MAX_PEERS_DEFAULT, peers))
            .build();
    }

    /**
     * @param r a commit result.
     * @return whether it is exactly one committed change: ADDED, UPDATED, TOUCHED, REMOVED or a committed batch.
     */
    static boolean commitsOneLine(final CommitResult r)
    {
        final OutcomeCode code = r.code();
        return r.lineCount() == 1 && (code == OutcomeCode.ADDED || code == OutcomeCode.UPDATED ||
            code == OutcomeCode.TOUCHED || code == OutcomeCode.REMOVED || code == OutcomeCode.BATCH_COMMITTED);
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

    /** @return what the workload was made from, for the report. */
    public String description()
    {
        return description;
    }

    /** @return the population: ops (one new peer each) loaded before the measured ops, untimed. */
    public int population()
    {
        return population;
    }

    /** @return the number of measured ops; they have the indexes from {@link #population()} on. */
    public int ops()
    {
        return ops.length - population;
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
        return producers;
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
        if (i < population)
        {
            throw new IllegalArgumentException("op " + i + " is in the population, which keeps no results");
        }
        return results[i - population];
    }
}
