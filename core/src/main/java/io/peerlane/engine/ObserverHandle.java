package io.peerlane.engine;

import io.peerlane.metrics.CounterKind;
import io.peerlane.metrics.EngineCounters;
import io.peerlane.metrics.ObserverQuarantineEvent;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's record of one registered observer: its place in the pipeline and its counters. Counters
 * are Agrona counters in the engine's {@link EngineCounters} (so the stat tool, the Micrometer binder and
 * {@code observerStats()} read the same values) and read by anyone. The hot counters (events, votes, vetoes,
 * overruns, resyncs) are written by the one thread that runs that part of the observer (its lane or relay) with a
 * plain read and a release store; the gauges by the engine's sampler only. The two fault counters
 * ({@link #failures}, {@link #deadlineMisses}) have several writers: for a critical observer in the pipelined
 * topology its prepare lane (votes), its publish lane (events) and its vote runner all count faults, and
 * {@code readmit()} resets them from a user thread; so {@link #countFault} increments them atomically (a CAS
 * on the fault path only, never in steady state) and the quarantine check reads the full count.
 */
final class ObserverHandle
{
    static final ObserverHandle[] NONE = new ObserverHandle[0];
    static final int TIMING_SAMPLE = 64;

    enum State
    {
        ACTIVE, QUARANTINED, OVERRUN, UNREGISTERED
    }

    final String name;
    final ObserverRole role;
    final PeerObserver observer;
    final int voteIndex;
    final long deadlineNanos;
    final long quarantineAfter;
    final int prepareLane;
    final int publishLane;

    final AtomicCounter delivered;
    final AtomicCounter votes;
    final AtomicCounter vetoes;
    final AtomicCounter failures;
    final AtomicCounter deadlineMisses;
    final AtomicCounter overruns;
    final AtomicCounter resyncs;
    /** Gauges written by the engine's sampler only. */
    final AtomicCounter stateGauge;
    final AtomicCounter lagGauge;
    final AtomicCounter callbackP50;
    final AtomicCounter callbackP99;
    final AtomicCounter callbackMax;
    final AtomicCounter voteP99;
    private final EngineCounters counters;
    final AtomicLong lastEventSeq = new AtomicLong();
    /** Set for a best-effort observer: its own queue and thread. */
    BestEffortRelay relay;
    /** Set for a critical observer with a deadline in the pipelined topology: its own voting thread. */
    VoteRunner voteRunner;
    /** Vote times, written by the observer's prepare lane. */
    final SingleWriterRecorder voteNanos = new SingleWriterRecorder(3);
    /** Event callback times, written by the observer's publish lane. */
    final SingleWriterRecorder eventNanos = new SingleWriterRecorder(3);
    private final Histogram voteTotal = new Histogram(3);
    private final Histogram eventTotal = new Histogram(3);
    /** The sampler's recycled interval histograms (under this handle's monitor). */
    private Histogram eventInterval;
    private Histogram voteInterval;
    volatile State state = State.ACTIVE;
    /** Set by unregister() while it publishes the removal, under the engine's roster lock. */
    boolean unregistering;
    /** Set once the observer has been given everything before its cut: by its publish lane or its relay. */
    volatile boolean cutDelivered;
    /** Set when close() gave up on the observer at its timeout: the event seq it was owed up to, or -1. */
    volatile long closeCut = -1;
    private long callbacks = TIMING_SAMPLE - 1;
    volatile String lastError;

    ObserverHandle(
        final String name,
        final ObserverRole role,
        final PeerObserver observer,
        final int voteIndex,
        final long deadlineNanos,
        final long quarantineAfter,
        final int prepareLane,
        final int publishLane)
    {
        this(name, role, observer, voteIndex, deadlineNanos, quarantineAfter, prepareLane, publishLane,
            EngineCounters.inMemory(COUNTERS));
    }

    /** Counters each observer takes from the engine's {@link EngineCounters}. */
    static final int COUNTERS = 13;

    ObserverHandle(
        final String name,
        final ObserverRole role,
        final PeerObserver observer,
        final int voteIndex,
        final long deadlineNanos,
        final long quarantineAfter,
        final int prepareLane,
        final int publishLane,
        final EngineCounters engineCounters)
    {
        // Sized for every observer at once; should a churn of registrations outrun the reuse delay, the observer
        // counts in a private buffer instead (its stats are right, the file does not show it).
        this.counters = engineCounters.available() >= COUNTERS ? engineCounters : EngineCounters.inMemory(COUNTERS);
        delivered = counters.newCounter(CounterKind.OBSERVER_EVENTS, name);
        votes = counters.newCounter(CounterKind.OBSERVER_VOTES, name);
        vetoes = counters.newCounter(CounterKind.OBSERVER_VETOES, name);
        failures = counters.newCounter(CounterKind.OBSERVER_FAILURES, name);
        deadlineMisses = counters.newCounter(CounterKind.OBSERVER_DEADLINE_MISSES, name);
        overruns = counters.newCounter(CounterKind.OBSERVER_OVERRUNS, name);
        resyncs = counters.newCounter(CounterKind.OBSERVER_RESYNCS, name);
        stateGauge = counters.newCounter(CounterKind.OBSERVER_STATE, name);
        lagGauge = counters.newCounter(CounterKind.OBSERVER_LAG, name);
        callbackP50 = counters.newCounter(CounterKind.OBSERVER_CALLBACK_P50_NS, name);
        callbackP99 = counters.newCounter(CounterKind.OBSERVER_CALLBACK_P99_NS, name);
        callbackMax = counters.newCounter(CounterKind.OBSERVER_CALLBACK_MAX_NS, name);
        voteP99 = counters.newCounter(CounterKind.OBSERVER_VOTE_P99_NS, name);
        this.prepareLane = prepareLane;
        this.publishLane = publishLane;
        this.name = name;
        this.role = role;
        this.observer = observer;
        this.voteIndex = voteIndex;
        this.deadlineNanos = deadlineNanos;
        this.quarantineAfter = quarantineAfter;
    }

    boolean isCritical()
    {
        return role == ObserverRole.CRITICAL;
    }

    /** Counts a failure or deadline miss; past the configured count the observer leaves the gate. */
    void countFault(final AtomicCounter counter, final Throwable error)
    {
        // Atomic: the fault counters have more than one writer (see the class note); a plain read and release
        // store here would lose counts and check quarantine against an undercount.
        counter.increment();
        if (null != error)
        {
            lastError = error.toString();
        }
        if (quarantineAfter > 0 && failures.get() + deadlineMisses.get() >= quarantineAfter && state == State.ACTIVE)
        {
            // The event first: once the state is out, a reader may readmit the observer, and its readmission
            // event must not be stamped before the quarantine it undoes.
            quarantineEvent(true);
            state = State.QUARANTINED;
        }
    }

    /**
     * Records the change of quarantine in JFR when a recording asks for it; allocates only then (the event's
     * enabled check comes first), so a quarantine and readmission repeated with no recording allocates nothing.
     */
    void quarantineEvent(final boolean quarantined)
    {
        if (!ObserverQuarantineEvent.enabled())
        {
            return;
        }
        final ObserverQuarantineEvent event = new ObserverQuarantineEvent();
        if (event.shouldCommit())
        {
            event.observer = name;
            event.role = role.name();
            event.quarantined = quarantined;
            event.failures = failures.get();
            event.deadlineMisses = deadlineMisses.get();
            event.lastError = lastError;
            event.commit();
        }
    }

    /** Gives the observer's counters back to the engine's; once nothing of it runs any more. */
    void freeCounters()
    {
        for (final AtomicCounter c : new AtomicCounter[]{ delivered, votes, vetoes, failures, deadlineMisses,
            overruns, resyncs, stateGauge, lagGauge, callbackP50, callbackP99, callbackMax, voteP99 })
        {
            counters.free(c);
        }
    }

    /**
     * The sampler's part: the state, the lag and the callback time percentiles, from the recorders (folding
     * them takes this handle's monitor, which no stage thread ever takes).
     */
    void sample(final long eventSeq, final boolean percentiles)
    {
        stateGauge.setRelease(state.ordinal());
        lagGauge.setRelease(Math.max(0, eventSeq - lastEventSeq.get()));
        if (percentiles)
        {
            samplePercentiles();
        }
    }

    /** Folds the recorders' intervals into the totals with recycled histograms: nothing allocated per sample. */
    private synchronized void samplePercentiles()
    {
        eventInterval = eventNanos.getIntervalHistogram(eventInterval);
        eventTotal.add(eventInterval);
        if (eventTotal.getTotalCount() > 0)
        {
            callbackP50.setRelease(eventTotal.getValueAtPercentile(50));
            callbackP99.setRelease(eventTotal.getValueAtPercentile(99));
            callbackMax.setRelease(eventTotal.getMaxValue());
        }
        voteInterval = voteNanos.getIntervalHistogram(voteInterval);
        voteTotal.add(voteInterval);
        if (voteTotal.getTotalCount() > 0)
        {
            voteP99.setRelease(voteTotal.getValueAtPercentile(99));
        }
    }

    /** Folds the recorder's latest interval into the running total; for stats readers, any thread. */
    synchronized Histogram accumulatedVoteNanos()
    {
        voteTotal.add(voteNanos.getIntervalHistogram());
        return voteTotal.copy();
    }

    /** Folds the recorder's latest interval into the running total; for stats readers, any thread. */
    synchronized Histogram accumulatedEventNanos()
    {
        eventTotal.add(eventNanos.getIntervalHistogram());
        return eventTotal.copy();
    }

    /**
     * Callback times are sampled: one callback in {@value #TIMING_SAMPLE} is timed, which keeps two clock
     * reads and a histogram update off most callbacks while the percentiles stay representative. Called
     * only by the observer's own publish lane.
     */
    boolean timeThisCallback()
    {
        return (++callbacks & (TIMING_SAMPLE - 1)) == 0;
    }

    /** @return events owed up to its cut that it was not given, when close() gave up on it; else 0. */
    long undeliveredAtClose()
    {
        if (closeCut < 0 || (null != relay && relay.drained()))
        {
            return 0;
        }
        return Math.max(0, owedUpTo() - lastEventSeq.get());
    }

    /**
     * @return the event seq it is owed up to, when close() gave up on it: its own cut when its STOP was
     * queued (at its unregistration or the close), else what was committed when close() gave up.
     */
    long owedUpTo()
    {
        final long stopCut = null == relay ? -1 : relay.cut();
        return stopCut >= 0 ? stopCut : closeCut;
    }

    static void increment(final AtomicLong counter)
    {
        counter.lazySet(counter.get() + 1);
    }

    /**
     * @param eventSeq the last event line the commit stage published.
     * @return a copy of this observer's counters, times and state.
     */
    ObserverStats stats(final long eventSeq)
    {
        final long busy = null == voteRunner ? -1 : voteRunner.busyNanos();
        return new ObserverStats(
            name,
            role,
            state.name(),
            delivered.get(),
            votes.get(),
            vetoes.get(),
            failures.get(),
            deadlineMisses.get(),
            Math.max(0, eventSeq - lastEventSeq.get()),
            overruns.get(),
            accumulatedVoteNanos(),
            accumulatedEventNanos(),
            lastError,
            busy < 0 ? -1 : busy / 1_000_000,
            undeliveredAtClose());
    }

    static void increment(final AtomicCounter counter)
    {
        counter.incrementRelease();
    }

    @Override
    public String toString()
    {
        return name + " (" + role + ")";
    }
}
