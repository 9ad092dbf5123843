package io.peerlane.tools;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Prints a progress line on stderr once a second while a long run goes on: ops done, the rate over the last
 * second and, when the total is known, the time left. It reads a counter the working thread publishes, so
 * the working thread pays one ordered write per op and nothing else. An optional duty runs on the same beat
 * (the replay's latency interval log).
 */
public final class Progress implements AutoCloseable
{
    private final String label;
    private final long total;
    private final LongSupplier done;
    private final PrintWriter err;
    private final Runnable everySecond;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param label       what is running, such as {@code replay}.
     * @param total       ops expected, or 0 when unknown.
     * @param done        ops done so far, read from this object's thread.
     * @param err         where the lines go.
     * @param everySecond run once a second on this object's thread, and once more at close; or null.
     */
    public Progress(
        final String label, final long total, final LongSupplier done, final PrintWriter err, final Runnable everySecond)
    {
        this.label = label;
        this.total = total;
        this.done = done;
        this.err = err;
        this.everySecond = everySecond;
        this.thread = new Thread(this::run, "peerlane-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        final long start = System.nanoTime();
        long next = start + TimeUnit.SECONDS.toNanos(1);
        long previous = 0;
        while (running)
        {
            final long now = System.nanoTime();
            if (now - next < 0)
            {
                LockSupport.parkNanos(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(50)));
                continue;
            }
            next += TimeUnit.SECONDS.toNanos(1);
            if (null != everySecond)
            {
                everySecond.run();
            }
            final long n = done.getAsLong();
            final double elapsed = (now - start) / 1e9;
            final double average = n / Math.max(elapsed, 1e-9);
            final StringBuilder line = new StringBuilder(96)
                .append(label).append(": ").append(n).append(total > 0 ? " of " + total : "").append(" ops, ")
                .append(Math.round((double)(n - previous))).append(" ops/s");
            if (total > 0 && average > 0)
            {
                line.append(", ETA ").append(Math.round((total - n) / average)).append(" s");
            }
            err.println(line);
            err.flush();
            previous = n;
        }
    }

    /** Stops the reporter and runs the duty a last time, so the interval log covers the whole run. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (null != everySecond)
        {
            everySecond.run();
        }
    }
}
