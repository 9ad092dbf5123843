package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's record of one registered observer: its place in the pipeline and its counters. Counters
 * are written by the one stage thread that runs the observer and read by anyone.
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

    final AtomicLong delivered = new AtomicLong();
    final AtomicLong votes = new AtomicLong();
    final AtomicLong vetoes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong deadlineMisses = new AtomicLong();
    final AtomicLong lastEventSeq = new AtomicLong();
    final AtomicLong overruns = new AtomicLong();
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
    void countFault(final AtomicLong counter, final Throwable error)
    {
        counter.lazySet(counter.get() + 1);
        if (null != error)
        {
            lastError = error.toString();
        }
        if (quarantineAfter > 0 && failures.get() + deadlineMisses.get() >= quarantineAfter && state == State.ACTIVE)
        {
            state = State.QUARANTINED;
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

    @Override
    public String toString()
    {
        return name + " (" + role + ")";
    }
}
