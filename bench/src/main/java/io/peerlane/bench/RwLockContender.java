package io.peerlane.bench;

import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The design Peerlane replaces: a registry behind a {@link ReentrantReadWriteLock}. The write path takes
 * the write lock, applies the same rules ({@link RegistryState}), then calls every observer in turn while
 * still holding the lock, so one slow observer holds up every producer and every reader.
 */
final class RwLockContender implements Contender
{
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final RegistryState state;
    private final CommitResult result = new CommitResult();
    private final ObserverDelivery delivery;
    private final LatencyProbe probe;
    private long sequence;

    RwLockContender(final ContenderSetup setup)
    {
        state = new RegistryState(setup.workload.settings(), java.util.List.of());
        delivery = new ObserverDelivery(setup.observersWithProbe());
        probe = setup.probe;
    }

    @Override
    public void publish(final WorkloadOp op, final int producer)
    {
        final ReentrantReadWriteLock.WriteLock write = lock.writeLock();
        write.lock();
        try
        {
            state.commit(op, sequence++, result);
            probe.committed(op.index(), result);
            delivery.deliver(result);
        }
        finally
        {
            write.unlock();
        }
    }

    @Override
    public void close()
    {
    }
}
