package io.peerlane.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** replay's outputs: all or nothing across them, and --counters held to the same checks as the others. */
class ReplayOutputsTest
{
    @TempDir
    Path tmp;

    private Path journal;

    @BeforeEach
    void recordJournal()
    {
        journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 5, "--peers", 10, "--ops", 20, "--journal", journal).expect(ExitCodes.OK);
    }

    @Test
    void anEventsOutputOnAFullDiskLeavesTheExistingOutcomesFile() throws IOException
    {
        final Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "this system has no /dev/full");
        // The events of these 20 ops are not empty (so /dev/full refuses them) and fit the output's buffer (so
        // the refusal comes at the commit, after the outcomes were ready).
        final Path probe = tmp.resolve("probe.jsonl");
        ToolRun.of("replay", journal, "--events", probe).expect(ExitCodes.OK);
        final long size = Files.size(probe);
        assertTrue(size > 0 && size < 32 * 1024, "events of " + size + " bytes");
        Files.delete(probe);

        final Path outcomes = tmp.resolve("o.jsonl");
        Files.writeString(outcomes, "the user's old outcomes\n");
        final byte[] before = Files.readAllBytes(outcomes);
        final ToolRun run = ToolRun.of("replay", journal, "--outcomes", outcomes, "--events", full)
            .expect(ExitCodes.FAILURE);
        assertTrue(run.err.contains("/dev/full: cannot write: "), run.toString());
        assertArrayEquals(before, Files.readAllBytes(outcomes), "the outcomes file is as it was");
        try (Stream<Path> files = Files.list(tmp))
        {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left");
        }
    }

    @Test
    void countersInsideTheInputJournalAreRefused() throws IOException
    {
        final Map<Path, byte[]> before = DataLossTest.snapshot(tmp);
        final Path inside = journal.resolve("counters");
        final ToolRun run = ToolRun.of("replay", journal, "--counters", inside).expect(ExitCodes.USAGE);
        assertTrue(run.err.contains("--counters " + inside + ": lies inside the input journal"), run.toString());
        assertFalse(Files.exists(inside));
        ToolRun.of("replay", journal, "--counters", journal).expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--counters", tmp).expect(ExitCodes.USAGE);
        DataLossTest.assertUnchanged(before, tmp);
    }
}
