package io.peerlane.bench;

import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.Map;

/**
 * One measured run of one contender: its op count, wall time, what the JVM spent on it (CPU, collector
 * pauses, allocation), the heap its population took, and one histogram per metric (ns).
 */
public final class RunResult
{
    private final long ops;
    private final long elapsedNanos;
    private final long cpuNanos;
    private final long gcPauses;
    private final long gcPauseMillis;
    private final long allocatedBytes;
    private final double bytesPerPeer;
    private final Map<Metric, Histogram> histograms;
    private final long anomalies;

    /**
     * @param ops            ops committed.
     * @param elapsedNanos   from the producers' start to the last op committed and delivered.
     * @param cpuNanos       CPU time the whole process used meanwhile, 0 when the JVM cannot tell.
     * @param gcPauses       collector pauses meanwhile.
     * @param gcPauseMillis  their total time.
     * @param allocatedBytes bytes the process's threads allocated meanwhile, -1 when the JVM cannot tell.
     * @param bytesPerPeer   heap the loaded population took over its size, NaN when not measured.
     * @param histograms     one per metric; a metric the contender does not have may be absent.
     * @param anomalies      ops that did not commit exactly one event line.
     */
    public RunResult(
        final long ops,
        final long elapsedNanos,
        final long cpuNanos,
        final long gcPauses,
        final long gcPauseMillis,
        final long allocatedBytes,
        final double bytesPerPeer,
        final Map<Metric, Histogram> histograms,
        final long anomalies)
    {
        this.ops = ops;
        this.elapsedNanos = elapsedNanos;
        this.cpuNanos = cpuNanos;
        this.gcPauses = gcPauses;
        this.gcPauseMillis = gcPauseMillis;
        this.allocatedBytes = allocatedBytes;
        this.bytesPerPeer = bytesPerPeer;
        this.histograms = new EnumMap<>(Metric.class);
        this.histograms.putAll(histograms);
        this.anomalies = anomalies;
    }

    /** @return ops per second over the whole run, drain included. */
    public double opsPerSecond()
    {
        return ops * 1e9 / Math.max(1, elapsedNanos);
    }

    /** @return ops committed. */
    public long ops()
    {
        return ops;
    }

    /** @return the run's wall time. */
    public long elapsedNanos()
    {
        return elapsedNanos;
    }

    /** @return CPU time the process used during the run. */
    public long cpuNanos()
    {
        return cpuNanos;
    }

    /** @return collector pauses during the run. */
    public long gcPauses()
    {
        return gcPauses;
    }

    /** @return the total time of those pauses, in ms. */
    public long gcPauseMillis()
    {
        return gcPauseMillis;
    }

    /** @return bytes allocated by the process's threads during the run, -1 when the JVM cannot tell. */
    public long allocatedBytes()
    {
        return allocatedBytes;
    }

    /** @return heap bytes per peer of the loaded population, NaN when not measured. */
    public double bytesPerPeer()
    {
        return bytesPerPeer;
    }

    /** @param metric a metric. @return its histogram, or null when the contender does not have it. */
    public Histogram histogram(final Metric metric)
    {
        final Histogram h = histograms.get(metric);
        return null == h || h.getTotalCount() == 0 ? null : h;
    }

    /** @return ops that did not commit exactly one event line. */
    public long anomalies()
    {
        return anomalies;
    }
}
