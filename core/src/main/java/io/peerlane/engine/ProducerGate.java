package io.peerlane.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Where producers wait for the ring to have room. A producer that finds the ring full sleeps here until the
 * last stages have freed slots, instead of polling: on a machine with few cores, producers that wake every
 * few microseconds to look take the very CPU the single writer needs to free a slot. The stages that gate
 * the ring call {@link #released(long)} as each run of events starts (the Disruptor advances a stage's
 * sequence after its run, so that is when the previous run's slots are free), which costs one volatile read
 * when nobody waits.
 * <p>
 * Waking is batched: sleeping producers are signalled once an eighth of the ring is free, not for every
 * slot, so a saturated ring costs a few wake-ups per ring instead of one per run of events (each a futex
 * call on two cores that need the CPU). A stage about to run a short run (fewer events than that eighth)
 * signals anyway: it may soon have nothing left to do, and producers must not sleep then. A long run
 * keeps the stage busy for at least that many events, so producers that sleep through it cost no
 * throughput, and wake at the next run or at the re-check below.
 */
final class ProducerGate
{
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongSupplier freeSlots;
    private final long wakeAt;

    /**
     * @param freeSlots the ring's free slots now.
     * @param ringSize  the ring's size.
     */
    ProducerGate(final LongSupplier freeSlots, final int ringSize)
    {
        this.freeSlots = freeSlots;
        this.wakeAt = Math.max(1, ringSize / 8);
    }

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

    /**
     * Called by a stage that gates the ring as a run of events starts: wakes the producers that wait, if
     * any, when enough slots are free or the run is short.
     *
     * @param runLength events in the run the stage is starting.
     */
    void released(final long runLength)
    {
        if (waiting.get() > 0 && (runLength < wakeAt || freeSlots.getAsLong() >= wakeAt))
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
