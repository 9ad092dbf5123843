package io.peerlane.bench;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.CommitResult;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures one contender's run without allocating: a producer writes the op's send time (its intended
 * time in rate mode, so a stall counts against the contender: no coordinated omission) into
 * {@code sendTime[op]} before it publishes; whatever commits the op calls {@link #committed}; an extra
 * observer, delivered to last, records when the event reached the observers. The workload commits exactly
 * one event line per op, so the commit maps the event's seq to the op for the observer to look up.
 * <p>
 * The recorders are HdrHistogram {@link Recorder}s: wait-free for any number of recording threads, and
 * read by the sampling thread once a second for the interval logs.
 */
public final class LatencyProbe
{
    /** Largest value recorded; larger ones are clamped, so a pathological stall still shows as a minute. */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    final Recorder commit = newRecorder();
    final Recorder observer = newRecorder();
    final Recorder holdUp = newRecorder();
    private final long[] sendTime;
    private final int[] opBySeq;
    private final LongAdder committedCount = new LongAdder();
    private final LongAdder deliveredCount = new LongAdder();
    private final AtomicLong anomalies = new AtomicLong();
    private final PeerObserver lastObserver = this::delivered;

    /** @param ops the workload's size, the population's ops included ({@link Workload#totalOps()}). */
    public LatencyProbe(final int ops)
    {
        sendTime = new long[ops];
        opBySeq = new int[ops + 1];
    }

    static Recorder newRecorder()
    {
        return new Recorder(1, HIGHEST_NANOS, 3);
    }

    /** Clears counters and recorders for a new run. */
    void reset()
    {
        committedCount.reset();
        deliveredCount.reset();
        anomalies.set(0);
        commit.reset();
        observer.reset();
        holdUp.reset();
    }

    /**
     * Producer side, just before the publish call.
     *
     * @param op        the op index.
     * @param sendNanos its send time, {@link System#nanoTime()} based.
     */
    void sent(final int op, final long sendNanos)
    {
        sendTime[op] = sendNanos;
    }

    /**
     * Producer side, just after the publish call returned.
     *
     * @param nanos time spent inside the publish call.
     */
    void heldUp(final long nanos)
    {
        holdUp.recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    /**
     * Called where the op's outcome was decided, on whichever thread decides it.
     *
     * @param op     the op index.
     * @param result its outcome and event lines.
     */
    public void committed(final int op, final CommitResult result)
    {
        final long now = System.nanoTime();
        if (result.lineCount() == 1 && result.firstEventSeq() < opBySeq.length)
        {
            opBySeq[(int)result.firstEventSeq()] = op;
        }
        else
        {
            anomalies.incrementAndGet();
        }
        commit.recordValue(clamp(now - sendTime[op]));
        committedCount.increment();
    }

    /**
     * For contenders with no rules and no observers (the raw ring): the op reached its consumer.
     *
     * @param op the op index.
     */
    public void consumed(final int op)
    {
        final long now = System.nanoTime();
        commit.recordValue(clamp(now - sendTime[op]));
        committedCount.increment();
    }

    private void delivered(final RegistryEvent event)
    {
        final long now = System.nanoTime();
        final long seq = event.seq();
        if (seq <= 0 || seq >= opBySeq.length)
        {
            anomalies.incrementAndGet();
            return;
        }
        observer.recordValue(clamp(now - sendTime[opBySeq[(int)seq]]));
        deliveredCount.increment();
    }

    /** @return the observer to deliver to after every other one. */
    public PeerObserver observer()
    {
        return lastObserver;
    }

    /** @return ops committed so far in this run. */
    long committedCount()
    {
        return committedCount.sum();
    }

    /** @return events delivered to the probe so far in this run. */
    long deliveredCount()
    {
        return deliveredCount.sum();
    }

    /** @return ops that did not commit exactly one event line: the contender did other work than the rest. */
    long anomalies()
    {
        return anomalies.get();
    }

    private static long clamp(final long nanos)
    {
        return nanos < 0 ? 0 : Math.min(nanos, HIGHEST_NANOS);
    }
}
