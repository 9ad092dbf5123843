package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code replicate-bench} run small in-process (three replicas on loopback), its usage errors and its help. */
class ReplicateBenchCommandTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSmallRunReportsBothSidesAndDeletesItsStorage() throws Exception
    {
        final ToolRun run = ToolRun.of("replicate-bench", "--ops", 2_000, "--warmup", 500, "--window", 64,
            "--work-dir", dir).expect(ExitCodes.OK);
        assertTrue(run.out.matches("(?s).*3 replicas, loopback +[\\d,]+ ops/s +commit p50 .* p99 .* p99\\.9 .*"), run.out);
        assertTrue(run.out.matches("(?s).*single-node engine +[\\d,]+ ops/s +commit p50 .*"), run.out);
        assertTrue(run.out.contains("replicated / single-node throughput"), run.out);
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(0, left.count(), "the replicas' storage was not deleted");
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOptionTheValueAndTheLimit()
    {
        assertTrue(ToolRun.of("replicate-bench", "--ops", 5).expect(ExitCodes.USAGE).err
            .contains("--ops: 5 must be in [1000, 100000000]"));
        assertTrue(ToolRun.of("replicate-bench", "--replicas", 2).expect(ExitCodes.USAGE).err
            .contains("--replicas: 2 must be an odd number in [1, 7]"));
        assertTrue(ToolRun.of("replicate-bench", "--window", 0).expect(ExitCodes.USAGE).err
            .contains("--window: 0 must be in [1, 65536]"));
        assertTrue(ToolRun.of("replicate-bench", "--batch-ops", 70_000).expect(ExitCodes.USAGE).err
            .contains("--batch-ops: 70000 must be in [1, 65535]"));
        assertTrue(ToolRun.of("replicate-bench", "--work-dir", dir.resolve("missing")).expect(ExitCodes.USAGE).err
            .contains("is not an existing directory"));
        assertTrue(ToolRun.of("replicate-bench", "--ops", "many").expect(ExitCodes.USAGE).err.contains("--ops"));
        ToolRun.of("replicate-bench", "--bogus").expect(ExitCodes.USAGE);
    }

    @Test
    void helpListsTheOptionsAndTheExitCodes()
    {
        final ToolRun help = ToolRun.of("replicate-bench", "--help").expect(ExitCodes.OK);
        assertTrue(help.out.contains("--replicas") && help.out.contains("--in-flight") && help.out.contains("Exit codes"),
            help.out);
    }
}
