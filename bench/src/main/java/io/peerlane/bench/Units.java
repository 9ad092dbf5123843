package io.peerlane.bench;

import java.util.Locale;

/** Number formatting shared by the terminal and HTML reports, so both print the same figures. */
final class Units
{
    private Units()
    {
    }

    /** @param nanos a latency. @return it in microseconds with three significant digits or more. */
    static String micros(final double nanos)
    {
        final double us = nanos / 1000.0;
        if (us < 10)
        {
            return String.format(Locale.ROOT, "%.2f", us);
        }
        if (us < 100)
        {
            return String.format(Locale.ROOT, "%.1f", us);
        }
        return String.format(Locale.ROOT, "%,.0f", us);
    }

    /** @param spread latencies in ns. @return "median [min-max]" in microseconds. */
    static String micros(final Spread spread)
    {
        if (null == spread)
        {
            return "-";
        }
        return micros(spread.median()) + " [" + micros(spread.min()) + "-" + micros(spread.max()) + "]";
    }

    /** @param bytes a byte count (per op, per peer). @return it rounded, or "-" when NaN (not measured). */
    static String bytes(final double bytes)
    {
        if (Double.isNaN(bytes))
        {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(bytes) < 10 ? "%.1f" : "%,.0f", bytes);
    }

    /** @param spread a figure over runs, or null. @return its median as {@link #bytes(double)}, or "-". */
    static String bytes(final Spread spread)
    {
        return null == spread ? "-" : bytes(spread.median());
    }

    /**
     * @param spread a count over runs (collector pauses, milliseconds), or null.
     * @return its median, whole when it is (an even number of runs may give a half), or "-".
     */
    static String count(final Spread spread)
    {
        if (null == spread)
        {
            return "-";
        }
        final double m = spread.median();
        return m == Math.rint(m) ? String.format(Locale.ROOT, "%,d", (long)m) : String.format(Locale.ROOT, "%,.1f", m);
    }

    /** @param opsPerSecond a rate. @return it with thousands separators. */
    static String rate(final double opsPerSecond)
    {
        return String.format(Locale.ROOT, "%,.0f", opsPerSecond);
    }

    /** @param ratio a ratio. @return it as "0.45x". */
    static String ratio(final double ratio)
    {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, ratio < 10 ? "%.2fx" : "%.1fx", ratio);
    }

    /**
     * @param result  a contender.
     * @param results every contender.
     * @return its median throughput over Peerlane's, NaN when Peerlane did not run.
     */
    static double ratioToPeerlane(final ContenderResult result, final Iterable<ContenderResult> results)
    {
        for (final ContenderResult r : results)
        {
            if (ContenderKind.PEERLANE.cliName().equals(r.name()))
            {
                return result.throughput().median() / r.throughput().median();
            }
        }
        return Double.NaN;
    }
}
