package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal holds every recorded outcome, so a replay compares with it whatever its settings: a missing or an
 * edited settings file and {@code --set} all give DIFF lines and exit 4; a setting only a re-vote can apply
 * implies {@code --revote}; an unchanged replay says every outcome is equal and exits 0.
 */
class ReplayComparisonTest
{
    @TempDir
    Path tmp;

    private Path record(final Object... extra) throws IOException
    {
        final Path journal = tmp.resolve("j");
        final Object[] args = new Object[10 + extra.length];
        System.arraycopy(new Object[]{"generate", "--seed", 11, "--peers", 300, "--ops", 3000, "--journal", journal,
            "--set"}, 0, args, 0, 10);
        System.arraycopy(extra, 0, args, 10, extra.length);
        ToolRun.of(args).expect(ExitCodes.OK);
        return journal;
    }

    private static long diffLines(final ToolRun run)
    {
        return run.out.lines().filter(l -> l.startsWith("DIFF sequence ")).count();
    }

    @Test
    void anUnchangedReplayIsEqualToTheRecording() throws IOException
    {
        final Path journal = record("maxPeers=100");
        final ToolRun run = ToolRun.of("replay", journal).expect(ExitCodes.OK);
        assertTrue(run.out.contains("outcomes: all 3000 equal to the recording"), run.toString());
        assertEquals(0, diffLines(run), run.toString());
    }

    @Test
    void aMissingSettingsFileReportsEveryChangedOutcome() throws IOException
    {
        final Path journal = record("maxPeers=100");
        Files.delete(journal.resolve("peerlane-config.jsonl"));
        final ToolRun run = ToolRun.of("replay", journal).expect(ExitCodes.CHECK_FAILED);
        assertTrue(run.err.contains("has no peerlane-config.jsonl"), run.toString());
        final long diffs = diffLines(run);
        assertTrue(diffs > 0 && run.out.contains("outcomes: " + diffs + " of 3000 differ"), run.toString());
        assertTrue(run.out.contains("recorded REJECTED CAPACITY"), run.toString());
    }

    @Test
    void anEditedSettingsFileReportsEveryChangedOutcome() throws IOException
    {
        final Path journal = record("maxPeers=100");
        Files.writeString(journal.resolve("peerlane-config.jsonl"), "{\"op\":\"config\",\"maxPeers\":150}\n");
        final ToolRun run = ToolRun.of("replay", journal).expect(ExitCodes.CHECK_FAILED);
        assertTrue(diffLines(run) > 0, run.toString());
    }

    @Test
    void setReportsEveryChangedOutcome() throws IOException
    {
        final Path journal = record("maxPeers=100");
        final ToolRun run = ToolRun.of("replay", journal, "--set", "maxPeers=1000").expect(ExitCodes.CHECK_FAILED);
        assertTrue(diffLines(run) > 0, run.toString());
    }

    @Test
    void validatorKeysWithoutRevoteImplyARevote() throws IOException
    {
        final Path journal = tmp.resolve("v");
        ToolRun.of("generate", "--seed", 4, "--peers", 200, "--ops", 2000, "--validators", 0.4, "--journal", journal)
            .expect(ExitCodes.OK);
        ToolRun.of("replay", journal).expect(ExitCodes.OK);
        final ToolRun run = ToolRun.of("replay", journal, "--set", "authorizedValidatorKeys=")
            .expect(ExitCodes.CHECK_FAILED);
        assertTrue(run.err.contains("replaying with --revote"), run.toString());
        assertTrue(run.out.lines().anyMatch(l -> l.startsWith("DIFF sequence ") && l.contains("recorded ABORTED")),
            run.toString());
    }

    @Test
    void aSettingGivenTwiceIsRefused() throws IOException
    {
        final Path journal = record("maxPeers=100");
        final ToolRun run = ToolRun.of("replay", journal, "--set", "maxPeers=5", "--set", "maxPeers=6")
            .expect(ExitCodes.USAGE);
        assertTrue(run.err.contains("--set maxPeers: given twice (maxPeers=5 and maxPeers=6)"), run.toString());
        ToolRun.of("generate", "--seed", 1, "--peers", 5, "--ops", 5, "--trace", tmp.resolve("t"),
            "--set", "maxBans=5", "--set", "maxBans=5").expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--set", "maxPeers").expect(ExitCodes.USAGE);
    }
}
