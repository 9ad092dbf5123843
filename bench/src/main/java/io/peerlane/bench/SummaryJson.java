package io.peerlane.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code summary.json}: one object per contender with the medians over its runs, for a CI job that compares
 * two commits. Every figure is the median over the measured runs (the mean of the middle two for an even
 * number of runs); throughput also carries the range. A figure the contender does not have (the raw ring's
 * publish-to-observer latency) or the JVM could not measure is {@code null}, never left out.
 * <pre>
 * {"contenders": [{
 *   "name": "peerlane",
 *   "opsPerSec": {"median": 1.0, "min": 1.0, "max": 1.0},
 *   "cpuUsPerOp": 1.0, "gcPauses": 1.0, "gcPauseMs": 1.0, "allocBytesPerOp": 1.0, "bytesPerPeer": 1.0,
 *   "latencyUs": {
 *     "publishToCommit":   {"p50": 1.0, "p99": 1.0, "p999": 1.0, "p9999": 1.0, "max": 1.0},
 *     "publishToObserver": {...} or null,
 *     "producerHoldUp":    {...}}}]}
 * </pre>
 * Written with jackson-core's streaming generator, to a temporary file moved into place.
 */
final class SummaryJson
{
    /** The file name, in the report directory. */
    static final String FILE_NAME = "summary.json";

    private static final double[] PERCENTILES = { 50, 99, 99.9, 99.99 };
    private static final String[] PERCENTILE_NAMES = { "p50", "p99", "p999", "p9999" };
    private static final JsonFactory JSON = new JsonFactory();

    private SummaryJson()
    {
    }

    /**
     * @param file    where to write.
     * @param results the contenders, in report order.
     * @throws IOException when it cannot be written; an earlier file of that name is then left as it was.
     */
    static void write(final Path file, final List<ContenderResult> results) throws IOException
    {
        AtomicFile.write(file, out ->
        {
            try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8))
            {
                json.useDefaultPrettyPrinter();
                write(json, results);
            }
        });
    }

    private static void write(final JsonGenerator json, final List<ContenderResult> results) throws IOException
    {
        json.writeStartObject();
        json.writeArrayFieldStart("contenders");
        for (final ContenderResult r : results)
        {
            json.writeStartObject();
            json.writeStringField("name", r.name());
            final Spread t = r.throughput();
            json.writeObjectFieldStart("opsPerSec");
            number(json, "median", t.median());
            number(json, "min", t.min());
            number(json, "max", t.max());
            json.writeEndObject();
            number(json, "cpuUsPerOp", r.cpuPerOp().median() / 1000.0);
            median(json, "gcPauses", r.gcPauses());
            median(json, "gcPauseMs", r.gcPauseMillis());
            median(json, "allocBytesPerOp", r.allocBytesPerOp());
            median(json, "bytesPerPeer", r.bytesPerPeer());
            json.writeObjectFieldStart("latencyUs");
            for (final Metric metric : Metric.values())
            {
                json.writeFieldName(metric.jsonName());
                if (null == r.merged(metric))
                {
                    json.writeNull();
                    continue;
                }
                json.writeStartObject();
                for (int i = 0; i < PERCENTILES.length; i++)
                {
                    number(json, PERCENTILE_NAMES[i], r.percentile(metric, PERCENTILES[i]).median() / 1000.0);
                }
                number(json, "max", r.max(metric).median() / 1000.0);
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void median(final JsonGenerator json, final String name, final Spread spread) throws IOException
    {
        number(json, name, null == spread ? Double.NaN : spread.median());
    }

    /** JSON has no NaN: a figure not measured is null. */
    private static void number(final JsonGenerator json, final String name, final double value) throws IOException
    {
        json.writeFieldName(name);
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            json.writeNull();
        }
        else
        {
            json.writeNumber(value);
        }
    }
}
