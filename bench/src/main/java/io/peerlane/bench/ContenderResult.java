package io.peerlane.bench;

import org.HdrHistogram.Histogram;

import java.util.List;

/** Every measured run of one contender, with the figures the reports print. */
public final class ContenderResult
{
    private final String name;
    private final String description;
    private final List<RunResult> runs;

    /**
     * @param name        the contender's name.
     * @param description one line on what it is.
     * @param runs        its measured runs, at least one.
     */
    public ContenderResult(final String name, final String description, final List<RunResult> runs)
    {
        if (runs.isEmpty())
        {
            throw new IllegalArgumentException(name + ": no runs");
        }
        this.name = name;
        this.description = description;
        this.runs = List.copyOf(runs);
    }

    /** @return the name. */
    public String name()
    {
        return name;
    }

    /** @return what it is. */
    public String description()
    {
        return description;
    }

    /** @return the runs. */
    public List<RunResult> runs()
    {
        return runs;
    }

    /** @return ops per second over the runs. */
    public Spread throughput()
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = runs.get(i).opsPerSecond();
        }
        return Spread.of(values);
    }

    /** @return process CPU time per op, in ns, over the runs (every thread of the process counts). */
    public Spread cpuPerOp()
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = (double)runs.get(i).cpuNanos() / Math.max(1, runs.get(i).ops());
        }
        return Spread.of(values);
    }

    /**
     * @param metric     a metric.
     * @param percentile in [0, 100].
     * @return the percentile in ns over the runs, or null when the contender does not have the metric.
     */
    public Spread percentile(final Metric metric, final double percentile)
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            final Histogram h = runs.get(i).histogram(metric);
            if (null == h)
            {
                return null;
            }
            values[i] = h.getValueAtPercentile(percentile);
        }
        return Spread.of(values);
    }

    /**
     * @param metric a metric.
     * @return every run's histogram added together, or null when the contender does not have the metric.
     */
    public Histogram merged(final Metric metric)
    {
        Histogram out = null;
        for (final RunResult run : runs)
        {
            final Histogram h = run.histogram(metric);
            if (null == h)
            {
                return null;
            }
            if (null == out)
            {
                out = h.copy();
            }
            else
            {
                out.add(h);
            }
        }
        return out;
    }

    /** @return anomalies over all runs. */
    public long anomalies()
    {
        long sum = 0;
        for (final RunResult run : runs)
        {
            sum += run.anomalies();
        }
        return sum;
    }
}
