package io.peerlane.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by every live thread of the process, from
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: a run's figure is the difference of two
 * readings, thread by thread (a thread that started in between counts from zero). A thread that died in
 * between is not in the second reading and its allocation is lost: the harness keeps its producers alive
 * until the second reading, and the contenders' own threads live until they are closed, so what is missed
 * is only threads a design starts and ends within a run.
 */
final class ThreadAllocation
{
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private final Map<Long, Long> bytesByThread;

    private ThreadAllocation(final Map<Long, Long> bytesByThread)
    {
        this.bytesByThread = bytesByThread;
    }

    /** @return whether the JVM can tell; when not, {@link #now()} reads nothing and runs report no figure. */
    static boolean supported()
    {
        return null != THREADS;
    }

    /** @return the bytes each live thread has allocated so far. */
    static ThreadAllocation now()
    {
        final Map<Long, Long> bytes = new HashMap<>();
        if (null != THREADS)
        {
            final long[] ids = THREADS.getAllThreadIds();
            final long[] allocated = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++)
            {
                if (allocated[i] >= 0)
                {
                    bytes.put(ids[i], allocated[i]);
                }
            }
        }
        return new ThreadAllocation(bytes);
    }

    /**
     * @param earlier an earlier reading.
     * @return the bytes the threads live at this reading allocated since the earlier one; -1 when the JVM
     *         cannot tell.
     */
    long since(final ThreadAllocation earlier)
    {
        if (null == THREADS)
        {
            return -1;
        }
        long sum = 0;
        for (final Map.Entry<Long, Long> e : bytesByThread.entrySet())
        {
            sum += e.getValue() - earlier.bytesByThread.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private static com.sun.management.ThreadMXBean threads()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean))
        {
            return null;
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        if (!threads.isThreadAllocatedMemorySupported())
        {
            return null;
        }
        if (!threads.isThreadAllocatedMemoryEnabled())
        {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
        return threads;
    }
}
