package io.peerlane.bench;

import io.peerlane.mutation.MutationValue;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A single-thread executor fed by an {@link ArrayBlockingQueue} of the ring's capacity: producers
 * {@code put} (blocking when full, the same back-pressure as the ring), one thread takes each op, applies
 * the rules and calls the observers. The same single-writer idea as Peerlane, on a lock-based queue.
 */
final class ExecutorContender implements Contender
{
    private static final MutationValue STOP = MutationValue.tick(Workload.BASE_TIME_MS - 1);

    private final ArrayBlockingQueue<MutationValue> queue;
    private final RegistryState state;
    private final CommitResult result = new CommitResult();
    private final ObserverDelivery delivery;
    private final LatencyProbe probe;
    private final Thread worker;
    private volatile Throwable failure;

    ExecutorContender(final ContenderSetup setup)
    {
        queue = new ArrayBlockingQueue<>(setup.ringSize);
        state = new RegistryState(setup.workload.settings(), List.of());
        delivery = new ObserverDelivery(setup.observersWithProbe());
        probe = setup.probe;
        worker = new Thread(this::work, "bench-executor");
        worker.setDaemon(true);
        worker.start();
    }

    private void work()
    {
        long sequence = 0;
        try
        {
            while (true)
            {
                final MutationValue op = queue.take();
                if (op == STOP)
                {
                    return;
                }
                state.commit(op, sequence++, result);
                probe.committed(Workload.indexOf(op), result);
                delivery.deliver(result);
            }
        }
        catch (final InterruptedException ex)
        {
            failure = ex;
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
            throw ex;
        }
    }

    @Override
    public void publish(final MutationValue op, final int producer)
    {
        try
        {
            queue.put(op);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("executor: interrupted while the queue was full", ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            queue.put(STOP);
            worker.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (null != failure)
        {
            throw new IllegalStateException("executor: worker failed: " + failure, failure);
        }
    }
}
