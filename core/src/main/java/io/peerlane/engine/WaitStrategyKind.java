package io.peerlane.engine;

import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.concurrent.TimeUnit;

/** How idle consumer threads wait for the next event. */
public enum WaitStrategyKind
{
    /**
     * Spin briefly, then yield, then block on a lock and condition like {@link #BLOCKING}: an event that
     * follows soon after the last costs no wake-up (no futex call for the producer, no reschedule for the
     * consumer), and an idle engine burns no CPU once the back-off ends. The phases are short
     * ({@link #BACKOFF_SPIN_NANOS}, then {@link #BACKOFF_YIELD_NANOS}) so that on a 2-core machine a waiting
     * consumer gives its core back to producers almost at once.
     */
    BACKOFF,
    /**
     * Lock and condition: no CPU while idle. Producers signal only when a consumer is actually asleep
     * (Disruptor's lite blocking strategy), so several producers do not queue on one monitor per publish.
     */
    BLOCKING,
    /** Spin, then yield, then sleep briefly: little CPU while idle, copes with more threads than cores. */
    SLEEPING,
    /** Spin then yield: low latency, burns a core while idle. */
    YIELDING,
    /** Spin only: lowest latency, needs a spare core per consumer thread. */
    BUSY_SPIN;

    /** How long {@link #BACKOFF} spins before it yields. */
    public static final long BACKOFF_SPIN_NANOS = 2_000;
    /** How long {@link #BACKOFF} yields, after spinning, before it blocks. */
    public static final long BACKOFF_YIELD_NANOS = 20_000;

    WaitStrategy create()
    {
        switch (this)
        {
            case BACKOFF:
                return PhasedBackoffWaitStrategy.withLiteLock(BACKOFF_SPIN_NANOS, BACKOFF_YIELD_NANOS, TimeUnit.NANOSECONDS);
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            default:
                return new LiteBlockingWaitStrategy();
        }
    }
}
