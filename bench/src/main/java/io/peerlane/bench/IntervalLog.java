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
 * {@code HistogramLogProcessor} and plotting tools read the files as they are. Each log is written under a
 * temporary name and moved into place by {@link #complete()} once every run is in; a run that fails leaves
 * no partial log (the bench keeps every contender's logs open until the last round, and a failure deletes all
 * their temporary files on {@link #close()}).
 */
final class IntervalLog implements AutoCloseable
{
    private final Map<Metric, HistogramLogWriter> writers = new EnumMap<>(Metric.class);
    private final Map<Metric, PrintStream> streams = new EnumMap<>(Metric.class);
    private final Map<Metric, Path> temps = new EnumMap<>(Metric.class);
    private final Map<Metric, Path> files = new EnumMap<>(Metric.class);
    private boolean closed;

    IntervalLog(final Path dir, final String contender, final Iterable<Metric> metrics) throws IOException
    {
        final long now = System.currentTimeMillis();
        try
        {
            for (final Metric metric : metrics)
            {
                final Path file = dir.resolve(fileName(contender, metric));
                final Path temp = AtomicFile.createTemp(file);
                temps.put(metric, temp);
                files.put(metric, file);
                final PrintStream stream = new PrintStream(Files.newOutputStream(temp), false, "US-ASCII");
                streams.put(metric, stream);
                final HistogramLogWriter writer = new HistogramLogWriter(stream);
                writer.outputComment("peerlane bench: " + contender + ", " + metric.title() +
                    " latency in nanoseconds; intervals of 1 s tagged by run");
                writer.outputLogFormatVersion();
                writer.outputStartTime(now);
                writer.setBaseTime(now);
                writer.outputBaseTime(now);
                writer.outputLegend();
                writers.put(metric, writer);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
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

    /**
     * Closes the logs and moves each into place.
     *
     * @throws IOException when a log could not be written or moved.
     */
    void complete() throws IOException
    {
        closeStreams();
        for (final Map.Entry<Metric, Path> e : temps.entrySet())
        {
            AtomicFile.moveIntoPlace(e.getValue(), files.get(e.getKey()));
        }
        temps.clear();
    }

    /** Closes the logs; those not completed are deleted. */
    @Override
    public void close() throws IOException
    {
        try
        {
            closeStreams();
        }
        finally
        {
            for (final Path temp : temps.values())
            {
                Files.deleteIfExists(temp);
            }
            temps.clear();
        }
    }

    private void closeStreams() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        boolean failed = false;
        for (final PrintStream stream : streams.values())
        {
            failed |= stream.checkError();
            stream.close();
        }
        if (failed)
        {
            throw new IOException("could not write an interval log");
        }
    }
}
