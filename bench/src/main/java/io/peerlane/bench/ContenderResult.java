package io.peerlane.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.function.ToDoubleFunction;

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
        return over(RunResult::opsPerSecond);
    }

    /** @return process CPU time per op, in ns, over the runs (every thread of the process counts). */
    public Spread cpuPerOp()
    {
        return over(run -> (double)run.cpuNanos() / Math.max(1, run.ops()));
    }

    /** @return collector pauses per run, over the runs. */
    public Spread gcPauses()
    {
        return over(run -> run.gcPauses());
    }

    /** @return total collector pause time per run, in ms, over the runs. */
    public Spread gcPauseMillis()
    {
        return over(run -> run.gcPauseMillis());
    }

    /** @return bytes allocated per op by all threads, over the runs; null when the JVM cannot tell. */
    public Spread allocBytesPerOp()
    {
        return over(run -> run.allocatedBytes() < 0 ? Double.NaN : (double)run.allocatedBytes() / Math.max(1, run.ops()));
    }

    /** @return heap bytes per peer of the loaded population, over the runs; null when not measured. */
    public Spread bytesPerPeer()
    {
        return over(RunResult::bytesPerPeer);
    }

    /**
     * @param metric     a metric.
     * @param percentile in [0, 100].
     * @return the percentile in ns over the runs, or null when the contender does not have the metric.
     */
    public Spread percentile(final Metric metric, final double percentile)
    {
        return overHistograms(metric, h -> h.getValueAtPercentile(percentile));
    }

    /**
     * @param metric a metric.
     * @return the largest value of each run in ns, over the runs, or null when the contender does not have the metric.
     */
    public Spread max(final Metric metric)
    {
        return overHistograms(metric, Histogram::getMaxValue);
    }

    private Spread overHistograms(final Metric metric, final ToDoubleFunction<Histogram> figure)
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            final Histogram h = runs.get(i).histogram(metric);
            if (null == h)
            {
                return null;
            }
            values[i] = figure.applyAsDouble(h);
        }
        return Spread.of(values);
    }

    /** @return the figure over the runs, or null when any run has none (NaN). */
    private Spread over(final ToDoubleFunction<RunResult> figure)
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = figure.applyAsDouble(runs.get(i));
            if (Double.isNaN(values[i]))
            {
                return null;
            }
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
