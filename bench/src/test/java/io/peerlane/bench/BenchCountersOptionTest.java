package io.peerlane.bench;

import io.peerlane.metrics.CounterKind;
import io.peerlane.metrics.CountersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --counters DIR}: Peerlane's engine keeps its counters there; a file in its place is a usage error. */
class BenchCountersOptionTest
{
    @Test
    void aRunLeavesItsLastEnginesCountersInTheDirectory(@TempDir final Path dir)
    {
        final Path counters = dir.resolve("counters");
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--contenders", "peerlane", "--runs", "1", "--ops", "4000",
            "--warmup-ops", "0", "--peers", "200", "--out", dir.resolve("out").toString(), "--counters", counters.toString() },
            new StringWriter(), err);
        assertEquals(BenchMain.EXIT_OK, code, err.toString());
        try (CountersFile file = CountersFile.open(counters))
        {
            assertFalse(file.running(System.currentTimeMillis()), "the run's engine has stopped");
            long decided = 0;
            for (final io.peerlane.outcome.OutcomeCode outcome : io.peerlane.outcome.OutcomeCode.values())
            {
                decided += file.value(CounterKind.OUTCOMES, outcome.name());
            }
            // The measured run's engine: its population, its ops, and the probe's closing op if any.
            assertTrue(decided >= 200 + 4000, "outcomes counted: " + decided);
            assertTrue(file.value(CounterKind.OBSERVER_EVENTS, "latency-probe") > 0);
        }
    }

    @Test
    void countersThatIsAFileIsAUsageError(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--counters", file.toString() }, new StringWriter(), err);
        assertEquals(BenchMain.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--counters: '" + file + "' is a file"), err.toString());
    }
}
