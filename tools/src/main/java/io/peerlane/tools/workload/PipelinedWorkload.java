package io.peerlane.tools.workload;

import io.peerlane.mutation.MutationValue;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * A {@link WorkloadGenerator} run on a thread of its own, a bounded queue ahead of the thread that takes its ops
 * (the one that commits and records them): making an op (drawing it, building and validating its records) is
 * about as costly as committing and encoding it, and the two are independent, so on two cores they overlap.
 * <p>
 * The generator is as sequential as before: one thread draws every op in order from the one seeded random
 * source, and the queue is first in, first out, so the ops (and the journal or trace made of them) are the same,
 * byte for byte, as from a generator called on the taking thread. Both sides back off (spin, yield, park) when
 * the queue is full or empty, so a shared machine loses little to waiting. Whatever the generating thread
 * throws (out of memory included) is thrown again by {@link #next()} on the taking thread, where the tool
 * reports it as it would have.
 */
public final class PipelinedWorkload implements AutoCloseable
{
    private static final int CAPACITY = 4096;

    private final OneToOneConcurrentArrayQueue<MutationValue> queue = new OneToOneConcurrentArrayQueue<>(CAPACITY);
    private final IdleStrategy takerIdle = idle();
    private final long ops;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean stopped;
    private long taken;

    /**
     * @param generator the generator, used only by the thread this starts from now on.
     * @param ops       ops it makes.
     */
    public PipelinedWorkload(final WorkloadGenerator generator, final long ops)
    {
        this.ops = ops;
        thread = new Thread(() -> generate(generator), "peerlane-generate");
        thread.setDaemon(true);
        thread.start();
    }

    private void generate(final WorkloadGenerator generator)
    {
        final IdleStrategy idle = idle();
        try
        {
            while (generator.hasNext() && !stopped)
            {
                final MutationValue op = generator.next();
                idle.reset();
                while (!queue.offer(op))
                {
                    if (stopped)
                    {
                        return;
                    }
                    idle.idle();
                }
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    /** @return whether ops remain to be taken. */
    public boolean hasNext()
    {
        return taken < ops;
    }

    /**
     * @return the next op, in the generator's order; waits for it.
     * @throws RuntimeException or Error: what the generating thread threw.
     */
    public MutationValue next()
    {
        MutationValue op = queue.poll();
        if (null == op)
        {
            takerIdle.reset();
            while (null == (op = queue.poll()))
            {
                final Throwable ex = failure;
                if (null != ex && queue.isEmpty())
                {
                    throw rethrow(ex);
                }
                takerIdle.idle();
            }
        }
        taken++;
        return op;
    }

    private static RuntimeException rethrow(final Throwable ex)
    {
        if (ex instanceof Error)
        {
            throw (Error)ex;
        }
        if (ex instanceof RuntimeException)
        {
            throw (RuntimeException)ex;
        }
        throw new IllegalStateException(ex);
    }

    /** Stops the generating thread (when the taker gave up early) and waits for it. */
    @Override
    public void close()
    {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static IdleStrategy idle()
    {
        return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    }
}
