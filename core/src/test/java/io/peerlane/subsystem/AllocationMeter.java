package io.peerlane.subsystem;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the calling thread, from HotSpot's per-thread allocation counter: counts every object
 * and array the thread allocates on the heap (TLAB or not), so a test can assert that a path allocates
 * nothing without timing anything.
 */
public final class AllocationMeter
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * @return bytes the calling thread has allocated since it started.
     * @throws IllegalStateException when the JVM does not count allocation per thread.
     */
    public static long allocatedBytes()
    {
        final long bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        if (bytes < 0)
        {
            throw new IllegalStateException("thread allocation measurement is not supported by this JVM");
        }
        return bytes;
    }

    /**
     * @return what one {@link #allocatedBytes()} reading costs in allocated bytes (0 on current HotSpot),
     * to take off a measured interval.
     */
    public static long readingCost()
    {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final long a = allocatedBytes();
            final long b = allocatedBytes();
            least = Math.min(least, b - a);
        }
        return least;
    }
}
