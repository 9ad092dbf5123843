package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault counters have more than one writer (a critical observer's prepare lane, publish lane and vote
 * runner): two threads counting faults at once lose none, and quarantine is reached on the full count.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObserverFaultCountTest
{
    @RepeatedTest(5)
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
        final CyclicBarrier start = new CyclicBarrier(2);
        final Thread publishLane = new Thread(() ->
        {
            await(start);
            for (int i = 0; i < second; i++)
            {
                handle.countFault(handle.failures, null);
            }
        }, "publish-lane");
        publishLane.start();
        // This thread plays the prepare lane: event failures and vote deadline misses, interleaved.
        await(start);
        int missed = 0;
        for (int i = 0; i < first; i++)
        {
            handle.countFault(handle.failures, null);
            if (missed < misses && (i & 127) == 0)
            {
                handle.countFault(handle.deadlineMisses, null);
                missed++;
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

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
