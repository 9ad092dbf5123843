package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault counters have more than one writer (a critical observer's prepare lane, publish lane and vote
 * runner): two threads counting faults at once lose none, and quarantine is reached on the full count.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObserverFaultCountTest
{
    private static final int PHASES = 20;

    @RepeatedTest(10)
    void twoThreadsCountingFaultsLoseNothing() throws Exception
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("ObserverFaultCountTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final int first = 200_000 + random.nextInt(100_000);
        final int second = 200_000 + random.nextInt(100_000);
        final int misses = 1_000 + random.nextInt(1_000);
        // Quarantined exactly when every fault has been counted: an undercount leaves it ACTIVE.
        final long quarantineAfter = (long)first + second + misses;
        final ObserverHandle handle = new ObserverHandle("gate", ObserverRole.CRITICAL, e -> { }, 0, 0,
            quarantineAfter, 0, 0);
        // The two threads meet at the start of each phase, so that their counting overlaps in every phase
        // (no timing: each waits for the other to reach the phase, then both count at once).
        final AtomicInteger[] phaseOf = {new AtomicInteger(-1), new AtomicInteger(-1)};
        final Thread publishLane = new Thread(() ->
        {
            for (int phase = 0; phase < PHASES; phase++)
            {
                meet(phaseOf, 1, phase);
                for (int i = share(second, phase); i > 0; i--)
                {
                    handle.countFault(handle.failures, null);
                }
            }
        }, "publish-lane");
        publishLane.start();
        // This thread plays the prepare lane: event failures and vote deadline misses, interleaved.
        int missed = 0;
        for (int phase = 0; phase < PHASES; phase++)
        {
            meet(phaseOf, 0, phase);
            for (int i = share(first, phase); i > 0; i--)
            {
                handle.countFault(handle.failures, null);
                if (missed < misses && (i & 127) == 0)
                {
                    handle.countFault(handle.deadlineMisses, null);
                    missed++;
                }
            }
        }
        while (missed < misses)
        {
            handle.countFault(handle.deadlineMisses, null);
            missed++;
        }
        publishLane.join();
        assertEquals(first + second, handle.failures.get(), "failures counted by two threads, seed " + seed);
        assertEquals(misses, handle.deadlineMisses.get(), "deadline misses, seed " + seed);
        assertEquals(ObserverHandle.State.QUARANTINED, handle.state, "quarantined on the full count, seed " + seed);
    }

    /** The counts of one phase: {@code total} split over {@link #PHASES}, the remainder in the last. */
    private static int share(final int total, final int phase)
    {
        return phase < PHASES - 1 ? total / PHASES : total - (PHASES - 1) * (total / PHASES);
    }

    /** Marks {@code self} at {@code phase} and waits until the other thread is there too. */
    private static void meet(final AtomicInteger[] phaseOf, final int self, final int phase)
    {
        phaseOf[self].set(phase);
        while (phaseOf[1 - self].get() < phase)
        {
            Thread.onSpinWait();
        }
    }
}
