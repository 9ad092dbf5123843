package io.peerlane.engine;

import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/** How idle consumer threads wait for the next event. */
public enum WaitStrategyKind
{
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

    WaitStrategy create()
    {
        switch (this)
        {
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
