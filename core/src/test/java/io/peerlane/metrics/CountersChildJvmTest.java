package io.peerlane.metrics;

import io.peerlane.engine.Topology;
import io.peerlane.outcome.OutcomeCode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine in a child JVM writes its counters to a directory; this JVM reads them through the mapped file while
 * the child runs (it is live and its counts move) and after it stopped: every outcome count and the observers'
 * counts equal what the child's own outcome listener and observers saw.
 */
class CountersChildJvmTest
{
    @ParameterizedTest
    @EnumSource(Topology.class)
    void countersReadFromAnotherProcessEqualWhatTheChildSaw(final Topology topology, @TempDir final Path dir)
        throws Exception
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("seed=" + seed);
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            CountersChild.class.getName(), dir.toString(), "20000", Long.toString(seed), topology.name()));
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8))
        {
            assertEquals("LIVE", out.readLine(), "the child's first line");
            final long added;
            try (CountersFile file = CountersFile.open(dir))
            {
                assertTrue(file.running(System.currentTimeMillis()), "the child's engine is running");
                assertEquals(child.pid(), file.pid());
                added = file.value(CounterKind.OUTCOMES, OutcomeCode.ADDED.name());
                assertTrue(added > 0, "ADDED counted while the child runs: " + added);
                assertTrue(file.value(CounterKind.OBSERVER_VOTES, "gate") > 0, "gate's votes counted while it runs");
            }
            in.write("go\n");
            in.flush();
            final Map<String, Long> seen = new HashMap<>();
            String line;
            while (!"DONE".equals(line = out.readLine()))
            {
                assertNotNull(line, "the child ended early");
                final int space = line.lastIndexOf(' ');
                seen.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
            try (CountersFile file = CountersFile.open(dir))
            {
                assertFalse(file.running(System.currentTimeMillis()), "the child's engine has stopped");
                assertTrue(file.stoppedMs() > 0);
                long total = 0;
                for (final OutcomeCode code : OutcomeCode.values())
                {
                    final long expected = seen.get("OUTCOME " + code.name());
                    total += expected;
                    assertEquals(expected, file.value(CounterKind.OUTCOMES, code.name()), code.name());
                }
                assertEquals(20_001, total, "every op and the awaited one have an outcome");
                assertTrue(file.value(CounterKind.OUTCOMES, OutcomeCode.ADDED.name()) >= added, "counters only grow");
                assertTrue(seen.get("OUTCOME ABORTED") > 0 && seen.get("OUTCOME STALE") > 0, "the load made both: " + seen);
                assertEquals(seen.get("OBSERVER counted events"), file.value(CounterKind.OBSERVER_EVENTS, "counted"));
                assertEquals(seen.get("OBSERVER gate votes"), file.value(CounterKind.OBSERVER_VOTES, "gate"));
                assertEquals(seen.get("OBSERVER gate vetoes"), file.value(CounterKind.OBSERVER_VETOES, "gate"));
                assertEquals(seen.get("OBSERVER counted events"), file.value(CounterKind.OBSERVER_EVENTS, "gate"),
                    "a critical observer also receives every committed event");
                assertEquals(0, file.value(CounterKind.OBSERVER_LAG, "counted"), "nothing owed after the close");
                assertEquals(0, file.value(CounterKind.STAGE_ERRORS, null));
                final String commitStage = topology == Topology.COMPACT ? "compact" : "commit";
                assertEquals(20_001 + 3, file.value(CounterKind.STAGE_EVENTS, commitStage),
                    "every op, two registrations and the close went through the ring");
            }
            in.write("exit\n");
            in.flush();
        }
        finally
        {
            if (!child.waitFor(30, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
            }
        }
        assertEquals(0, child.exitValue());
    }

}
