package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of heap, the tool prints one line naming the heap and the {@code PEERLANE_JAVA_OPTS} hint, exits 1 and
 * leaves existing outputs as they were: run in a child JVM with a small heap, where a ring of 2^24 slots
 * cannot fit.
 */
class OutOfMemoryTest
{
    @TempDir
    Path tmp;

    @Test
    void outOfHeapIsOneLineWithTheHint() throws IOException, InterruptedException
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 1, "--peers", 50, "--ops", 200, "--journal", journal).expect(ExitCodes.OK);
        final Path outcomes = tmp.resolve("o.jsonl");
        Files.writeString(outcomes, "keep\n");
        final Map<Path, byte[]> before = DataLossTest.snapshot(tmp);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx48m",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), PeerlaneTool.class.getName(),
            "replay", journal.toString(), "--ring", "16777216", "--outcomes", outcomes.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ends");
        assertEquals(ExitCodes.FAILURE, p.exitValue(), err);
        assertTrue(err.contains("replay: out of memory: the JVM's heap of ") && err.contains(" MiB is too small") &&
            err.contains("PEERLANE_JAVA_OPTS=-Xmx"), err);
        assertFalse(err.contains("\tat ") || err.contains("java.lang.OutOfMemoryError"), err);
        assertEquals(1, err.lines().filter(l -> !l.isBlank()).count(), err);
        DataLossTest.assertUnchanged(before, tmp);
    }
}
