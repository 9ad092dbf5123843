package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.peerlane.journal.JournalWriter;
import io.peerlane.state.RegistryState;

import java.util.ArrayList;
import java.util.List;

/**
 * The ring and the stages on it, wired for one topology: the Disruptor, its handlers, their activities, and
 * the answer to "which stage holds the ring up" ({@link #stageBehind()}).
 * <pre>
 * COMPACT     CompactStage (one thread: prepare lane 0, commit, journal inline, publish lane 0)
 * PIPELINED   [PrepareLane x N] -> CommitStage -> PublishLane x M
 *                                              \-> JournalStage
 * </pre>
 * With {@code prepareLanes(0)} (the pipelined default) there is no prepare handler: the commit stage runs the
 * votes on its own thread just before each commit, as the compact stage does, so an event pays no hand-off
 * for votes when no critical observer is registered, and one registered later still votes, at the same
 * sequence in every stage. Critical observers are always placed on one of {@link #prepareLanes}: a handler
 * of its own, or the lane the compact or commit stage runs inline.
 */
final class StageGraph
{
    final Disruptor<MutationEvent> disruptor;
    final RingBuffer<MutationEvent> ring;
    final ProducerGate gate;
    final CommitStage commit;
    /** The journal stage, or null. */
    final JournalStage journal;
    /** The lanes critical observers are placed on; one run inline by another stage when none is a handler. */
    final PrepareLane[] prepareLanes;
    final PublishLane[] publishLanes;
    private final boolean compact;
    private final List<StageActivity> stages = new ArrayList<>();
    private volatile boolean halted;

    StageGraph(
        final EngineContext ctx,
        final RegistryState registry,
        final JournalWriter writer,
        final long sequenceBase,
        final EngineMetrics metrics,
        final StageErrors errors,
        final StageThreads threads)
    {
        final int maxObservers = ctx.maxObservers();
        compact = ctx.topology() == Topology.COMPACT;
        // The Disruptor asks for the slots in ring order, so slot i gets index i in the shared reference arrays.
        final SlotReferences references = new SlotReferences(ctx.ringSize());
        final int[] nextIndex = { 0 };
        disruptor = new Disruptor<>(() -> new MutationEvent(maxObservers, references, nextIndex[0]++),
            ctx.ringSize(), threads.stageFactory(),
            ProducerType.MULTI, ctx.waitStrategy().create());
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler(errors));
        ring = disruptor.getRingBuffer();
        gate = new ProducerGate(ring::remainingCapacity, ctx.ringSize());

        // With a journal, the journal stage wakes awaiting producers once their records are appended and forced.
        commit = new CommitStage(registry, ctx.outcomeListener(), sequenceBase, null == writer,
            !compact && ctx.prepareLanes() == 0);
        commit.metrics = metrics;
        journal = null == writer ? null : new JournalStage(writer, sequenceBase, ctx.journalFailurePolicy(), errors);
        if (null != journal)
        {
            journal.gate = gate;
            journal.metrics = metrics;
            journal.journalDirectory = ctx.journal().directory();
        }
        if (compact)
        {
            prepareLanes = new PrepareLane[]{ new PrepareLane(0, "compact") };
            publishLanes = new PublishLane[]{ new PublishLane(0, "compact") };
            wireCompact();
        }
        else
        {
            prepareLanes = null == commit.inlinePrepare() ? lanes(ctx.prepareLanes()) :
                new PrepareLane[]{ commit.inlinePrepare() };
            publishLanes = new PublishLane[ctx.publishLanes()];
            for (int i = 0; i < publishLanes.length; i++)
            {
                publishLanes[i] = new PublishLane(i, "publish-" + i);
            }
            wirePipelined(null == commit.inlinePrepare());
        }
    }

    private static PrepareLane[] lanes(final int count)
    {
        final PrepareLane[] lanes = new PrepareLane[count];
        for (int i = 0; i < count; i++)
        {
            lanes[i] = new PrepareLane(i, "prepare-" + i);
        }
        return lanes;
    }

    private void wireCompact()
    {
        final CompactStage stage = new CompactStage(prepareLanes[0], commit, publishLanes[0], journal);
        stage.gate = gate;
        disruptor.handleEventsWith(stage);
        final StageActivity activity = prepareLanes[0].activity;
        watch(activity, stage);
        if (null != journal)
        {
            // Appended inline by the compact thread: no journal thread, the compact stage's sequence.
            journal.activity.sequence = activity.sequence;
            stages.add(journal.activity);
        }
        // One thread: the commit and publish parts report through the same activity as prepare.
        commit.activity.sequence = activity.sequence;
        publishLanes[0].activity.sequence = activity.sequence;
        stages.add(commit.activity);
        stages.add(publishLanes[0].activity);
    }

    private void wirePipelined(final boolean prepareHandlers)
    {
        for (final PublishLane lane : publishLanes)
        {
            lane.gate = gate;
        }
        final EventHandlerGroup<MutationEvent> committed = prepareHandlers ?
            disruptor.handleEventsWith(prepareLanes).then(commit) : disruptor.handleEventsWith(commit);
        committed.then(publishLanes);
        if (null != journal)
        {
            committed.then(journal);
            watch(journal.activity, journal);
        }
        if (prepareHandlers)
        {
            for (final PrepareLane lane : prepareLanes)
            {
                watch(lane.activity, lane);
            }
        }
        watch(commit.activity, commit);
        for (final PublishLane lane : publishLanes)
        {
            watch(lane.activity, lane);
        }
    }

    private void watch(final StageActivity activity, final EventHandler<MutationEvent> handler)
    {
        if (!stages.contains(activity))
        {
            stages.add(activity);
        }
        activity.sequence = () -> disruptor.getSequenceValueFor(handler);
    }

    /** @return the number of stage activities the counters need room for, before the graph is built. */
    static int stageCount(final EngineContext ctx)
    {
        return ctx.topology() == Topology.COMPACT ? 2 : ctx.prepareLanes() + ctx.publishLanes() + 2;
    }

    /** @return the activities whose sequences and lags the metrics count: one per thread. */
    List<StageActivity> countedStages()
    {
        if (!compact)
        {
            return stages;
        }
        final List<StageActivity> counted = new ArrayList<>(List.of(prepareLanes[0].activity));
        if (null != journal)
        {
            counted.add(journal.activity);
        }
        return counted;
    }

    /** @return the stages as people see them: one line per thread. */
    List<StageActivity> distinctStages()
    {
        return compact ? List.of(compactActivity()) : stages;
    }

    private StageActivity compactActivity()
    {
        // The compact thread reports through whichever part it is in; prefer the one inside an observer.
        for (final StageActivity stage : stages)
        {
            if (null != stage.current())
            {
                return stage;
            }
        }
        return stages.get(0);
    }

    /** The stage with work waiting that has gone least far: the one holding the ring up. */
    String stageBehind()
    {
        final long now = System.nanoTime();
        StageActivity behind = null;
        for (final StageActivity stage : distinctStages())
        {
            if (null != stage.current())
            {
                if (null == behind || null == behind.current() || stage.since() < behind.since())
                {
                    behind = stage;
                }
            }
            else if (null == behind || (null == behind.current() && stage.sequenceValue() < behind.sequenceValue()))
            {
                behind = stage;
            }
        }
        return null == behind ? "no stage" : "stage " + behind.describe(now);
    }

    void start()
    {
        disruptor.start();
    }

    /** Stops the stage threads, each after the event it is in. */
    void halt()
    {
        disruptor.halt();
        halted = true;
    }

    /** @return whether the stage threads have been stopped. */
    boolean isHalted()
    {
        return halted;
    }

    /** Counts and keeps the last error a stage threw outside an observer (observers' errors never get here). */
    private static final class StageExceptionHandler implements ExceptionHandler<MutationEvent>
    {
        private final StageErrors errors;

        StageExceptionHandler(final StageErrors errors)
        {
            this.errors = errors;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final MutationEvent event)
        {
            errors.record(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            errors.record(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            errors.record(ex);
        }
    }
}
