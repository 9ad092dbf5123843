package io.peerlane.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM readings behind the GC, allocation and heap columns. */
class JvmMetersTest
{
    @Test
    void onlyBeansThatCountPausesAreCounted()
    {
        for (final String pauses : new String[]{ "G1 Young Generation", "G1 Old Generation", "ZGC Pauses",
            "Shenandoah Pauses", "PS Scavenge", "PS MarkSweep", "Copy", "MarkSweepCompact" })
        {
            assertTrue(GcPauses.countsPauses(pauses), pauses);
        }
        for (final String cycles : new String[]{ "ZGC Cycles", "ZGC Major Cycles", "Shenandoah Cycles", "G1 Concurrent GC" })
        {
            assertFalse(GcPauses.countsPauses(cycles), cycles);
        }
        assertFalse(GcPauses.beanNames().isEmpty(), "this JVM has pause beans");
    }

    @Test
    void anExplicitCollectionIsAPause()
    {
        final GcPauses before = GcPauses.now();
        System.gc();
        assertTrue(GcPauses.now().since(before).count >= 1, "System.gc() counted");
    }

    /** A thread that allocates 16 MB while alive between two readings is counted; no timing involved. */
    @Test
    void allocationOfAnotherLiveThreadIsCounted() throws Exception
    {
        Assumptions.assumeTrue(ThreadAllocation.supported(), "this JVM cannot tell a thread's allocation");
        final CountDownLatch go = new CountDownLatch(1);
        final CountDownLatch allocated = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final byte[][] kept = new byte[16][];
        final Thread t = new Thread(() ->
        {
            try
            {
                go.await();
                for (int i = 0; i < 16; i++)
                {
                    kept[i] = new byte[1 << 20];
                }
                allocated.countDown();
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try
        {
            final ThreadAllocation before = ThreadAllocation.now();
            go.countDown();
            assertTrue(allocated.await(60, TimeUnit.SECONDS), "the thread allocated within 60 s");
            final long bytes = ThreadAllocation.now().since(before);
            assertTrue(bytes >= 16L << 20, bytes + " bytes counted");
        }
        finally
        {
            release.countDown();
            t.join();
        }
    }

    @Test
    void settledHeapIsAReading()
    {
        assertTrue(HeapUsage.usable(), "the test JVM does not disable explicit collections");
        assertTrue(HeapUsage.settledUsedBytes() > 0);
    }
}
