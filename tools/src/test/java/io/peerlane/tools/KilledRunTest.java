package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed (SIGKILL) while it writes leaves every existing file as it was: the outputs were going to
 * temporary files. The child replays at 20 ops/s, so it is still running whenever it is killed.
 */
class KilledRunTest
{
    @TempDir
    Path tmp;

    @Test
    void aKilledReplayLeavesExistingOutputsAsTheyWere() throws IOException, InterruptedException
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 2, "--peers", 50, "--ops", 2000, "--journal", journal).expect(ExitCodes.OK);
        final Path outcomes = tmp.resolve("o.jsonl");
        final Path state = tmp.resolve("s.jsonl");
        Files.writeString(outcomes, "mine\n");
        Files.writeString(state, "mine too\n");
        final Map<Path, byte[]> before = DataLossTest.snapshot(journal);
        final byte[] outcomesBefore = Files.readAllBytes(outcomes);
        final byte[] stateBefore = Files.readAllBytes(state);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process p = new ProcessBuilder(List.of(java.toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), PeerlaneTool.class.getName(),
            "replay", journal.toString(), "--pace", "rate:20", "--outcomes", outcomes.toString(),
            "--state", state.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        // Wait until it has opened its temporary outputs, then kill it mid-run (2000 ops at 20/s: 100 s).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (temporaries() < 2 && System.nanoTime() < deadline && p.isAlive())
        {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "still running when killed");
        assertTrue(temporaries() >= 2, "the child writes to temporary files");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child is gone");
        assertArrayEquals(outcomesBefore, Files.readAllBytes(outcomes), "outcomes untouched");
        assertArrayEquals(stateBefore, Files.readAllBytes(state), "state untouched");
        DataLossTest.assertUnchanged(before, journal);
        ToolRun.of("verify", journal).expect(ExitCodes.OK);
    }

    private long temporaries() throws IOException
    {
        try (var files = Files.list(tmp))
        {
            return files.filter(f -> f.getFileName().toString().contains(".tmp-")).count();
        }
    }
}
