package io.peerlane.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * The terminal report. The headline is two tables: throughput and cost (median and range of ops/s over
 * runs, ratio to Peerlane, CPU, allocation and collector pauses per run, heap per loaded peer), then the
 * tails (p99.9, p99.99 and max of every metric, medians over runs), so a bad tail shows next to the rate
 * it was bought with. The full latency table follows, each figure the median over runs with the range.
 */
final class ConsoleReport
{
    private static final double[] PERCENTILES = { 50, 99, 99.9, 99.99 };
    private static final double[] TAIL = { 99.9, 99.99 };

    private ConsoleReport()
    {
    }

    static void print(final PrintWriter out, final List<ContenderResult> results)
    {
        out.println();
        out.printf("%-14s %14s  %-27s %11s  %9s  %10s  %9s  %9s  %9s%n", "contender", "ops/s median", "min - max",
            "vs peerlane", "CPU us/op", "alloc B/op", "GC pauses", "GC ms", "B/peer");
        for (final ContenderResult r : results)
        {
            final Spread t = r.throughput();
            out.printf("%-14s %14s  %-27s %11s  %9s  %10s  %9s  %9s  %9s%n", r.name(), Units.rate(t.median()),
                Units.rate(t.min()) + " - " + Units.rate(t.max()), Units.ratio(Units.ratioToPeerlane(r, results)),
                Units.micros(r.cpuPerOp().median()), Units.bytes(r.allocBytesPerOp()), Units.count(r.gcPauses()),
                Units.count(r.gcPauseMillis()), Units.bytes(r.bytesPerPeer()));
        }
        out.println();
        out.println("tails in microseconds, median over runs");
        out.printf("%-14s", "contender");
        for (final Metric metric : Metric.values())
        {
            out.printf("  %-30s", metric.title());
        }
        out.println();
        out.printf("%-14s", "");
        for (int m = 0; m < Metric.values().length; m++)
        {
            out.printf("  %9s %9s %10s", "p99.9", "p99.99", "max");
        }
        out.println();
        for (final ContenderResult r : results)
        {
            out.printf("%-14s", r.name());
            for (final Metric metric : Metric.values())
            {
                out.print(" ");
                for (final double p : TAIL)
                {
                    out.printf(" %9s", median(r.percentile(metric, p)));
                }
                out.printf(" %10s", median(r.max(metric)));
            }
            out.println();
        }
        out.println();
        out.println("latency in microseconds: median over runs [min-max over runs]");
        out.printf("%-14s %-20s %-24s %-24s %-24s %-24s %-24s%n", "contender", "metric", "p50", "p99", "p99.9",
            "p99.99", "max");
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
                out.printf(" %-24s", Units.micros(r.max(metric)));
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

    private static String median(final Spread spread)
    {
        return null == spread ? "-" : Units.micros(spread.median());
    }
}
