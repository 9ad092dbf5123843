package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;
import io.peerlane.state.Outcome;
import io.peerlane.state.RegistrySettings;
import io.peerlane.state.RegistryState;
import io.peerlane.state.RegistryStats;
import io.peerlane.state.RegistryView;
import io.peerlane.trace.ValidatorKeyVote;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The engine: a multi-producer Disruptor ring of preallocated mutation slots, a prepare stage where
 * critical observers vote, the commit stage (the single writer of registry state), and a publish stage
 * that hands committed events to observers in commit order.
 * <p>
 * Producers on any thread call the publishing methods. Each claims a slot, copies references to its
 * immutable inputs in and publishes; nothing is allocated for a publish that does not await its outcome.
 * Inputs are validated before a slot is claimed, so a bad input throws {@link InvalidInputException} and
 * leaves the ring untouched. Readers on any thread call {@link #get(NodeId)} for a lock-free lookup that
 * copies nothing, or {@link #view()} for an immutable copy at one point of the commit order.
 * <p>
 * Back-pressure is explicit: the plain methods block while the ring is full, the {@code try*} methods
 * return {@link #RING_FULL} at once, and the methods taking a {@link Duration} throw
 * {@link PublishTimeoutException} naming the stage that is behind.
 */
public final class PeerlaneEngine implements AutoCloseable
{
    /** Returned by the {@code try*} methods when the ring has no free slot. */
    public static final long RING_FULL = -1;

    /** Returned by {@link #unregister(String)} when no observer of that name is registered. */
    public static final long NOT_REGISTERED = -1;

    /**
     * Returned by {@link #unregister(String)} called from an observer callback: the removal is in the ring,
     * and its cut is taken after the callback returns, by the very pipeline the callback runs on.
     */
    public static final long CUT_PENDING = -2;

    private static final int MODE_BLOCK = 0;
    private static final int MODE_TRY = 1;
    private static final int MODE_TIMEOUT = 2;
    private static final long NO_TIME = Long.MIN_VALUE;
    /** A control event's time: no stage reads it, and it keeps the user's clock off the control paths. */
    private static final long CONTROL_TIME = 0;

    private final EngineContext ctx;
    private final RegistryState registry;
    private final Disruptor<MutationEvent> disruptor;
    private final RingBuffer<MutationEvent> ring;
    private final LongSupplier clock;
    private final CommitStage commit;
    private final PrepareLane[] prepareLanes;
    private final PublishLane[] publishLanes;
    private final List<StageActivity> stages = new ArrayList<>();
    private final StageErrors stageErrors = new StageErrors();
    /** Threads that run observer code: none of them may wait for an outcome or a cut. */
    private final Set<Thread> stageThreads = ConcurrentHashMap.newKeySet();
    /** Best-effort relays' threads: the ring never waits for them, so they may wait for a slot. */
    private final Set<Thread> relayThreads = ConcurrentHashMap.newKeySet();
    /** Relays whose thread has not stopped yet, registered or not; close() waits for them. */
    private final Set<BestEffortRelay> relays = ConcurrentHashMap.newKeySet();
    private final ProducerGate producerGate;
    private final java.util.function.BooleanSupplier ringHasRoom;
    private final ThreadLocal<OutcomeWaiter> waiters = new ThreadLocal<>();
    private final AtomicLong waiterTokens = new AtomicLong();

    private final Object rosterLock = new Object();
    private final Map<String, ObserverHandle> observers = new LinkedHashMap<>();
    private final boolean[] voteIndexInUse;
    private final int[] prepareLaneLoad;
    private final int[] publishLaneLoad;

    /** How long a close past its timeout still waits for the journal thread to close the writer. */
    private static final long JOURNAL_CLOSE_GRACE_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final long sequenceBase;
    private final JournalStage journal;
    private volatile RuntimeException journalFailure;
    private volatile boolean started;
    private volatile boolean closed;
    /** Set once close() has stopped the stage threads. */
    private volatile boolean halted;
    /** Observers close() gave up on at its timeout, with events still owed to them. */
    private volatile List<ObserverHandle> closeShortfall = List.of();
    private AgentRunner ticker;
    /** Publishes journal ticks under ForcePolicy.EVERY_N_MS, or null. */
    private AgentRunner journalTicker;
    /** Set when close() left the journal writer to a stage thread that did not stop in time. */
    private volatile boolean journalLeftOpen;
    private final EngineMetrics metrics;
    private AgentRunner sampler;
    private boolean metricsStopped;

    /**
     * Builds an engine; call {@link #start()} to run it.
     *
     * @param ctx the configuration, checked here.
     */
    public PeerlaneEngine(final EngineContext ctx)
    {
        this.ctx = ctx.conclude();
        this.clock = ctx.clock();
        this.registry = restore(ctx);
        final int stageCount = ctx.topology() == Topology.COMPACT ? 2 : ctx.prepareLanes() + ctx.publishLanes() + 2;
        final int counterCapacity = EngineMetrics.capacity(ctx.maxObservers(), stageCount);
        final io.peerlane.metrics.EngineCounters counters = null == ctx.countersDirectory() ?
            io.peerlane.metrics.EngineCounters.inMemory(counterCapacity) :
            io.peerlane.metrics.EngineCounters.mapped(ctx.countersDirectory(), counterCapacity);
        this.metrics = new EngineMetrics(counters, null != ctx.journal());
        io.peerlane.journal.JournalWriter writer = null;
        if (null != ctx.journal())
        {
            try
            {
                writer = io.peerlane.journal.JournalWriter.open(ctx.journal());
            }
            catch (final RuntimeException ex)
            {
                counters.markStopped(System.currentTimeMillis());   // no engine will write the file
                throw ex;
            }
        }
        final long restored = registry.publishedSequence();
        this.sequenceBase = 1 + Math.max(restored, null == writer ? -1 : writer.lastSequence());
        this.voteIndexInUse = new boolean[ctx.maxObservers()];
        final int maxObservers = ctx.maxObservers();
        final AtomicInteger threads = new AtomicInteger();
        final ThreadFactory threadFactory = r ->
        {
            final Thread t = new Thread(r, "peerlane-stage-" + threads.getAndIncrement());
            t.setDaemon(true);
            stageThreads.add(t);
            return t;
        };
        disruptor = new Disruptor<>(() -> new MutationEvent(maxObservers), ctx.ringSize(), threadFactory,
            ProducerType.MULTI, ctx.waitStrategy().create());
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler());
        final RingBuffer<MutationEvent> slots = disruptor.getRingBuffer();
        producerGate = new ProducerGate(slots::remainingCapacity, ctx.ringSize());

        // With a journal, the journal stage wakes awaiting producers once their records are appended and forced.
        commit = new CommitStage(registry, ctx.outcomeListener(), sequenceBase, null == writer);
        commit.metrics = metrics;
        journal = null == writer ? null :
            new JournalStage(writer, sequenceBase, ctx.journalFailurePolicy(), stageErrors, this);
        if (null != journal)
        {
            journal.gate = producerGate;
            journal.metrics = metrics;
            journal.journalDirectory = ctx.journal().directory();
        }
        if (ctx.topology() == Topology.COMPACT)
        {
            prepareLanes = new PrepareLane[]{ new PrepareLane(0, "compact") };
            publishLanes = new PublishLane[]{ new PublishLane(0, "compact") };
            final CompactStage compact = new CompactStage(prepareLanes[0], commit, publishLanes[0], journal);
            compact.gate = producerGate;
            disruptor.handleEventsWith(compact);
            watch(prepareLanes[0].activity, compact);
            if (null != journal)
            {
                // Appended inline by the compact thread: no journal thread, the compact stage's sequence.
                journal.activity.sequence = prepareLanes[0].activity.sequence;
                stages.add(journal.activity);
            }
            // One thread: the commit and publish parts report through the same activity as prepare.
            commit.activity.sequence = prepareLanes[0].activity.sequence;
            publishLanes[0].activity.sequence = prepareLanes[0].activity.sequence;
            stages.add(commit.activity);
            stages.add(publishLanes[0].activity);
        }
        else
        {
            prepareLanes = new PrepareLane[ctx.prepareLanes()];
            for (int i = 0; i < prepareLanes.length; i++)
            {
                prepareLanes[i] = new PrepareLane(i, "prepare-" + i);
            }
            publishLanes = new PublishLane[ctx.publishLanes()];
            for (int i = 0; i < publishLanes.length; i++)
            {
                publishLanes[i] = new PublishLane(i, "publish-" + i);
            }
            final EventHandlerGroup<MutationEvent> prepared = disruptor.handleEventsWith(prepareLanes);
            for (final PublishLane lane : publishLanes)
            {
                lane.gate = producerGate;
            }
            final EventHandlerGroup<MutationEvent> committed = prepared.then(commit);
            committed.then(publishLanes);
            if (null != journal)
            {
                committed.then(journal);
                watch(journal.activity, journal);
            }
            for (final PrepareLane lane : prepareLanes)
            {
                watch(lane.activity, lane);
            }
            watch(commit.activity, commit);
            for (final PublishLane lane : publishLanes)
            {
                watch(lane.activity, lane);
            }
        }
        prepareLaneLoad = new int[prepareLanes.length];
        publishLaneLoad = new int[publishLanes.length];
        ring = disruptor.getRingBuffer();
        ringHasRoom = () -> ring.hasAvailableCapacity(1);
        final List<StageActivity> counted = new ArrayList<>(ctx.topology() == Topology.COMPACT ?
            List.of(prepareLanes[0].activity) : stages);
        if (ctx.topology() == Topology.COMPACT && null != journal)
        {
            counted.add(journal.activity);
        }
        metrics.wire(ring, registry, stageErrors, counted);
    }

    private void watch(final StageActivity activity, final EventHandler<MutationEvent> handler)
    {
        if (!stages.contains(activity))
        {
            stages.add(activity);
        }
        activity.sequence = () -> disruptor.getSequenceValueFor(handler);
    }

    /**
     * Builds and starts an engine.
     *
     * @param ctx the configuration.
     * @return the running engine.
     */
    public static PeerlaneEngine launch(final EngineContext ctx)
    {
        final PeerlaneEngine engine = new PeerlaneEngine(ctx);
        engine.start();
        return engine;
    }

    /**
     * Starts the stage threads, registers the observers given in the context (through the ring, like any
     * later registration) and the tick publisher if one is configured.
     *
     * @return this.
     */
    public PeerlaneEngine start()
    {
        synchronized (rosterLock)
        {
            if (started)
            {
                throw new IllegalStateException("engine already started");
            }
            disruptor.start();
            started = true;
        }
        boolean validatorSet = false;
        for (final EngineContext.ObserverSpec spec : ctx.observers())
        {
            register(spec.name, spec.role, spec.observer, spec.options);
            validatorSet |= ValidatorKeyVote.NAME.equals(spec.name);
        }
        final ValidatorKeyVote validatorKeys = ValidatorKeyVote.of(ctx.settings());
        if (!validatorSet && validatorKeys.isActive())
        {
            // The setting means nothing without its vote: TRACE.md's validator-set critical observer.
            register(ValidatorKeyVote.NAME, ObserverRole.CRITICAL, new SettingsVote(validatorKeys));
        }
        sampler = new AgentRunner(new org.agrona.concurrent.SleepingMillisIdleStrategy(25), stageErrors::record,
            null, metrics);
        AgentRunner.startOnThread(sampler, r ->
        {
            final Thread t = new Thread(r, "peerlane-metrics");
            t.setDaemon(true);
            return t;
        });
        if (ctx.tickIntervalMs() > 0)
        {
            ticker = new AgentRunner(new SleepingMillisIdleStrategy(Math.max(1, ctx.tickIntervalMs() / 4)),
                stageErrors::record, null, new TickAgent(this, clock, ctx.tickIntervalMs()));
            AgentRunner.startOnThread(ticker);
        }
        final io.peerlane.journal.JournalWriter.Context journalCtx = ctx.journal();
        if (null != journal && journalCtx.forcePolicy() == io.peerlane.journal.ForcePolicy.EVERY_N_MS &&
            journalCtx.forceIntervalMs() > 0)
        {
            // The writer checks its interval only at a batch end: on an idle engine a tick makes one.
            final long intervalMs = journalCtx.forceIntervalMs();
            journalTicker = new AgentRunner(new SleepingMillisIdleStrategy(Math.max(1, Math.min(intervalMs / 4, 100))),
                stageErrors::record, null, new JournalTick(this, intervalMs));
            AgentRunner.startOnThread(journalTicker, r ->
            {
                final Thread t = new Thread(r, "peerlane-journal-tick");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    // -----------------------------------------------------------------------------------------------------
    // Reads.

    /**
     * An immutable copy of the registry at one point of the commit order, never half a batch, safe to keep
     * and to iterate: at or after every outcome a producer has been handed (read-your-writes). It is made on
     * demand and costs a copy of the live peers when the registry changed since the last one; for single
     * lookups use {@link #get(NodeId)}, which copies nothing.
     *
     * @return the view.
     */
    public RegistryView view()
    {
        return registry.readView();
    }

    /**
     * A lock-free lookup from any thread that copies and allocates nothing: the record as of the last op the
     * commit stage finished, never half a batch; after an awaited outcome it holds the producer's own write.
     * The registry's {@code lastSeen} and {@code firstSeen} of the peer are in {@link #view()}.
     *
     * @param id a node id.
     * @return the live record, or null.
     */
    public PeerRecord get(final NodeId id)
    {
        return registry.read(checkId(id));
    }

    /** @return counts of outcomes and refusal reasons. */
    public RegistryStats stats()
    {
        return registry.stats();
    }

    /**
     * The engine's counters: what {@code ./peerlane stat} reads from the counters file, what
     * {@link io.peerlane.metrics.PeerlaneMeterBinder} exposes and what {@link #healthReport()} and
     * {@link #observerStats()} are built from. Reading them takes no lock and never slows a stage.
     *
     * @return the counters.
     */
    public io.peerlane.metrics.EngineCounters counters()
    {
        return metrics.counters;
    }

    /** For tests of the engine package. */
    EngineMetrics metrics()
    {
        return metrics;
    }

    /** @return the rule settings. */
    public RegistrySettings settings()
    {
        return ctx.settings();
    }

    /** @return the ring's cursor: the highest sequence claimed by a producer. */
    public long cursor()
    {
        return ring.getCursor();
    }

    // -----------------------------------------------------------------------------------------------------
    // Publishing: blocking, on the engine's clock.

    /** @param record a validated record. @return the mutation's ring sequence. */
    public long upsert(final PeerRecord record)
    {
        return submit(MutationKind.UPSERT, NO_TIME, checkRecord(record), null, 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param id the peer to remove. @return the ring sequence. */
    public long remove(final NodeId id)
    {
        return submit(MutationKind.REMOVE, NO_TIME, null, checkId(id), 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param id a peer. @param lastSeen liveness, ms. @return the ring sequence. */
    public long touch(final NodeId id, final long lastSeen)
    {
        return submit(MutationKind.TOUCH, NO_TIME, null, checkId(id), checkLastSeen(lastSeen), null, null,
            MODE_BLOCK, 0, null);
    }

    /** @param batch ops applied all or nothing. @return the ring sequence. */
    public long batch(final Batch batch)
    {
        return submit(MutationKind.BATCH, NO_TIME, null, null, 0, checkBatch(batch), null, MODE_BLOCK, 0, null);
    }

    /** @return the ring sequence of a tick at the clock's time. */
    public long tick()
    {
        return submit(MutationKind.TICK, NO_TIME, null, null, 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param ban what to ban and until when. @return the ring sequence. */
    public long ban(final Ban ban)
    {
        final long now = clock.getAsLong();
        return submit(MutationKind.BAN, now, null, null, 0, null, checkBanUntil(checkBan(ban), now), MODE_BLOCK, 0, null);
    }

    /** @param ban what to unban (its {@code until} is ignored). @return the ring sequence. */
    public long unban(final Ban ban)
    {
        return submit(MutationKind.UNBAN, NO_TIME, null, null, 0, null, checkBan(ban), MODE_BLOCK, 0, null);
    }

    // Blocking, with an explicit event time (replays, tests, producers with their own clock).

    /** @param timeMs event time. @param record a record. @return the ring sequence. */
    public long upsert(final long timeMs, final PeerRecord record)
    {
        return submit(MutationKind.UPSERT, checkTime(timeMs), checkRecord(record), null, 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @param id a peer. @return the ring sequence. */
    public long remove(final long timeMs, final NodeId id)
    {
        return submit(MutationKind.REMOVE, checkTime(timeMs), null, checkId(id), 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @param id a peer. @param lastSeen liveness. @return the ring sequence. */
    public long touch(final long timeMs, final NodeId id, final long lastSeen)
    {
        return submit(MutationKind.TOUCH, checkTime(timeMs), null, checkId(id), checkLastSeen(lastSeen), null, null,
            MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @param batch the ops. @return the ring sequence. */
    public long batch(final long timeMs, final Batch batch)
    {
        return submit(MutationKind.BATCH, checkTime(timeMs), null, null, 0, checkBatch(batch), null, MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @return the ring sequence. */
    public long tick(final long timeMs)
    {
        return submit(MutationKind.TICK, checkTime(timeMs), null, null, 0, null, null, MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @param ban the ban. @return the ring sequence. */
    public long ban(final long timeMs, final Ban ban)
    {
        return submit(MutationKind.BAN, checkTime(timeMs), null, null, 0, null, checkBanUntil(checkBan(ban), timeMs),
            MODE_BLOCK, 0, null);
    }

    /** @param timeMs event time. @param ban what to unban. @return the ring sequence. */
    public long unban(final long timeMs, final Ban ban)
    {
        return submit(MutationKind.UNBAN, checkTime(timeMs), null, null, 0, null, checkBan(ban), MODE_BLOCK, 0, null);
    }

    /**
     * Publishes any mutation description, such as an op read from a trace or a journal.
     *
     * @param m              the op; its time is used as the event time.
     * @param recordedVotes  true to apply the op's own {@code refusedBy} as the recorded votes instead of
     *                       running the critical observers (a replay that reproduces a recording).
     * @return the ring sequence.
     */
    public long publish(final Mutation m, final boolean recordedVotes)
    {
        if (null == m)
        {
            throw new InvalidInputException("mutation", null, "is required");
        }
        final MutationKind kind = m.kind();
        if (null == kind)
        {
            throw new InvalidInputException("op", null, "is required: one of " + java.util.Arrays.toString(MutationKind.values()));
        }
        final long time = checkTime(m.time());
        switch (kind)
        {
            case UPSERT:
                checkRecord(m.record());
                break;
            case REMOVE:
                checkId(m.id());
                break;
            case TOUCH:
                checkId(m.id());
                checkLastSeen(m.lastSeen());
                break;
            case BATCH:
                checkBatch(m.batch());
                break;
            case BAN:
                checkBanUntil(checkBan(m.ban()), time);
                break;
            case UNBAN:
                checkBan(m.ban());
                break;
            default:
                break;
        }
        // The op's own methods are user code: read everything from it before a slot is claimed, so a method
        // that throws leaves no claimed slot behind (an unpublished slot would hold every stage for ever).
        final PeerRecord record = m.record();
        final NodeId id = m.id();
        final long lastSeen = m.lastSeen();
        final Batch batch = m.batch();
        final Ban ban = m.ban();
        int recordedOp = MutationEvent.NO_REFUSAL;
        String recordedName = null;
        AbortCause recordedCause = null;
        if (recordedVotes)
        {
            final int ops = kind == MutationKind.BATCH ? batch.size() : kind == MutationKind.UPSERT ? 1 : 0;
            for (int op = 0; op < ops; op++)
            {
                final String name = m.refusedBy(op);
                if (null != name)
                {
                    recordedOp = op;
                    recordedName = name;
                    recordedCause = m.refusalCause(op);
                    break;
                }
            }
        }
        final long sequence = claim(MODE_BLOCK, 0);
        final MutationEvent event = ring.get(sequence);
        fill(sequence, event, kind, time, record, id, lastSeen, batch, ban, null, 0);
        if (recordedVotes)
        {
            event.recordedVotes = true;
            event.recordedOp = recordedOp;
            event.recordedName = recordedName;
            event.recordedCause = recordedCause;
        }
        publishClaimed(sequence, event);
        return sequence + sequenceBase;
    }

    // Non-blocking.

    /** @param record a record. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryUpsert(final PeerRecord record)
    {
        return submit(MutationKind.UPSERT, NO_TIME, checkRecord(record), null, 0, null, null, MODE_TRY, 0, null);
    }

    /** @param id a peer. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryRemove(final NodeId id)
    {
        return submit(MutationKind.REMOVE, NO_TIME, null, checkId(id), 0, null, null, MODE_TRY, 0, null);
    }

    /** @param id a peer. @param lastSeen liveness. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryTouch(final NodeId id, final long lastSeen)
    {
        return submit(MutationKind.TOUCH, NO_TIME, null, checkId(id), checkLastSeen(lastSeen), null, null,
            MODE_TRY, 0, null);
    }

    /** @param batch the ops. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryBatch(final Batch batch)
    {
        return submit(MutationKind.BATCH, NO_TIME, null, null, 0, checkBatch(batch), null, MODE_TRY, 0, null);
    }

    // Bounded wait for a slot.

    /** @param record a record. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long upsert(final PeerRecord record, final Duration timeout)
    {
        return submit(MutationKind.UPSERT, NO_TIME, checkRecord(record), null, 0, null, null, MODE_TIMEOUT,
            checkTimeout(timeout), null);
    }

    /** @param id a peer. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long remove(final NodeId id, final Duration timeout)
    {
        return submit(MutationKind.REMOVE, NO_TIME, null, checkId(id), 0, null, null, MODE_TIMEOUT,
            checkTimeout(timeout), null);
    }

    /** @param id a peer. @param lastSeen liveness. @param timeout wait. @return the ring sequence. */
    public long touch(final NodeId id, final long lastSeen, final Duration timeout)
    {
        return submit(MutationKind.TOUCH, NO_TIME, null, checkId(id), checkLastSeen(lastSeen), null, null,
            MODE_TIMEOUT, checkTimeout(timeout), null);
    }

    /** @param batch the ops. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long batch(final Batch batch, final Duration timeout)
    {
        return submit(MutationKind.BATCH, NO_TIME, null, null, 0, checkBatch(batch), null, MODE_TIMEOUT,
            checkTimeout(timeout), null);
    }

    // Publish and await the outcome (read-your-writes once it returns).

    /** @param record a record. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome upsertAndWait(final PeerRecord record, final Duration timeout)
    {
        return await(MutationKind.UPSERT, NO_TIME, checkRecord(record), null, 0, null, null, timeout);
    }

    /** @param id a peer. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome removeAndWait(final NodeId id, final Duration timeout)
    {
        return await(MutationKind.REMOVE, NO_TIME, null, checkId(id), 0, null, null, timeout);
    }

    /** @param id a peer. @param lastSeen liveness. @param timeout total wait. @return the outcome. */
    public Outcome touchAndWait(final NodeId id, final long lastSeen, final Duration timeout)
    {
        return await(MutationKind.TOUCH, NO_TIME, null, checkId(id), checkLastSeen(lastSeen), null, null, timeout);
    }

    /** @param batch the ops. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome batchAndWait(final Batch batch, final Duration timeout)
    {
        return await(MutationKind.BATCH, NO_TIME, null, null, 0, checkBatch(batch), null, timeout);
    }

    /** @param ban the ban. @param timeout total wait. @return the outcome. */
    public Outcome banAndWait(final Ban ban, final Duration timeout)
    {
        final long now = clock.getAsLong();
        return await(MutationKind.BAN, now, null, null, 0, null, checkBanUntil(checkBan(ban), now), timeout);
    }

    /** @param ban what to unban. @param timeout total wait. @return the outcome. */
    public Outcome unbanAndWait(final Ban ban, final Duration timeout)
    {
        return await(MutationKind.UNBAN, NO_TIME, null, null, 0, null, checkBan(ban), timeout);
    }

    /** @param timeout total wait. @return the outcome of a tick at the clock's time. */
    public Outcome tickAndWait(final Duration timeout)
    {
        return await(MutationKind.TICK, NO_TIME, null, null, 0, null, null, timeout);
    }

    /**
     * @param timeMs event time.
     * @param record a record.
     * @param timeout total wait.
     * @return the outcome.
     */
    public Outcome upsertAndWait(final long timeMs, final PeerRecord record, final Duration timeout)
    {
        return await(MutationKind.UPSERT, checkTime(timeMs), checkRecord(record), null, 0, null, null, timeout);
    }

    // -----------------------------------------------------------------------------------------------------
    // Observers.

    /**
     * Registers an observer through the ring: it first receives a snapshot of the registry as of the
     * sequence just before its registration event, then every later committed event, with no gap and no
     * duplicate. Returns once the commit stage has taken the cut; from an observer callback it publishes the
     * registration and returns at once (the cut is taken after the callback returns).
     *
     * @param name     unique name.
     * @param role     its role.
     * @param observer the observer.
     * @param options  its options.
     * @throws IllegalArgumentException when the name is taken or {@code maxObservers} are registered.
     */
    public void register(
        final String name, final ObserverRole role, final PeerObserver observer, final ObserverOptions options)
    {
        if (null == name || name.isEmpty() || name.length() > 128)
        {
            throw new IllegalArgumentException("name: value " + name + " must be 1 to 128 characters");
        }
        if (null == role || null == observer || null == options)
        {
            throw new IllegalArgumentException("observer '" + name + "': role, observer and options are required");
        }
        final ObserverHandle handle;
        synchronized (rosterLock)
        {
            if (observers.containsKey(name))
            {
                throw new IllegalArgumentException("name: value \"" + name + "\" is already registered");
            }
            if (observers.size() >= ctx.maxObservers())
            {
                throw new IllegalArgumentException("observer \"" + name + "\": " + observers.size() +
                    " observers are registered, the limit (maxObservers) is " + ctx.maxObservers());
            }
            int voteIndex = 0;
            while (voteIndexInUse[voteIndex])
            {
                voteIndex++;
            }
            voteIndexInUse[voteIndex] = true;
            final int prepareLane = role == ObserverRole.CRITICAL ? leastLoaded(prepareLaneLoad) : -1;
            final int publishLane = leastLoaded(publishLaneLoad);
            handle = new ObserverHandle(name, role, observer, voteIndex,
                options.voteDeadlineNanos(), options.quarantineAfter(), prepareLane, publishLane, metrics.counters);
            if (role == ObserverRole.BEST_EFFORT)
            {
                handle.relay = new BestEffortRelay(handle, ctx.ringSize(), stageErrors, this::tryPublishResync,
                    this::relayStopped);
                relays.add(handle.relay);
                handle.relay.start(this::newRelayThread);
            }
            else if (role == ObserverRole.CRITICAL && options.voteDeadlineNanos() > 0 &&
                ctx.topology() == Topology.PIPELINED)
            {
                handle.voteRunner = new VoteRunner(handle, this::newObserverThread);
            }
            if (prepareLane >= 0)
            {
                prepareLaneLoad[prepareLane]++;
            }
            publishLaneLoad[publishLane]++;
            observers.put(name, handle);
            metrics.added(handle);
        }
        final boolean reentrant = isStageThread();
        final OutcomeWaiter waiter = reentrant ? null : waiter();
        final long token = waiterTokens.incrementAndGet();
        try
        {
            publishControl(new RosterChange(RosterChange.Kind.REGISTER, handle), waiter, token);
        }
        catch (final RuntimeException ex)
        {
            // Not in the ring: no stage will ever see it.
            synchronized (rosterLock)
            {
                handle.state = ObserverHandle.State.UNREGISTERED;   // its counters may go back
                release(handle);
            }
            if (null != handle.relay)
            {
                handle.relay.abandon();
            }
            if (null != handle.voteRunner)
            {
                handle.voteRunner.close();
            }
            throw ex;
        }
        if (!reentrant)
        {
            waiter.await(token, Long.MAX_VALUE);
        }
    }

    /**
     * @param name     unique name.
     * @param role     its role.
     * @param observer the observer.
     */
    public void register(final String name, final ObserverRole role, final PeerObserver observer)
    {
        register(name, role, observer, ObserverOptions.defaults());
    }

    /**
     * Unregisters an observer through the ring, a clean cut at one sequence as for a registration: the
     * observer is given every event committed before its removal event (a best-effort observer that is
     * overrun at the cut is told so by {@link PeerObserver#onOverrun} instead, with no snapshot after it),
     * and nothing after it.
     * <p>
     * From any thread but an observer callback it waits, at most the engine's close timeout
     * ({@link EngineContext#closeTimeout}), until the observer has been given everything up to the cut, so no
     * callback of it runs after this returns (the name is free again as soon as the removal is in the
     * ring). From an observer
     * callback (any role, including the observer itself) it publishes the removal and returns
     * {@link #CUT_PENDING} at once, without waiting: the cut is taken after the callback returns, so the
     * observer may still be given the events committed before it. Like any publish from a callback on a
     * stage thread it never waits for the ring: a full ring throws {@link IllegalStateException} (a
     * best-effort observer's callbacks run on its own thread, which the ring never waits for, so there it
     * waits for a slot).
     *
     * @param name the observer's name.
     * @return the cut: the event seq of the last event the observer is owed (its snapshot's
     * {@code eventSeq()} when no event came after it); {@link #NOT_REGISTERED} (-1) when no observer of that
     * name is registered; {@link #CUT_PENDING} (-2) from an observer callback.
     * @throws PublishTimeoutException when the cut was not taken, or the observer not given its events up to
     *                                 it, within the close timeout; the observer is unregistered anyway and
     *                                 is given nothing after the cut.
     * @throws EngineClosedException   when the engine is closed, or closed before the observer was given
     *                                 its events up to the cut.
     */
    public long unregister(final String name)
    {
        final ObserverHandle handle;
        synchronized (rosterLock)
        {
            handle = observers.get(name);
            if (null == handle || handle.unregistering)
            {
                return NOT_REGISTERED;
            }
            handle.unregistering = true;
        }
        final boolean reentrant = isStageThread();
        final long timeoutNanos = ctx.closeTimeout().toNanos();
        final long deadline = System.nanoTime() + timeoutNanos;
        final RosterChange change = new RosterChange(RosterChange.Kind.UNREGISTER, handle);
        final OutcomeWaiter waiter = reentrant ? null : waiter();
        final long token = waiterTokens.incrementAndGet();
        try
        {
            publishControl(change, waiter, token);
        }
        catch (final RuntimeException ex)
        {
            synchronized (rosterLock)
            {
                handle.unregistering = false;
            }
            throw ex;
        }
        synchronized (rosterLock)
        {
            // In the ring now: each stage drops it at the cut. Its vote index may be reused at once, since
            // a later registration comes after the cut in every stage.
            release(handle);
        }
        if (reentrant)
        {
            return CUT_PENDING;
        }
        if (!waiter.await(token, deadline))
        {
            waiters.remove();
            final String behind = stageBehind();
            throw new PublishTimeoutException("unregister '" + name + "': the cut was not taken within " +
                ctx.closeTimeout() + "; " + behind + " is behind; it is unregistered when that stage gets there",
                behind);
        }
        final long cut = change.snapshot.eventSeq();
        awaitCutDelivered(handle, cut, deadline);
        return cut;
    }

    /** Waits until the observer has been given everything before its cut: by its publish lane, or its relay. */
    private void awaitCutDelivered(final ObserverHandle handle, final long cut, final long deadline)
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        while (!handle.cutDelivered)
        {
            final BestEffortRelay relay = handle.relay;
            if (halted && (null == relay || relay.stopped()) && !handle.cutDelivered)
            {
                throw new EngineClosedException("engine closed before '" + handle.name +
                    "' was given its events up to the cut at event seq " + cut + "; it had been given up to " +
                    handle.lastEventSeq.get());
            }
            if (System.nanoTime() - deadline > 0)
            {
                final String behind = null == relay ? stageBehind() : "best-effort observer '" + handle.name +
                    "' at event seq " + handle.lastEventSeq.get();
                throw new PublishTimeoutException("unregister '" + handle.name + "': not given its events up to " +
                    "the cut at event seq " + cut + " within " + ctx.closeTimeout() + "; " + behind +
                    " is behind; it is given nothing after the cut", behind);
            }
            idle.idle();
        }
    }

    /** Frees a removed observer's name, vote index and lane places; under the roster lock. */
    private void release(final ObserverHandle handle)
    {
        observers.remove(handle.name, handle);
        metrics.removed(handle);
        voteIndexInUse[handle.voteIndex] = false;
        if (handle.prepareLane >= 0)
        {
            prepareLaneLoad[handle.prepareLane]--;
        }
        publishLaneLoad[handle.publishLane]--;
    }

    /**
     * Puts a roster change into the ring. It never waits for the cut: the caller does, with the waiter, when
     * it is not a stage thread (from an observer's callback the cut is made by this very pipeline, after the
     * callback returns).
     */
    private void publishControl(final RosterChange change, final OutcomeWaiter waiter, final long token)
    {
        final long sequence = claim(MODE_BLOCK, 0);
        final MutationEvent event = ring.get(sequence);
        fill(sequence, event, null, CONTROL_TIME, null, null, 0, null, null, waiter, token);
        event.type = MutationEvent.CONTROL;
        event.control = change;
        publishClaimed(sequence, event);
    }

    /**
     * @param name an observer's name.
     * @return its statistics, or null when no such observer is registered.
     */
    public ObserverStats observerStats(final String name)
    {
        final ObserverHandle handle;
        synchronized (rosterLock)
        {
            handle = observers.get(name);
        }
        return null == handle ? null : ObserverStats.of(handle, registry.publishedEventSeq());
    }

    /** @return statistics of every registered observer, in registration order. */
    public List<ObserverStats> observerStats()
    {
        final List<ObserverHandle> handles;
        synchronized (rosterLock)
        {
            handles = new ArrayList<>(observers.values());
        }
        final long eventSeq = registry.publishedEventSeq();
        final List<ObserverStats> out = new ArrayList<>(handles.size());
        for (final ObserverHandle h : handles)
        {
            out.add(ObserverStats.of(h, eventSeq));
        }
        return out;
    }

    /**
     * Lets a quarantined observer vote again, and clears its failure and deadline-miss counts. Quarantine
     * takes only a critical observer's vote away (see {@link ObserverRole}): a quarantined observer of any
     * role still receives every event, so for a standard or best-effort one this only clears the label.
     *
     * @param name the observer's name.
     * @return whether it was quarantined.
     */
    public boolean readmit(final String name)
    {
        synchronized (rosterLock)
        {
            final ObserverHandle handle = observers.get(name);
            if (null == handle || handle.state != ObserverHandle.State.QUARANTINED)
            {
                return false;
            }
            handle.failures.set(0);
            handle.deadlineMisses.set(0);
            handle.state = ObserverHandle.State.ACTIVE;
            handle.quarantineEvent(false);
            return true;
        }
    }

    /**
     * A report for people: each stage with its sequence and the observer it is in, each observer with its
     * counters and state, and the outcome counts.
     *
     * @return the report.
     */
    public String healthReport()
    {
        final long now = System.nanoTime();
        final StringBuilder sb = new StringBuilder(512);
        sb.append("peerlane engine: ").append(ctx.topology()).append(", ring ").append(ctx.ringSize())
            .append(", wait ").append(ctx.waitStrategy()).append(closed ? ", CLOSED" : started ? ", running" : ", not started")
            .append('\n');
        sb.append("  cursor ").append(ring.getCursor()).append(", committed view at sequence ")
            .append(registry.publishedSequence()).append(", ").append(registry.publishedSize()).append(" live peers\n");
        for (final StageActivity stage : distinctStages())
        {
            sb.append("  stage ").append(stage.describe(now)).append('\n');
        }
        for (final ObserverStats s : observerStats())
        {
            sb.append("  observer ").append(s).append('\n');
        }
        metrics.describe(sb);
        sb.append("  reasons ").append(stats().reasons()).append('\n');
        if (null != journal && null != journal.failure())
        {
            sb.append("  JOURNAL FAILED (").append(ctx.journalFailurePolicy()).append("): ")
                .append(journal.failure().getMessage()).append('\n');
        }
        if (journalLeftOpen)
        {
            sb.append("  JOURNAL WRITER LEFT OPEN at close: the journal's thread did not stop within closeTimeout ")
                .append(ctx.closeTimeout()).append("; it closes the writer (force, cut, unmap) when it stops\n");
        }
        for (final ObserverHandle handle : closeShortfall)
        {
            final long undelivered = handle.undeliveredAtClose();
            if (undelivered > 0)
            {
                sb.append("  CLOSE TIMEOUT: observer '").append(handle.name).append("' ").append(handle.role)
                    .append(" was not given ").append(undelivered).append(" events up to event seq ")
                    .append(handle.owedUpTo()).append(" (given up to ").append(handle.lastEventSeq.get())
                    .append(") within closeTimeout ").append(ctx.closeTimeout()).append('\n');
            }
        }
        if (stageErrors.count() > 0)
        {
            sb.append("  ERRORS in stages: ").append(stageErrors.count()).append(", last: ").append(stageErrors.last())
                .append('\n');
        }
        return sb.toString();
    }

    // -----------------------------------------------------------------------------------------------------
    // Lifecycle.

    /** @return whether close() has begun. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stops accepting mutations, waits until every mutation published before has its outcome and has been
     * delivered to every observer, then stops the stage threads. A publish that races close either completes
     * normally or throws {@link EngineClosedException}; none is lost silently.
     * <p>
     * Best-effort observers are included: each is given what its queue still holds (an observer overrun at
     * that point is told so by {@link PeerObserver#onOverrun} instead), and its thread stops. All of this is
     * bounded by the close timeout ({@link EngineContext#closeTimeout}); a best-effort observer still behind
     * at the deadline is stopped after the callback it is in, and {@link #healthReport()} (a CLOSE TIMEOUT
     * line) and {@link ObserverStats#undeliveredAtClose()} say how many events it was not given.
     * <p>
     * The journal writer is closed (forced, cut, unmapped) by the thread that writes it, once that thread has
     * stopped; close() waits for it within the close timeout (and at most 1 s more, past a timeout). A writer
     * still in use then is left to its thread, which closes it when it stops, and {@link #healthReport()}
     * says so (a {@code JOURNAL WRITER LEFT OPEN} line).
     *
     * @throws PublishTimeoutException when the stages did not drain within the close timeout; the engine is
     *                                 stopped anyway and the message names the stage that is behind.
     */
    @Override
    public void close()
    {
        try
        {
            closeStages();
        }
        finally
        {
            stopMetrics();
        }
    }

    /** The sampler's last sample, once every stage has stopped; the counters file is then marked stopped. */
    private void stopMetrics()
    {
        synchronized (rosterLock)
        {
            if (metricsStopped)
            {
                return;
            }
            metricsStopped = true;
        }
        if (null != sampler)
        {
            sampler.close();
        }
        metrics.sample(true);
        metrics.counters.markStopped(System.currentTimeMillis());
    }

    private void closeStages()
    {
        synchronized (rosterLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        if (null != ticker)
        {
            ticker.close();
        }
        if (null != journalTicker)
        {
            journalTicker.close();
        }
        if (!started)
        {
            return;
        }
        final long deadline = System.nanoTime() + ctx.closeTimeout().toNanos();
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        long sequence = -1;
        while (sequence < 0)
        {
            try
            {
                sequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                checkDrainDeadline(deadline);
                idle.idle();
            }
        }
        final MutationEvent event = ring.get(sequence);
        event.type = MutationEvent.CLOSE;
        event.waiter = null;
        ring.publish(sequence);
        idle.reset();
        while (ring.getMinimumGatingSequence() < sequence)
        {
            checkDrainDeadline(deadline);
            idle.idle();
        }
        disruptor.halt();
        halted = true;
        // Every publish lane has passed CLOSE, so every relay holds a STOP after the last event it is owed.
        idle.reset();
        for (final BestEffortRelay relay : relays)
        {
            while (!relay.stopped() && System.nanoTime() - deadline < 0)
            {
                idle.idle();
            }
        }
        abandonRelays();
        closeVoteRunners();
        // The journal's thread stops at once unless it is inside a callback or a force: it gets the time left,
        // and at least the grace a close past its timeout gets.
        awaitJournalWriter(Math.max(deadline - System.nanoTime(),
            Math.min(ctx.closeTimeout().toNanos(), JOURNAL_CLOSE_GRACE_NS)));
    }

    /**
     * The journal's own thread closes the writer once halted (a close from here could unmap the segment under
     * a write still in progress there); this waits for it, and past the time leaves the writer to that thread
     * and says so in the health report.
     */
    private void awaitJournalWriter(final long timeoutNanos)
    {
        if (null != journal && !journal.awaitWriterClosed(timeoutNanos))
        {
            journalLeftOpen = true;
        }
    }

    /** Past the close timeout the engine stops anyway, naming the stage that held it up. */
    private void checkDrainDeadline(final long deadline)
    {
        if (System.nanoTime() - deadline > 0)
        {
            final String behind = stageBehind();
            disruptor.halt();
            halted = true;
            abandonRelays();
            closeVoteRunners();
            // Past the deadline already: a short grace for a journal thread that is not the one behind.
            awaitJournalWriter(Math.min(ctx.closeTimeout().toNanos(), JOURNAL_CLOSE_GRACE_NS));
            throw new PublishTimeoutException("close: the stages did not drain within " + ctx.closeTimeout() +
                "; " + behind + " is behind; stopped anyway", behind);
        }
    }

    /**
     * Stops the relays still running at the close deadline, after the callback each may be in, and keeps
     * what they were owed for the health report: the events committed up to now that they were not given.
     */
    private void abandonRelays()
    {
        final long cut = view().eventSeq();
        final List<ObserverHandle> shortfall = new ArrayList<>();
        for (final BestEffortRelay relay : relays)
        {
            relay.handle.closeCut = cut;
            relay.abandon();
            if (!relay.drained())
            {
                shortfall.add(relay.handle);
            }
        }
        closeShortfall = List.copyOf(shortfall);
    }

    private void closeVoteRunners()
    {
        synchronized (rosterLock)
        {
            for (final ObserverHandle handle : observers.values())
            {
                if (null != handle.voteRunner)
                {
                    handle.voteRunner.close();
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Internals.

    /** Threads that run observer code belong to the pipeline: they must never wait on it. */
    private Thread newObserverThread(final Runnable task)
    {
        final Thread thread = new Thread(task);
        thread.setDaemon(true);
        stageThreads.add(thread);
        return thread;
    }

    /**
     * A best-effort relay's thread runs observer code too, so it never waits for an outcome or a cut; but
     * the ring never waits for it (its queue drops instead), so it may wait for a free slot.
     */
    private Thread newRelayThread(final Runnable task)
    {
        final Thread thread = newObserverThread(task);
        relayThreads.add(thread);
        return thread;
    }

    /** On the relay's own thread, after its last callback. */
    private void relayStopped(final BestEffortRelay relay)
    {
        relays.remove(relay);
        stageThreads.remove(Thread.currentThread());
        relayThreads.remove(Thread.currentThread());
    }

    private boolean isStageThread()
    {
        final Thread current = Thread.currentThread();
        return stageThreads.contains(current);
    }

    /**
     * Writes a state snapshot at one point of the commit order, through the ring; with the journal after
     * it, {@link EngineContext#restoreFrom} rebuilds this registry exactly.
     *
     * @param file    where to write it (written to a temporary name and moved into place).
     * @param timeout how long to wait for the commit stage to take it.
     * @return the sequence of the last mutation the snapshot holds.
     */
    public long snapshot(final java.nio.file.Path file, final Duration timeout)
    {
        if (isStageThread())
        {
            throw new IllegalStateException("a snapshot cannot be awaited from an observer callback");
        }
        final SnapshotRequest request = new SnapshotRequest(file);
        final OutcomeWaiter waiter = waiter();
        final long token = waiterTokens.incrementAndGet();
        final long timeoutNanos = checkTimeout(timeout);
        final long sequence = claim(MODE_TIMEOUT, timeoutNanos);
        final MutationEvent event = ring.get(sequence);
        fill(sequence, event, null, CONTROL_TIME, null, null, 0, null, null, waiter, token);
        event.type = MutationEvent.CONTROL;
        event.control = request;
        publishClaimed(sequence, event);
        if (!waiter.await(token, System.nanoTime() + timeoutNanos))
        {
            waiters.remove();
            throw new PublishTimeoutException("snapshot not taken within " + timeout + "; " + stageBehind() +
                " is behind", stageBehind());
        }
        if (null != request.error)
        {
            throw request.error;
        }
        return request.sequence;
    }

    /** Called by the journal stage when a write failed. */
    void journalFailed(final RuntimeException error, final JournalFailurePolicy policy)
    {
        if (policy == JournalFailurePolicy.STOP_PUBLISHING)
        {
            journalFailure = error;
        }
    }

    private static RegistryState restore(final EngineContext ctx)
    {
        final RegistryState state = null == ctx.restoreSnapshot() ?
            new RegistryState(ctx.settings(), ctx.admissionRules()) :
            io.peerlane.state.StateSnapshot.read(ctx.restoreSnapshot(), ctx.settings(), ctx.admissionRules());
        if (null == ctx.restoreJournal())
        {
            return state;
        }
        final long after = state.publishedSequence();
        final io.peerlane.state.CommitResult result = new io.peerlane.state.CommitResult();
        try (io.peerlane.journal.JournalReader reader = io.peerlane.journal.JournalReader.open(ctx.restoreJournal()))
        {
            io.peerlane.journal.JournalEntry entry;
            boolean first = true;
            while (null != (entry = reader.next()))
            {
                if (first)
                {
                    first = false;
                    checkJournalCovers(ctx, reader, after);
                }
                if (entry.sequence() <= after)
                {
                    continue;
                }
                state.commit(entry.mutation(), entry.sequence(), result);
                if (!entry.outcome().sameAs(result))
                {
                    throw new IllegalStateException("restore from " + ctx.restoreJournal() + ": sequence " +
                        entry.sequence() + " at " + entry.file() + " offset " + entry.offset() + " was recorded as " +
                        entry.outcome() + " but gives " + result + " here: the settings or rules differ");
                }
            }
        }
        return state;
    }

    /**
     * A journal whose first segment follows records it does not hold (older segments pruned or lost) restores
     * only on a snapshot that covers them.
     */
    private static void checkJournalCovers(final EngineContext ctx, final io.peerlane.journal.JournalReader reader,
        final long after)
    {
        final long preceding = reader.precedingSequence();
        if (preceding != io.peerlane.journal.JournalDescriptor.NO_SEQUENCE && preceding > after)
        {
            throw new IllegalStateException("restore from " + ctx.restoreJournal() + ": the journal starts after " +
                "sequence " + preceding + " (its first segment is " +
                io.peerlane.journal.JournalDescriptor.segmentFileName(reader.firstSegmentIndex()) + "; the ones " +
                "before it are missing), and " + (null == ctx.restoreSnapshot() ? "no snapshot covers them" :
                "the snapshot " + ctx.restoreSnapshot() + " ends at sequence " + after) + ": sequences " +
                (after + 1) + " to " + preceding + " are missing");
        }
    }

    /** For a best-effort relay's thread: asks for its re-synchronisation through the ring, if there is room. */
    private boolean tryPublishResync(final ObserverHandle handle)
    {
        try
        {
            final long sequence = claim(MODE_TRY, 0);
            if (sequence == RING_FULL)
            {
                return false;
            }
            final MutationEvent event = ring.get(sequence);
            fill(sequence, event, null, CONTROL_TIME, null, null, 0, null, null, null, 0);
            event.type = MutationEvent.CONTROL;
            event.control = new RosterChange(RosterChange.Kind.RESYNC, handle);
            publishClaimed(sequence, event);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            // Closed, or publishing stopped by a journal failure: no resync; the relay asks again while it can.
            return false;
        }
    }

    /** For the journal ticker: a tick for the journal stage, skipped when the ring is full or publishing stopped. */
    void tryPublishJournalTick(final JournalTick tick)
    {
        try
        {
            final long sequence = claim(MODE_TRY, 0);
            if (sequence == RING_FULL)
            {
                return;
            }
            final MutationEvent event = ring.get(sequence);
            fill(sequence, event, null, CONTROL_TIME, null, null, 0, null, null, null, 0);
            event.type = MutationEvent.CONTROL;
            event.control = tick;
            publishClaimed(sequence, event);
        }
        catch (final IllegalStateException ex)
        {
            // Closed, or publishing stopped by a journal failure: nothing more to force.
        }
    }

    /** @return the journal stage, or null; for tests. */
    JournalStage journalStage()
    {
        return journal;
    }

    /** For the tick publisher: a tick at the clock's time, skipped when the ring is full. */
    long tryTick()
    {
        return submit(MutationKind.TICK, NO_TIME, null, null, 0, null, null, MODE_TRY, 0, null);
    }

    private long submit(
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban,
        final int mode,
        final long timeoutNanos,
        final OutcomeWaiter waiter)
    {
        final long sequence = claim(mode, timeoutNanos);
        if (sequence == RING_FULL)
        {
            return RING_FULL;
        }
        final MutationEvent event = ring.get(sequence);
        fill(sequence, event, kind, time, record, id, lastSeen, batch, ban, waiter, 0);
        publishClaimed(sequence, event);
        return sequence + sequenceBase;
    }

    private Outcome await(
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban,
        final Duration timeout)
    {
        final long timeoutNanos = checkTimeout(timeout);
        if (isStageThread())
        {
            throw new IllegalStateException("an observer callback cannot await an outcome: it is decided by the " +
                "pipeline the callback is running on; publish without waiting instead");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        final OutcomeWaiter waiter = waiter();
        final long token = waiterTokens.incrementAndGet();
        final long sequence = claim(MODE_TIMEOUT, timeoutNanos);
        final MutationEvent event = ring.get(sequence);
        fill(sequence, event, kind, time, record, id, lastSeen, batch, ban, waiter, token);
        publishClaimed(sequence, event);
        if (!waiter.await(token, deadline))
        {
            waiters.remove();
            final String behind = stageBehind();
            throw new PublishTimeoutException("outcome of sequence " + (sequence + sequenceBase) + " not decided within " + timeout +
                "; " + behind + " is behind", behind);
        }
        return waiter.outcome();
    }

    private OutcomeWaiter waiter()
    {
        OutcomeWaiter waiter = waiters.get();
        if (null == waiter)
        {
            waiter = new OutcomeWaiter(Thread.currentThread());
            waiters.set(waiter);
        }
        return waiter;
    }

    /**
     * Fills a claimed slot. The engine's clock is the only user code run between claim and publish; if it
     * throws, the slot is published as {@link MutationEvent#CANCELLED} (every stage skips it) before the
     * error reaches the producer, so the ring never waits for a sequence that nobody will publish.
     */
    private void fill(
        final long sequence,
        final MutationEvent event,
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban,
        final OutcomeWaiter waiter,
        final long token)
    {
        event.type = MutationEvent.DATA;
        if (event.kind != kind)
        {
            event.kind = kind;   // a reference store into the long-lived slot is a GC write barrier
        }
        event.time = time == NO_TIME ? clockOrCancel(sequence, event) : time;
        event.record = record;
        event.id = id;
        event.lastSeen = lastSeen;
        event.batch = batch;
        event.ban = ban;
        event.waiter = waiter;
        event.waiterToken = token;
        event.control = null;
        event.recordedVotes = false;
    }

    private long clockOrCancel(final long sequence, final MutationEvent event)
    {
        try
        {
            return clock.getAsLong();
        }
        catch (final Throwable ex)
        {
            cancel(sequence, event);
            throw new IllegalStateException("the engine's clock threw " + ex + ": mutation not published (the " +
                "engine goes on)", ex);
        }
    }

    /** Publishes a claimed slot as one every stage skips. */
    private void cancel(final long sequence, final MutationEvent event)
    {
        event.type = MutationEvent.CANCELLED;
        event.waiter = null;
        event.control = null;
        ring.publish(sequence);
    }

    /** Publishes a claimed slot, or cancels it when the engine closed meanwhile (see close()). */
    private void publishClaimed(final long sequence, final MutationEvent event)
    {
        if (closed && event.type != MutationEvent.CLOSE)
        {
            cancel(sequence, event);
            throw new EngineClosedException("engine is closed: mutation not accepted");
        }
        ring.publish(sequence);
    }

    private long claim(final int mode, final long timeoutNanos)
    {
        if (closed || !started)
        {
            throw new EngineClosedException(closed ? "engine is closed: mutation not accepted" : "engine not started");
        }
        final RuntimeException journalError = journalFailure;
        if (null != journalError)
        {
            throw new IllegalStateException("the journal failed, publishing stopped (journalFailurePolicy " +
                "STOP_PUBLISHING): " + journalError.getMessage(), journalError);
        }
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            if (mode == MODE_TRY)
            {
                return RING_FULL;
            }
        }
        return claimSlow(mode, timeoutNanos);
    }

    private long claimSlow(final int mode, final long timeoutNanos)
    {
        if (isStageThread() && !relayThreads.contains(Thread.currentThread()))
        {
            throw new IllegalStateException("re-entrant publish from an observer callback found the ring full: a stage " +
                "thread never waits for the ring, since the ring waits for it; use try* and drop or retry later");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        // Off the fast path already (the ring was full); the JFR event exists only while a recording wants it.
        final io.peerlane.metrics.ProducerHeldUpEvent heldUp = io.peerlane.metrics.ProducerHeldUpEvent.enabled() ?
            new io.peerlane.metrics.ProducerHeldUpEvent() : null;
        if (null != heldUp)
        {
            heldUp.begin();
        }
        // A producer that finds the ring full sleeps at the gate until the last stages free slots: on a
        // machine with few cores a spinning or polling producer takes the very CPU the stages need.
        while (true)
        {
            if (closed)
            {
                throw new EngineClosedException("engine is closed: mutation not accepted");
            }
            if (Thread.currentThread().isInterrupted())
            {
                // Nothing is claimed yet; the interrupt stays set for the caller.
                throw new PublishInterruptedException("interrupted while waiting for room in the ring: mutation " +
                    "not published");
            }
            try
            {
                final long claimed = ring.tryNext();
                if (null != heldUp)
                {
                    heldUp.end();
                    if (heldUp.shouldCommit())
                    {
                        heldUp.stage = stageBehind();
                        heldUp.commit();
                    }
                }
                return claimed;
            }
            catch (final InsufficientCapacityException ex)
            {
                if (mode == MODE_TIMEOUT && System.nanoTime() - deadline >= 0)
                {
                    final String behind = stageBehind();
                    throw new PublishTimeoutException(
                        "ring full for " + Duration.ofNanos(timeoutNanos) + ": " + behind + " is behind", behind);
                }
                producerGate.await(ringHasRoom);
            }
        }
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

    private List<StageActivity> distinctStages()
    {
        if (ctx.topology() == Topology.COMPACT)
        {
            return List.of(compactActivity());
        }
        return stages;
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

    private static int leastLoaded(final int[] load)
    {
        int best = 0;
        for (int i = 1; i < load.length; i++)
        {
            if (load[i] < load[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static PeerRecord checkRecord(final PeerRecord record)
    {
        if (null == record)
        {
            throw new InvalidInputException("peer", null, "is required");
        }
        return record;
    }

    private static NodeId checkId(final NodeId id)
    {
        if (null == id)
        {
            throw new InvalidInputException("id", null, "is required");
        }
        return id;
    }

    private static long checkLastSeen(final long lastSeen)
    {
        return Limits.checkSafe("lastSeen", lastSeen);
    }

    private static long checkTime(final long time)
    {
        return Limits.checkSafe("t", time);
    }

    private static Batch checkBatch(final Batch batch)
    {
        if (null == batch)
        {
            throw new InvalidInputException("ops", null, "is required: a batch of 1 to 1024 ops");
        }
        return batch;
    }

    private static Ban checkBan(final Ban ban)
    {
        if (null == ban)
        {
            throw new InvalidInputException("ban", null, "is required");
        }
        return ban;
    }

    private static Ban checkBanUntil(final Ban ban, final long timeMs)
    {
        if (ban.until() != Ban.FOREVER && ban.until() <= timeMs)
        {
            throw new InvalidInputException("until", ban.until(), "must be greater than the event time " + timeMs);
        }
        return ban;
    }

    private static long checkTimeout(final Duration timeout)
    {
        if (null == timeout || timeout.isNegative())
        {
            throw new InvalidInputException("timeout", timeout, "must be a duration >= 0");
        }
        return timeout.toNanos();
    }

    /** Counts and keeps the last error a stage threw outside an observer (observers' errors never get here). */
    private final class StageExceptionHandler implements ExceptionHandler<MutationEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final MutationEvent event)
        {
            stageErrors.record(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            stageErrors.record(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            stageErrors.record(ex);
        }
    }
}
