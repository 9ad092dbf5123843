package io.peerlane.tools.replay;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.PrintStream;

/**
 * Latencies of a replay: recorded on the commit thread into a {@link SingleWriterRecorder} (wait-free for the
 * recording thread), sampled once a second by another thread into the run's total and, when asked, an
 * HdrHistogram interval log that {@code HistogramLogProcessor} and plotters read.
 */
public final class LatencyLog
{
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(3);
    private final Histogram total = new Histogram(3);
    private final HistogramLogWriter log;
    private Histogram interval;

    /**
     * @param hlog    where the interval log goes, or null for none.
     * @param startMs the run's start, ms since the epoch: the log's base time.
     */
    public LatencyLog(final PrintStream hlog, final long startMs)
    {
        if (null != hlog)
        {
            log = new HistogramLogWriter(hlog);
            log.outputComment("peerlane replay latencies in ns, from each op's intended time to its commit");
            log.outputLogFormatVersion();
            log.setBaseTime(startMs);
            log.outputBaseTime(startMs);
            log.outputStartTime(startMs);
            log.outputLegend();
        }
        else
        {
            log = null;
        }
    }

    /** @param nanos one op's latency; on the commit thread only. */
    public void record(final long nanos)
    {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Takes the interval since the last sample into the total and the log; on one sampling thread only. */
    public synchronized void sample()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (null != log && interval.getTotalCount() > 0)
        {
            log.outputIntervalHistogram(interval);
        }
    }

    /** @return every latency sampled so far. */
    public synchronized Histogram total()
    {
        return total.copy();
    }
}
