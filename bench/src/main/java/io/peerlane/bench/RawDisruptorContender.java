package io.peerlane.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.mutation.MutationValue;

/**
 * The ceiling: the same kind of multi-producer ring Peerlane is built on, of the same size and wait
 * strategy, with one handler that only timestamps the op. No rules, no observers: what is left of
 * Peerlane's cost once the registry's own work is taken away.
 */
final class RawDisruptorContender implements Contender
{
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;

    /** A preallocated ring slot. */
    static final class Slot
    {
        MutationValue op;
    }

    RawDisruptorContender(final ContenderSetup setup)
    {
        final LatencyProbe probe = setup.probe;
        disruptor = new Disruptor<>(Slot::new, setup.ringSize, DaemonThreadFactory.INSTANCE, ProducerType.MULTI,
            waitStrategy(setup.waitStrategy));
        disruptor.handleEventsWith((slot, sequence, endOfBatch) -> probe.consumed(Workload.indexOf(slot.op)));
        ring = disruptor.start();
    }

    private static WaitStrategy waitStrategy(final WaitStrategyKind kind)
    {
        switch (kind)
        {
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            default:
                return new BlockingWaitStrategy();
        }
    }

    @Override
    public void publish(final MutationValue op, final int producer)
    {
        final long sequence = ring.next();
        ring.get(sequence).op = op;
        ring.publish(sequence);
    }

    @Override
    public void close()
    {
        disruptor.shutdown();
    }
}
