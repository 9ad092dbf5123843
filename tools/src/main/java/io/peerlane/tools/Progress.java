package io.peerlane.tools;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Prints a progress line on stderr once a second while a long run goes on: the count done, the rate over the
 * last second, the share done and the time left (ETA). The share comes from the count and a known total, or,
 * where the count of the whole is not known before the end (a journal's records), from a fraction the
 * working thread publishes (bytes read of the bytes there are). It reads a counter the working thread publishes, so
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
    private volatile DoubleSupplier fraction;
    private volatile String unit = "ops";

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

    /**
     * @param share the share done in [0, 1], read from this object's thread; used when the total is unknown.
     * @return this.
     */
    public Progress fraction(final DoubleSupplier share)
    {
        fraction = share;
        return this;
    }

    /** @param name what the count counts, such as {@code records}; default {@code ops}. @return this. */
    public Progress unit(final String name)
    {
        unit = name;
        return this;
    }

    /**
     * @param elapsedSeconds time since the start.
     * @param share          the share done, in [0, 1].
     * @return the estimated seconds left, or -1 when nothing is done yet.
     */
    static long eta(final double elapsedSeconds, final double share)
    {
        if (!(share > 0))
        {
            return -1;
        }
        return Math.round(elapsedSeconds * (1 - Math.min(1, share)) / share);
    }

    private void run()
    {
        try
        {
            report();
        }
        catch (final OutOfMemoryError ex)
        {
            // Progress is a courtesy: out of memory, it stops, and the working thread reports the error.
            running = false;
        }
    }

    private void report()
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
            final DoubleSupplier f = fraction;
            final double share = total > 0 ? (double)n / total : null != f ? f.getAsDouble() : -1;
            final StringBuilder line = new StringBuilder(96)
                .append(label).append(": ").append(n).append(total > 0 ? " of " + total : "").append(' ').append(unit)
                .append(", ").append(Math.round((double)(n - previous))).append(' ').append(unit).append("/s");
            if (share >= 0)
            {
                final long left = eta(elapsed, share);
                line.append(", ").append(Math.round(100 * Math.min(1, share))).append("%, ETA ")
                    .append(left < 0 ? "unknown" : left + " s");
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
