package io.peerlane.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap in use once the garbage is gone: full collections ({@link MemoryMXBean#gc()}, that is
 * {@code System.gc()}) repeated until two readings in a row agree to within 0.1% (or 64 KiB), at most
 * {@value #MAX_ROUNDS} times. Meaningless under {@code -XX:+DisableExplicitGC} or
 * {@code -XX:+ExplicitGCInvokesConcurrent}, which {@link #usable()} detects so that the reports say "not
 * measured" instead of printing a wrong figure.
 */
final class HeapUsage
{
    static final int MAX_ROUNDS = 8;
    private static final long SLACK_BYTES = 64 * 1024;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapUsage()
    {
    }

    /** @return whether an explicit collection does collect in this JVM. */
    static boolean usable()
    {
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // An explicit collection that does nothing, or that starts a concurrent cycle which leaves garbage in place.
            if (arg.equals("-XX:+DisableExplicitGC") || arg.equals("-XX:+ExplicitGCInvokesConcurrent"))
            {
                return false;
            }
        }
        return true;
    }

    /** @return heap bytes used after full collections, once the figure is stable. */
    static long settledUsedBytes()
    {
        long previous = -1;
        long used = 0;
        for (int round = 0; round < MAX_ROUNDS; round++)
        {
            MEMORY.gc();
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) <= Math.max(SLACK_BYTES, previous / 1000))
            {
                break;
            }
            previous = used;
        }
        return used;
    }
}
