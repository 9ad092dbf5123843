package io.peerlane.engine;

import io.peerlane.journal.JournalWriter;
import io.peerlane.metrics.EngineCounters;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import io.peerlane.outcome.Outcome;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.RegistryState;
import io.peerlane.state.RegistryStats;
import io.peerlane.state.RegistryView;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.peerlane.engine.InputChecks.checkBan;
import static io.peerlane.engine.InputChecks.checkBanUntil;
import static io.peerlane.engine.InputChecks.checkBatch;
import static io.peerlane.engine.InputChecks.checkId;
import static io.peerlane.engine.InputChecks.checkKind;
import static io.peerlane.engine.InputChecks.checkLastSeen;
import static io.peerlane.engine.InputChecks.checkRecord;
import static io.peerlane.engine.InputChecks.checkTime;
import static io.peerlane.engine.InputChecks.checkTimeout;
import static io.peerlane.engine.RingPublisher.BLOCK;
import static io.peerlane.engine.RingPublisher.NO_TIME;
import static io.peerlane.engine.RingPublisher.TIMEOUT;
import static io.peerlane.engine.RingPublisher.TRY;
import static io.peerlane.engine.SlotFill.BAN;
import static io.peerlane.engine.SlotFill.BATCH;
import static io.peerlane.engine.SlotFill.REMOVE;
import static io.peerlane.engine.SlotFill.TICK;
import static io.peerlane.engine.SlotFill.TOUCH;
import static io.peerlane.engine.SlotFill.UNBAN;
import static io.peerlane.engine.SlotFill.UPSERT;

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
 * <p>
 * This class is a facade, as Aeron's {@code Archive} is: it checks inputs and hands each call to the
 * collaborator that does the work. {@link StageGraph} builds the ring and the stages for the topology,
 * {@link RingPublisher} claims, fills and publishes slots (the one way into the ring), {@link ObserverRoster}
 * registers and removes observers, {@link SideAgents} runs the sampler and the tickers, {@link EngineCloser}
 * drains and stops, {@link Recovery} rebuilds the registry from a snapshot and a journal, and
 * {@link HealthReport} describes it all for people.
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

    private final EngineContext ctx;
    private final RegistryState registry;
    private final EngineMetrics metrics;
    private final StageErrors stageErrors = new StageErrors();
    private final StageThreads threads = new StageThreads();
    private final StageGraph graph;
    private final RingPublisher publisher;
    private final ObserverRoster roster;
    private final SideAgents agents;
    private final EngineCloser closer;
    private final HealthReport health;

    /**
     * Builds an engine; call {@link #start()} to run it.
     *
     * @param ctx the configuration, checked here.
     */
    public PeerlaneEngine(final EngineContext ctx)
    {
        this.ctx = ctx.conclude();
        this.registry = Recovery.restore(ctx);
        final int counterCapacity = EngineMetrics.capacity(ctx.maxObservers(), StageGraph.stageCount(ctx));
        final EngineCounters counters = null == ctx.countersDirectory() ? EngineCounters.inMemory(counterCapacity) :
            EngineCounters.mapped(ctx.countersDirectory(), counterCapacity);
        this.metrics = new EngineMetrics(counters, null != ctx.journal());
        final JournalWriter writer = openJournal(ctx, counters);
        final long restored = registry.publishedSequence();
        final long sequenceBase = 1 + Math.max(restored, null == writer ? -1 : writer.lastSequence());
        graph = new StageGraph(ctx, registry, writer, sequenceBase, metrics, stageErrors, threads);
        publisher = new RingPublisher(graph, threads, ctx.clock(), sequenceBase);
        if (null != graph.journal)
        {
            graph.journal.publisher = publisher;
        }
        roster = new ObserverRoster(ctx, registry, graph, publisher, threads, metrics, stageErrors);
        agents = new SideAgents(ctx, publisher, metrics, stageErrors);
        closer = new EngineCloser(ctx, registry, graph, publisher, roster, agents, metrics);
        health = new HealthReport(ctx, registry, graph, publisher, roster, closer, metrics, stageErrors);
        metrics.wire(graph.ring, registry, stageErrors, graph.countedStages());
    }

    private static JournalWriter openJournal(final EngineContext ctx, final EngineCounters counters)
    {
        if (null == ctx.journal())
        {
            return null;
        }
        try
        {
            return JournalWriter.open(ctx.journal());
        }
        catch (final RuntimeException ex)
        {
            counters.markStopped(System.currentTimeMillis());   // no engine will write the file
            throw ex;
        }
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
        synchronized (roster.lock)
        {
            if (publisher.started)
            {
                throw new IllegalStateException("engine already started");
            }
            graph.start();
            publisher.started = true;
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
        agents.start(null != graph.journal);
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
    public EngineCounters counters()
    {
        return metrics.counters;
    }

    /** For tests of the engine package. */
    EngineMetrics metrics()
    {
        return metrics;
    }

    /** @return the journal stage, or null; for tests. */
    JournalStage journalStage()
    {
        return graph.journal;
    }

    /** @return the ring and its stages; for tests. */
    StageGraph stageGraph()
    {
        return graph;
    }

    /** @return the rule settings. */
    public RegistrySettings settings()
    {
        return ctx.settings();
    }

    /** @return the ring's cursor: the highest sequence claimed by a producer. */
    public long cursor()
    {
        return publisher.cursor();
    }

    // -----------------------------------------------------------------------------------------------------
    // Publishing: blocking, on the engine's clock.

    /** @param record a validated record. @return the mutation's ring sequence. */
    public long upsert(final PeerRecord record)
    {
        return publisher.publish(UPSERT, NO_TIME, checkRecord(record), 0, BLOCK, 0);
    }

    /** @param id the peer to remove. @return the ring sequence. */
    public long remove(final NodeId id)
    {
        return publisher.publish(REMOVE, NO_TIME, checkId(id), 0, BLOCK, 0);
    }

    /** @param id a peer. @param lastSeen liveness, ms. @return the ring sequence. */
    public long touch(final NodeId id, final long lastSeen)
    {
        return publisher.publish(TOUCH, NO_TIME, checkId(id), checkLastSeen(lastSeen), BLOCK, 0);
    }

    /** @param batch ops applied all or nothing. @return the ring sequence. */
    public long batch(final Batch batch)
    {
        return publisher.publish(BATCH, NO_TIME, checkBatch(batch), 0, BLOCK, 0);
    }

    /** @return the ring sequence of a tick at the clock's time. */
    public long tick()
    {
        return publisher.publish(TICK, NO_TIME, null, 0, BLOCK, 0);
    }

    /** @param ban what to ban and until when. @return the ring sequence. */
    public long ban(final Ban ban)
    {
        final long now = ctx.clock().getAsLong();
        return publisher.publish(BAN, now, checkBanUntil(checkBan(ban), now), 0, BLOCK, 0);
    }

    /** @param ban what to unban (its {@code until} is ignored). @return the ring sequence. */
    public long unban(final Ban ban)
    {
        return publisher.publish(UNBAN, NO_TIME, checkBan(ban), 0, BLOCK, 0);
    }

    // Blocking, with an explicit event time (replays, tests, producers with their own clock).

    /** @param timeMs event time. @param record a record. @return the ring sequence. */
    public long upsert(final long timeMs, final PeerRecord record)
    {
        return publisher.publish(UPSERT, checkTime(timeMs), checkRecord(record), 0, BLOCK, 0);
    }

    /** @param timeMs event time. @param id a peer. @return the ring sequence. */
    public long remove(final long timeMs, final NodeId id)
    {
        return publisher.publish(REMOVE, checkTime(timeMs), checkId(id), 0, BLOCK, 0);
    }

    /** @param timeMs event time. @param id a peer. @param lastSeen liveness. @return the ring sequence. */
    public long touch(final long timeMs, final NodeId id, final long lastSeen)
    {
        return publisher.publish(TOUCH, checkTime(timeMs), checkId(id), checkLastSeen(lastSeen), BLOCK, 0);
    }

    /** @param timeMs event time. @param batch the ops. @return the ring sequence. */
    public long batch(final long timeMs, final Batch batch)
    {
        return publisher.publish(BATCH, checkTime(timeMs), checkBatch(batch), 0, BLOCK, 0);
    }

    /** @param timeMs event time. @return the ring sequence. */
    public long tick(final long timeMs)
    {
        return publisher.publish(TICK, checkTime(timeMs), null, 0, BLOCK, 0);
    }

    /** @param timeMs event time. @param ban the ban. @return the ring sequence. */
    public long ban(final long timeMs, final Ban ban)
    {
        return publisher.publish(BAN, checkTime(timeMs), checkBanUntil(checkBan(ban), timeMs), 0, BLOCK, 0);
    }

    /** @param timeMs event time. @param ban what to unban. @return the ring sequence. */
    public long unban(final long timeMs, final Ban ban)
    {
        return publisher.publish(UNBAN, checkTime(timeMs), checkBan(ban), 0, BLOCK, 0);
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
        final MutationKind kind = checkKind(m);
        final long time = checkTime(m.time());
        // The op's own methods are user code: the publisher reads each once and checks what it read, all before
        // it claims a slot.
        return publisher.publishMutation(m, kind, time, recordedVotes);
    }

    // Non-blocking.

    /** @param record a record. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryUpsert(final PeerRecord record)
    {
        return publisher.publish(UPSERT, NO_TIME, checkRecord(record), 0, TRY, 0);
    }

    /** @param id a peer. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryRemove(final NodeId id)
    {
        return publisher.publish(REMOVE, NO_TIME, checkId(id), 0, TRY, 0);
    }

    /** @param id a peer. @param lastSeen liveness. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryTouch(final NodeId id, final long lastSeen)
    {
        return publisher.publish(TOUCH, NO_TIME, checkId(id), checkLastSeen(lastSeen), TRY, 0);
    }

    /** @param batch the ops. @return the ring sequence, or {@link #RING_FULL}. */
    public long tryBatch(final Batch batch)
    {
        return publisher.publish(BATCH, NO_TIME, checkBatch(batch), 0, TRY, 0);
    }

    // Bounded wait for a slot.

    /** @param record a record. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long upsert(final PeerRecord record, final Duration timeout)
    {
        return publisher.publish(UPSERT, NO_TIME, checkRecord(record), 0, TIMEOUT, checkTimeout(timeout));
    }

    /** @param id a peer. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long remove(final NodeId id, final Duration timeout)
    {
        return publisher.publish(REMOVE, NO_TIME, checkId(id), 0, TIMEOUT, checkTimeout(timeout));
    }

    /** @param id a peer. @param lastSeen liveness. @param timeout wait. @return the ring sequence. */
    public long touch(final NodeId id, final long lastSeen, final Duration timeout)
    {
        return publisher.publish(TOUCH, NO_TIME, checkId(id), checkLastSeen(lastSeen), TIMEOUT, checkTimeout(timeout));
    }

    /** @param batch the ops. @param timeout how long to wait for a slot. @return the ring sequence. */
    public long batch(final Batch batch, final Duration timeout)
    {
        return publisher.publish(BATCH, NO_TIME, checkBatch(batch), 0, TIMEOUT, checkTimeout(timeout));
    }

    // Publish and await the outcome (read-your-writes once it returns).

    /** @param record a record. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome upsertAndWait(final PeerRecord record, final Duration timeout)
    {
        return publisher.publishAndWait(UPSERT, NO_TIME, checkRecord(record), 0, timeout);
    }

    /** @param id a peer. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome removeAndWait(final NodeId id, final Duration timeout)
    {
        return publisher.publishAndWait(REMOVE, NO_TIME, checkId(id), 0, timeout);
    }

    /** @param id a peer. @param lastSeen liveness. @param timeout total wait. @return the outcome. */
    public Outcome touchAndWait(final NodeId id, final long lastSeen, final Duration timeout)
    {
        return publisher.publishAndWait(TOUCH, NO_TIME, checkId(id), checkLastSeen(lastSeen), timeout);
    }

    /** @param batch the ops. @param timeout for the slot and the outcome together. @return the outcome. */
    public Outcome batchAndWait(final Batch batch, final Duration timeout)
    {
        return publisher.publishAndWait(BATCH, NO_TIME, checkBatch(batch), 0, timeout);
    }

    /** @param ban the ban. @param timeout total wait. @return the outcome. */
    public Outcome banAndWait(final Ban ban, final Duration timeout)
    {
        final long now = ctx.clock().getAsLong();
        return publisher.publishAndWait(BAN, now, checkBanUntil(checkBan(ban), now), 0, timeout);
    }

    /** @param ban what to unban. @param timeout total wait. @return the outcome. */
    public Outcome unbanAndWait(final Ban ban, final Duration timeout)
    {
        return publisher.publishAndWait(UNBAN, NO_TIME, checkBan(ban), 0, timeout);
    }

    /** @param timeout total wait. @return the outcome of a tick at the clock's time. */
    public Outcome tickAndWait(final Duration timeout)
    {
        return publisher.publishAndWait(TICK, NO_TIME, null, 0, timeout);
    }

    /**
     * @param timeMs event time.
     * @param record a record.
     * @param timeout total wait.
     * @return the outcome.
     */
    public Outcome upsertAndWait(final long timeMs, final PeerRecord record, final Duration timeout)
    {
        return publisher.publishAndWait(UPSERT, checkTime(timeMs), checkRecord(record), 0, timeout);
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
        roster.register(name, role, observer, options);
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
        return roster.unregister(name);
    }

    /**
     * @param name an observer's name.
     * @return its statistics, or null when no such observer is registered.
     */
    public ObserverStats observerStats(final String name)
    {
        return roster.observerStats(name);
    }

    /** @return statistics of every registered observer, in registration order. */
    public List<ObserverStats> observerStats()
    {
        return roster.observerStats();
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
        return roster.readmit(name);
    }

    /**
     * A report for people: each stage with its sequence and the observer it is in, each observer with its
     * counters and state, and the outcome counts.
     *
     * @return the report.
     */
    public String healthReport()
    {
        return health.render();
    }

    // -----------------------------------------------------------------------------------------------------
    // Lifecycle.

    /** @return whether close() has begun. */
    public boolean isClosed()
    {
        return publisher.isClosed();
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
        closer.close();
    }

    /**
     * Writes a state snapshot at one point of the commit order, through the ring; with the journal after
     * it, {@link EngineContext#restoreFrom} rebuilds this registry exactly.
     *
     * @param file    where to write it (written to a temporary name and moved into place).
     * @param timeout how long to wait for the commit stage to take it.
     * @return the sequence of the last mutation the snapshot holds.
     */
    public long snapshot(final Path file, final Duration timeout)
    {
        if (threads.isStageThread())
        {
            throw new IllegalStateException("a snapshot cannot be awaited from an observer callback");
        }
        final SnapshotRequest request = new SnapshotRequest(file);
        final OutcomeWaiter waiter = publisher.waiterOrNull();
        final long timeoutNanos = checkTimeout(timeout);
        publisher.publishControl(request, TIMEOUT, timeoutNanos, waiter);
        if (!publisher.await(waiter, System.nanoTime() + timeoutNanos))
        {
            throw new PublishTimeoutException("snapshot not taken within " + timeout + "; " + graph.stageBehind() +
                " is behind", graph.stageBehind());
        }
        if (null != request.error)
        {
            throw request.error;
        }
        return request.sequence;
    }
}
