package io.peerlane.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** summary.json parsed back: the schema, and every figure the median over runs, computed here independently. */
class SummaryJsonTest
{
    private static final Set<String> CONTENDER_FIELDS = Set.of("name", "opsPerSec", "cpuUsPerOp", "gcPauses",
        "gcPauseMs", "allocBytesPerOp", "bytesPerPeer", "latencyUs");
    private static final Set<String> LATENCY_FIELDS = Set.of("p50", "p99", "p999", "p9999", "max");
    private static final double[] PERCENTILES = { 50, 99, 99.9, 99.99 };
    private static final String[] PERCENTILE_NAMES = { "p50", "p99", "p999", "p9999" };

    @Test
    void oddNumberOfRunsGivesTheMiddleRun(@TempDir final Path dir) throws IOException
    {
        checkRoundTrip(dir, SampleResults.all(5));
    }

    /** With an even number of runs the median is the mean of the middle two, as Spread and the tables say. */
    @Test
    void evenNumberOfRunsGivesTheMeanOfTheMiddleTwo(@TempDir final Path dir) throws IOException
    {
        final long seed = System.nanoTime();
        System.out.println("SummaryJsonTest seed " + seed);
        final List<ContenderResult> results = randomResults(new SplittableRandom(seed), 4);
        final Map<String, Object> root = checkRoundTrip(dir, results);
        final double[] rates = results.get(0).runs().stream().mapToDouble(RunResult::opsPerSecond).sorted().toArray();
        close((rates[1] + rates[2]) / 2, number(path(root, 0, "opsPerSec"), "median"), "seed " + seed);
    }

    @Test
    void aFigureNotMeasuredIsNullAndAnEarlierFileIsReplacedWhole(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve(SummaryJson.FILE_NAME);
        Files.writeString(file, "{\"stale\": true}");
        final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
        final Histogram h = new Histogram(1, LatencyProbe.HIGHEST_NANOS, 3);
        h.recordValue(1000);
        histograms.put(Metric.COMMIT, h);
        histograms.put(Metric.HOLD_UP, h);
        final RunResult run = new RunResult(10, 1_000_000, 0, 0, 0, -1, Double.NaN, histograms, 0);
        SummaryJson.write(file, List.of(new ContenderResult("disruptor-raw", "ring", List.of(run))));
        final Map<String, Object> root = parse(file);
        final Map<String, Object> c = path(root, 0, null);
        assertTrue(c.containsKey("allocBytesPerOp") && null == c.get("allocBytesPerOp"), "allocation not measured: " + c);
        assertTrue(c.containsKey("bytesPerPeer") && null == c.get("bytesPerPeer"), "heap not measured: " + c);
        final Map<String, Object> latency = map(c.get("latencyUs"));
        assertTrue(latency.containsKey("publishToObserver"), "present: " + latency);
        assertNull(latency.get("publishToObserver"), "the raw ring has no observers");
        assertEquals(1.0, number(map(latency.get("publishToCommit")), "p50"), 0.01);
        assertEquals(List.of(SummaryJson.FILE_NAME), listing(dir), "no temporary file left beside it");
    }

    private static Map<String, Object> checkRoundTrip(final Path dir, final List<ContenderResult> results) throws IOException
    {
        final Path file = dir.resolve(SummaryJson.FILE_NAME);
        SummaryJson.write(file, results);
        assertEquals(List.of(SummaryJson.FILE_NAME), listing(dir), "no temporary file left beside it");
        final Map<String, Object> root = parse(file);
        assertEquals(Set.of("contenders"), root.keySet());
        final List<Object> contenders = list(root.get("contenders"));
        assertEquals(results.size(), contenders.size());
        for (int i = 0; i < results.size(); i++)
        {
            final ContenderResult r = results.get(i);
            final Map<String, Object> c = map(contenders.get(i));
            assertEquals(CONTENDER_FIELDS, c.keySet(), r.name());
            assertEquals(r.name(), c.get("name"));
            final List<RunResult> runs = r.runs();
            final Map<String, Object> rate = map(c.get("opsPerSec"));
            assertEquals(Set.of("median", "min", "max"), rate.keySet());
            close(median(runs, RunResult::opsPerSecond), number(rate, "median"), r.name());
            close(runs.stream().mapToDouble(RunResult::opsPerSecond).min().getAsDouble(), number(rate, "min"), r.name());
            close(runs.stream().mapToDouble(RunResult::opsPerSecond).max().getAsDouble(), number(rate, "max"), r.name());
            close(median(runs, run -> run.cpuNanos() / 1000.0 / run.ops()), number(c, "cpuUsPerOp"), r.name());
            close(median(runs, RunResult::gcPauses), number(c, "gcPauses"), r.name());
            close(median(runs, RunResult::gcPauseMillis), number(c, "gcPauseMs"), r.name());
            close(median(runs, run -> (double)run.allocatedBytes() / run.ops()), number(c, "allocBytesPerOp"), r.name());
            close(median(runs, RunResult::bytesPerPeer), number(c, "bytesPerPeer"), r.name());
            final Map<String, Object> latency = map(c.get("latencyUs"));
            assertEquals(Set.of("publishToCommit", "publishToObserver", "producerHoldUp"), latency.keySet());
            for (final Metric metric : Metric.values())
            {
                if (null == runs.get(0).histogram(metric))
                {
                    assertNull(latency.get(metric.jsonName()), r.name() + " " + metric);
                    continue;
                }
                final Map<String, Object> m = map(latency.get(metric.jsonName()));
                assertEquals(LATENCY_FIELDS, m.keySet());
                for (int p = 0; p < PERCENTILES.length; p++)
                {
                    final double percentile = PERCENTILES[p];
                    close(median(runs, run -> run.histogram(metric).getValueAtPercentile(percentile) / 1000.0),
                        number(m, PERCENTILE_NAMES[p]), r.name() + " " + metric + " " + PERCENTILE_NAMES[p]);
                }
                close(median(runs, run -> run.histogram(metric).getMaxValue() / 1000.0), number(m, "max"), r.name());
            }
        }
        return root;
    }

    private static void close(final double expected, final double actual, final String message)
    {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), message);
    }

    /** Independent of {@link Spread}: sort, take the middle one or the mean of the middle two. */
    private static double median(final List<RunResult> runs, final ToDoubleFunction<RunResult> figure)
    {
        final double[] v = runs.stream().mapToDouble(figure).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static List<ContenderResult> randomResults(final SplittableRandom random, final int runCount)
    {
        final List<ContenderResult> out = new ArrayList<>();
        for (final ContenderKind kind : ContenderKind.values())
        {
            final List<RunResult> runs = new ArrayList<>();
            for (int r = 0; r < runCount; r++)
            {
                final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
                for (final Metric metric : Metric.values())
                {
                    if (metric == Metric.OBSERVER && !kind.delivers())
                    {
                        continue;
                    }
                    final Histogram h = new Histogram(1, LatencyProbe.HIGHEST_NANOS, 3);
                    for (int i = 0; i < 2000; i++)
                    {
                        h.recordValue(1 + random.nextInt(1 + random.nextInt(10_000_000)));
                    }
                    histograms.put(metric, h);
                }
                final long ops = 1000 + random.nextInt(100_000);
                runs.add(new RunResult(ops, 1 + random.nextLong(1_000_000_000L), random.nextLong(5_000_000_000L),
                    random.nextInt(50), random.nextInt(5000), random.nextLong(1_000_000_000L),
                    random.nextDouble() * 1000, histograms, 0));
            }
            out.add(new ContenderResult(kind.cliName(), kind.description(), runs));
        }
        return out;
    }

    private static List<String> listing(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    private static Map<String, Object> path(final Map<String, Object> root, final int contender, final String field)
    {
        final Map<String, Object> c = map(list(root.get("contenders")).get(contender));
        return null == field ? c : map(c.get(field));
    }

    private static double number(final Map<String, Object> object, final String field)
    {
        final Object value = object.get(field);
        assertNotNull(value, field + " in " + object);
        assertTrue(value instanceof Number, field + " is a number: " + value);
        return ((Number)value).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object value)
    {
        assertTrue(value instanceof Map, "an object: " + value);
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Object value)
    {
        assertTrue(value instanceof List, "an array: " + value);
        return (List<Object>)value;
    }

    /** A small reader over jackson-core's streaming parser: objects to maps (in order), arrays to lists. */
    static Map<String, Object> parse(final Path file) throws IOException
    {
        try (JsonParser parser = new JsonFactory().createParser(file.toFile()))
        {
            final Object root = read(parser, parser.nextToken());
            assertNull(parser.nextToken(), "one document");
            return map(root);
        }
    }

    private static Object read(final JsonParser parser, final JsonToken token) throws IOException
    {
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken())
                {
                    final String name = parser.currentName();
                    assertTrue(!object.containsKey(name), "duplicate field " + name);
                    object.put(name, read(parser, parser.nextToken()));
                }
                return object;
            case START_ARRAY:
                final List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken())
                {
                    array.add(read(parser, t));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
            case VALUE_FALSE:
                return parser.getBooleanValue();
            default:
                throw new IllegalStateException("unexpected " + token);
        }
    }
}
