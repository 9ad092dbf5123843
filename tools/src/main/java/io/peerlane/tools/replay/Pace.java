package io.peerlane.tools.replay;

import io.peerlane.tools.ToolException;

import java.util.concurrent.locks.LockSupport;

/**
 * When each op of a replay is meant to be published. {@code max}: at once, and its latency counts from the
 * publish call. {@code recorded}: at its event time's offset from the first op's; {@code scaled:F}: that
 * offset divided by F; {@code rate:OPS}: the i-th op at i / OPS seconds. A paced op's latency counts from its
 * intended time, not from when the publisher got round to it, so a stall behind the engine shows up in the
 * latency of every op it delays (no coordinated omission).
 */
public final class Pace
{
    private enum Kind
    {
        MAX, RECORDED, SCALED, RATE
    }

    private static final long SPIN_NANOS = 50_000;
    /** Slowest scaled pace: a thousand times slower than recorded. */
    static final double MIN_SCALE = 0.001;
    /** Fastest scaled pace: a million times faster than recorded (a day of recording in under 0.1 s). */
    static final double MAX_SCALE = 1_000_000;
    /** Slowest constant rate, ops/s: one op every 100 s. */
    static final double MIN_RATE = 0.01;
    /** Fastest constant rate, ops/s: a hundred times what the engine does on one core. */
    static final double MAX_RATE = 1_000_000_000;
    /** Start-up allowance of a paced run's rate check: first publishes on a cold JVM (JIT) cost up to that. */
    public static final long RATE_CHECK_GRACE_NANOS = 500_000_000L;

    /**
     * A paced run missed its rate when it took more than 5% longer than intended plus
     * {@link #RATE_CHECK_GRACE_NANOS}, so that a tiny run is not failed by start-up cost alone.
     *
     * @param intendedSeconds seconds from the first op's intended time to the last's.
     * @param elapsedNs       ns from the first publish to the last commit.
     * @return whether the run fell short.
     */
    public static boolean missedRate(final double intendedSeconds, final long elapsedNs)
    {
        return elapsedNs > intendedSeconds * 1e9 / 0.95 + RATE_CHECK_GRACE_NANOS;
    }

    private final Kind kind;
    private final double value;
    private long startNs;
    private long firstTime = Long.MIN_VALUE;

    private Pace(final Kind kind, final double value)
    {
        this.kind = kind;
        this.value = value;
    }

    /**
     * @param text {@code max}, {@code recorded}, {@code scaled:F} (F &gt; 0, 2 is twice as fast) or {@code rate:OPS}.
     * @return the pace.
     * @throws ToolException a usage error.
     */
    public static Pace parse(final String text)
    {
        if ("max".equals(text))
        {
            return new Pace(Kind.MAX, 0);
        }
        if ("recorded".equals(text))
        {
            return new Pace(Kind.RECORDED, 1);
        }
        final int colon = text.indexOf(':');
        final String name = colon < 0 ? text : text.substring(0, colon);
        if (colon > 0 && ("scaled".equals(name) || "rate".equals(name)))
        {
            final double v;
            try
            {
                v = Double.parseDouble(text.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw ToolException.usage("--pace " + text + ": " + name + " needs a number, such as " + name + ":2");
            }
            final boolean scaled = "scaled".equals(name);
            final double min = scaled ? MIN_SCALE : MIN_RATE;
            final double max = scaled ? MAX_SCALE : MAX_RATE;
            if (!(v >= min && v <= max))
            {
                throw ToolException.usage("--pace " + text + ": " + (scaled ?
                    "the factor must be in [" + MIN_SCALE + ", " + (long)MAX_SCALE + "] (0.001 runs a second of the " +
                        "recording in about 17 minutes)" :
                    "the rate must be in [" + MIN_RATE + ", " + (long)MAX_RATE + "] ops/s"));
            }
            return new Pace("scaled".equals(name) ? Kind.SCALED : Kind.RATE, v);
        }
        throw ToolException.usage("--pace " + text + ": must be max, recorded, scaled:F or rate:OPS");
    }

    /** @return whether ops wait for an intended time. */
    public boolean paced()
    {
        return kind != Kind.MAX;
    }

    /** @return the target rate in ops per second for {@code rate:OPS}, 0 otherwise. */
    public double fixedRate()
    {
        return kind == Kind.RATE ? value : 0;
    }

    /** @param startNs the run's start on {@link System#nanoTime()}. */
    public void start(final long startNs)
    {
        this.startNs = startNs;
    }

    /**
     * @param index the op's index from 0.
     * @param time  the op's event time in ms.
     * @return the op's intended publish time on {@link System#nanoTime()}; for {@code max}, now.
     */
    public long intended(final long index, final long time)
    {
        switch (kind)
        {
            case RECORDED:
            case SCALED:
                if (firstTime == Long.MIN_VALUE)
                {
                    firstTime = time;
                }
                return startNs + (long)((time - firstTime) * 1e6 / value);
            case RATE:
                return startNs + (long)(index * 1e9 / value);
            default:
                return System.nanoTime();
        }
    }

    /** @param intendedNs waits until then: parks while far, spins the last few microseconds. */
    public static void awaitUntil(final long intendedNs)
    {
        long left;
        while ((left = intendedNs - System.nanoTime()) > 0)
        {
            if (left > SPIN_NANOS)
            {
                LockSupport.parkNanos(left - SPIN_NANOS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }
}
