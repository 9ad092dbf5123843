package io.peerlane.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * One HdrHistogram interval log ({@code .hlog}) per metric for one contender, one interval a second, each
 * run's intervals tagged {@code run1}, {@code run2}, ... Values are nanoseconds; HdrHistogram's
 * {@code HistogramLogProcessor} and plotting tools read the files as they are.
 */
final class IntervalLog implements AutoCloseable
{
    private final Map<Metric, HistogramLogWriter> writers = new EnumMap<>(Metric.class);
    private final Map<Metric, PrintStream> streams = new EnumMap<>(Metric.class);

    IntervalLog(final Path dir, final String contender, final Iterable<Metric> metrics) throws IOException
    {
        Files.createDirectories(dir);
        final long now = System.currentTimeMillis();
        for (final Metric metric : metrics)
        {
            final PrintStream stream = new PrintStream(
                Files.newOutputStream(dir.resolve(fileName(contender, metric))), false, "US-ASCII");
            final HistogramLogWriter writer = new HistogramLogWriter(stream);
            writer.outputComment("peerlane bench: " + contender + ", " + metric.title() +
                " latency in nanoseconds; intervals of 1 s tagged by run");
            writer.outputLogFormatVersion();
            writer.outputStartTime(now);
            writer.setBaseTime(now);
            writer.outputBaseTime(now);
            writer.outputLegend();
            writers.put(metric, writer);
            streams.put(metric, stream);
        }
    }

    static String fileName(final String contender, final Metric metric)
    {
        return contender + "." + metric.fileName() + ".hlog";
    }

    void write(final Metric metric, final Histogram interval)
    {
        final HistogramLogWriter writer = writers.get(metric);
        if (null != writer)
        {
            writer.outputIntervalHistogram(interval);
        }
    }

    @Override
    public void close() throws IOException
    {
        for (final PrintStream stream : streams.values())
        {
            final boolean failed = stream.checkError();
            stream.close();
            if (failed)
            {
                throw new IOException("could not write an interval log");
            }
        }
    }
}
