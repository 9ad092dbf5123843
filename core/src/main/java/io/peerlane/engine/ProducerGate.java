package io.peerlane.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where producers wait for the ring to have room. A producer that finds the ring full sleeps here until the
 * last stages have freed slots, instead of polling: on a machine with few cores, producers that wake every
 * few microseconds to look take the very CPU the single writer needs to free a slot. The stages that gate
 * the ring call {@link #released()} as each run of events starts (the Disruptor advances a stage's sequence
 * after its run, so that is when the previous run's slots are free), which costs one volatile read when
 * nobody waits.
 */
final class ProducerGate
{
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * Sleeps until a stage frees slots or a millisecond passes (a safety net: the caller checks the ring
     * again either way).
     *
     * @param hasRoom checked once more after this producer is counted as waiting, so a release that came
     *                just before is not missed.
     */
    void await(final java.util.function.BooleanSupplier hasRoom)
    {
        lock.lock();
        try
        {
            waiting.incrementAndGet();
            if (!hasRoom.getAsBoolean())
            {
                room.awaitNanos(RECHECK_NANOS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    /** Called by a stage that gates the ring after it has moved on: wakes the producers that wait, if any. */
    void released()
    {
        if (waiting.get() > 0)
        {
            lock.lock();
            try
            {
                room.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
