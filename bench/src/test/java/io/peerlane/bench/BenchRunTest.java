package io.peerlane.bench;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small end-to-end runs of the command in-process: every contender, the files, the exit codes. */
class BenchRunTest
{
    private static final int OPS = 6000;
    private static final int RUNS = 2;

    @Test
    void smallRunMeasuresEveryOpOfEveryContenderOnceAndWritesTheReports(@TempDir final Path dir) throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--ops", Integer.toString(OPS), "--peers", "600",
            "--runs", Integer.toString(RUNS), "--warmup-ops", "1000", "--ring", "256", "--out", dir.toString() }, out, err);
        assertEquals(BenchMain.EXIT_OK, code, out + "\n" + err);
        assertEquals("", err.toString());
        final String text = out.toString();
        assertTrue(text.contains("vs peerlane"), text);
        assertFalse(text.contains("WARNING"), text);
        HtmlReportTest.parse(Files.readString(dir.resolve("report.html")));
        final java.util.Map<String, Object> summary = SummaryJsonTest.parse(dir.resolve(SummaryJson.FILE_NAME));
        final java.util.List<?> contenders = (java.util.List<?>)summary.get("contenders");
        final java.util.List<ContenderKind> kinds = ContenderKind.defaults();
        assertEquals(kinds.size(), contenders.size(), summary.toString());
        for (int i = 0; i < contenders.size(); i++)
        {
            final java.util.Map<?, ?> c = (java.util.Map<?, ?>)contenders.get(i);
            assertEquals(kinds.get(i).cliName(), c.get("name"));
            assertTrue(((Number)((java.util.Map<?, ?>)c.get("opsPerSec")).get("median")).doubleValue() > 0, c.toString());
            assertTrue(c.get("bytesPerPeer") instanceof Number, "heap per peer measured: " + c);
            assertTrue(c.get("allocBytesPerOp") instanceof Number, "allocation measured: " + c);
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temporary file left");
        }
        for (final String column : new String[]{ "alloc B/op", "GC pauses", "B/peer", "p99.99", "max" })
        {
            assertTrue(text.contains(column), column + " in the headline: " + text);
        }
        assertFalse(text.contains("\n" + ContenderKind.PEERLANE_JOURNAL.cliName() + " "), "not run by default: " + text);
        // Every contender warms up before the first measured run; the measured runs go in rounds.
        final java.util.List<String> expected = new java.util.ArrayList<>();
        for (final ContenderKind kind : kinds)
        {
            expected.add(kind.cliName() + " warm-up");
        }
        for (int r = 1; r <= RUNS; r++)
        {
            for (final ContenderKind kind : kinds)
            {
                expected.add(kind.cliName() + " run " + r + "/" + RUNS);
            }
        }
        final java.util.List<String> order = new java.util.ArrayList<>();
        final java.util.regex.Matcher line = java.util.regex.Pattern
            .compile("(?m)^  (\\S+) +(warm-up|run \\d+/\\d+) +[\\d,]+ ops/s  ").matcher(text);
        while (line.find())
        {
            order.add(line.group(1) + " " + line.group(2));
        }
        assertEquals(expected, order, text);
        for (final ContenderKind kind : kinds)
        {
            assertTrue(text.contains("\n" + kind.cliName() + " "), kind.cliName() + " in the table: " + text);
            for (final Metric metric : Metric.values())
            {
                final Path log = dir.resolve(IntervalLog.fileName(kind.cliName(), metric));
                if (metric == Metric.OBSERVER && !kind.delivers())
                {
                    assertFalse(Files.exists(log), log.toString());
                    continue;
                }
                assertEquals((long)OPS * RUNS, countInLog(log), "every op measured once per run in " + log);
            }
        }
    }

    @Test
    void rateModeThatMissesItsTargetFailsWithTheCheckFailedExitCode(@TempDir final Path dir)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        // No machine pushes a billion ops a second through a registry: the target is missed by construction.
        final int code = BenchMainArgsTest.run(new String[]{ "--mode", "rate", "--rate", "1000000000", "--ops", "2000",
            "--peers", "200", "--runs", "1", "--warmup-ops", "0", "--contenders", "peerlane", "--out", dir.toString() },
            out, err);
        assertEquals(4, code, out + "\n" + err);   // ExitCodes.CHECK_FAILED, as the tool's paced replay
        assertTrue(out.toString().contains("FAIL peerlane: achieved"), out.toString());
        assertTrue(out.toString().contains("below the target 1,000,000,000 ops/s"), out.toString());
    }

    static long countInLog(final Path log) throws Exception
    {
        long count = 0;
        final HistogramLogReader reader = new HistogramLogReader(log.toFile());
        EncodableHistogram h;
        while (null != (h = reader.nextIntervalHistogram()))
        {
            count += ((org.HdrHistogram.Histogram)h).getTotalCount();
        }
        reader.close();
        return count;
    }
}
