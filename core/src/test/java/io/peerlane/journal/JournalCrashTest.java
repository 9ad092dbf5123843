package io.peerlane.journal;

import io.peerlane.digest.StateDigest;
import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.mutation.MutationValue;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash safety: a child JVM records the seeded {@link CrashWorkload} through an engine under full load and is
 * killed with SIGKILL ({@code Process.destroyForcibly}) at a seeded random moment. Each time the journal
 * verifies, with at most a torn tail; every record holds the op the child published at that place and the
 * outcome a plain {@link RegistryState} fed the same prefix gives; an engine restarted from the journal has
 * the model's digest; and a writer reopened on it cuts the torn tail and leaves a clean journal.
 * <p>
 * The seed fixes the workload, the topology, the force policy and the delay before each kill; where in the
 * stream the kill lands depends on the machine's speed. Run one seed again with {@code -Dcrash.seed=N}.
 */
class JournalCrashTest
{
    private static final long START_TIMEOUT_S = 60;

    @TempDir
    Path dir;

    private long records;

    @Test
    void killedRecordingsVerifyAndRestartToTheCommittedPrefix() throws Exception
    {
        crash(Long.getLong("crash.seed", System.nanoTime()), 10);
    }

    @Test
    @Tag("stress")
    void manyMoreKilledRecordings() throws Exception
    {
        crash(Long.getLong("crash.seed", System.nanoTime()), 60);
    }

    private void crash(final long seed, final int rounds) throws Exception
    {
        System.out.println("JournalCrashTest seed " + seed + ", " + rounds + " rounds");
        final SplittableRandom random = new SplittableRandom(seed);
        int tornTails = 0;
        records = 0;
        for (int round = 0; round < rounds; round++)
        {
            final long workloadSeed = random.nextLong();
            final Topology topology = Topology.values()[round % Topology.values().length];
            final ForcePolicy policy = ForcePolicy.values()[random.nextInt(ForcePolicy.values().length)];
            final long segmentLength = random.nextBoolean() ? 64 * 1024 : 1024 * 1024;
            final long delayMs = 20 + random.nextInt(400);
            final String at = "seed " + seed + " round " + round + " (" + topology + ", " + policy + ", segments of " +
                segmentLength + ", kill after " + delayMs + " ms)";
            final Path journal = dir.resolve("j" + round);

            recordAndKill(journal, workloadSeed, topology, policy, segmentLength, delayMs, at);
            tornTails += check(journal, workloadSeed, at);
        }
        System.out.println("JournalCrashTest: " + rounds + " kills, " + tornTails + " left a torn tail, " + records +
            " records checked");
    }

    private void recordAndKill(final Path journal, final long workloadSeed, final Topology topology,
        final ForcePolicy policy, final long segmentLength, final long delayMs, final String at) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashRecorder.class.getName());
        command.add(journal.toString());
        command.add(Long.toString(workloadSeed));
        command.add(topology.name());
        command.add(policy.name());
        command.add(Long.toString(segmentLength));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); null != line; line = in.readLine())
                {
                    lines.offer(line);
                }
            }
            catch (final IOException ignore)
            {
                // The child was killed: its output ends.
            }
        }, "crash-child-output");
        pump.setDaemon(true);
        pump.start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
            final StringBuilder output = new StringBuilder();
            while (true)
            {
                final String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (null == line)
                {
                    fail(at + ": the child did not report within " + START_TIMEOUT_S + " s (alive " + child.isAlive() +
                        "); its output: " + output);
                }
                if (line.startsWith("published "))
                {
                    break;
                }
                output.append(line).append('\n');
            }
            assertTrue(child.isAlive(), at + ": the child stopped by itself: " + output);
            Thread.sleep(delayMs);
            assertTrue(child.isAlive(), at + ": the child stopped by itself");
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS), at + ": the killed child did not exit");
        }
        assertEquals(137, child.exitValue(), at + ": killed by SIGKILL");
    }

    /** @return 1 when the journal had a torn tail, else 0. */
    private int check(final Path journal, final long workloadSeed, final String at) throws IOException
    {
        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact(), at + ": " + report);
        final JournalReport decoded = JournalVerifier.verifyDecoding(journal);
        assertTrue(decoded.intact(), at + ": " + decoded);
        assertEquals(report.recordCount(), decoded.recordCount(), at);
        assertEquals(report.tornTail(), decoded.tornTail(), at);
        // The child had 2000 ops in the ring; how many reached the journal depends on the force policy's cost.
        assertTrue(report.recordCount() > 0, at + ": nothing was recorded before the kill: " + report);

        // The sequential model fed the same prefix of the op stream the child published.
        final CrashWorkload workload = new CrashWorkload(workloadSeed);
        final RegistryState model = new RegistryState(CrashWorkload.SETTINGS, List.of());
        final CommitResult result = new CommitResult();
        long count = 0;
        try (JournalReader reader = JournalReader.open(journal))
        {
            for (JournalEntry e = reader.next(); null != e; e = reader.next())
            {
                final MutationValue op = workload.next();
                count++;
                assertEquals(op.kind(), e.mutation().kind(), at + ": record " + count);
                assertEquals(op.time(), e.time(), at + ": record " + count);
                model.commit(op, e.sequence(), result);
                assertTrue(e.outcome().sameAs(result), at + ": record " + count + " " + e + " but the model gives " + result);
            }
        }
        assertEquals(report.recordCount(), count, at);
        records += count;
        final String expected = StateDigest.of(model.view());

        try (PeerlaneEngine restarted = PeerlaneEngine.launch(new EngineContext().settings(CrashWorkload.SETTINGS)
            .restoreFrom(null, journal)))
        {
            assertEquals(expected, StateDigest.of(restarted.view()), at + ": restart from the journal");
        }

        // A writer reopened on the journal cuts the torn tail and the journal is clean again.
        try (JournalWriter writer = JournalWriter.open(new JournalWriter.Context().directory(journal)))
        {
            assertEquals(report.lastSequence(), writer.lastSequence(), at);
        }
        final JournalReport after = JournalVerifier.verify(journal);
        assertTrue(after.intact() && !after.tornTail(), at + ": " + after);
        assertEquals(report.recordCount(), after.recordCount(), at);
        assertTrue(Files.isDirectory(journal));
        return report.tornTail() ? 1 : 0;
    }
}
