package io.peerlane.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * The terminal table: throughput (median and range over runs, ratio to Peerlane, producer hold-up) and the
 * latency percentiles, each as the median over runs with the range beside it.
 */
final class ConsoleReport
{
    private static final double[] PERCENTILES = { 50, 99, 99.9 };

    private ConsoleReport()
    {
    }

    static void print(final PrintWriter out, final List<ContenderResult> results)
    {
        out.println();
        out.printf("%-14s %14s  %-27s %11s  %16s  %14s%n", "contender", "ops/s median", "min - max", "vs peerlane",
            "hold-up p99.9 us", "CPU us per op");
        for (final ContenderResult r : results)
        {
            final Spread t = r.throughput();
            final Spread holdUp = r.percentile(Metric.HOLD_UP, 99.9);
            out.printf("%-14s %14s  %-27s %11s  %16s  %14s%n", r.name(), Units.rate(t.median()),
                Units.rate(t.min()) + " - " + Units.rate(t.max()), Units.ratio(Units.ratioToPeerlane(r, results)),
                null == holdUp ? "-" : Units.micros(holdUp.median()), Units.micros(r.cpuPerOp().median()));
        }
        out.println();
        out.println("latency in microseconds: median over runs [min-max over runs]");
        out.printf("%-14s %-20s %-24s %-24s %-24s%n", "contender", "metric", "p50", "p99", "p99.9");
        for (final ContenderResult r : results)
        {
            for (final Metric metric : Metric.values())
            {
                if (null == r.merged(metric))
                {
                    continue;
                }
                out.printf("%-14s %-20s", r.name(), metric.title());
                for (final double p : PERCENTILES)
                {
                    out.printf(" %-24s", Units.micros(r.percentile(metric, p)));
                }
                out.println();
            }
        }
        for (final ContenderResult r : results)
        {
            if (r.anomalies() > 0)
            {
                out.printf("WARNING %s: %,d ops did not commit exactly one event; its work differs from the others%n",
                    r.name(), r.anomalies());
            }
        }
        out.flush();
    }
}
