package io.peerlane.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every way the tools used to destroy a user's file: after the failed command, the input journal and every
 * existing output are byte-identical to what they were, no temporary file is left, and the exit code is the
 * documented one (2: the output is or lies in an input; 3: corrupt input; 1: the output cannot be written).
 */
class DataLossTest
{
    @TempDir
    Path tmp;

    private Path journal;
    private Path firstSegment;

    @BeforeEach
    void recordJournal() throws IOException
    {
        journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 3, "--peers", 60, "--ops", 400, "--segment-bytes", 16384, "--journal", journal)
            .expect(ExitCodes.OK);
        firstSegment = journal.resolve("journal-0000000000.seg");
        assertTrue(Files.exists(firstSegment));
    }

    @Test
    void anOutputOnASegmentIsRefused() throws IOException
    {
        for (final String option : new String[]{"--outcomes", "--events", "--state", "--hlog"})
        {
            final Map<Path, byte[]> before = snapshot(tmp);
            final ToolRun run = ToolRun.of("replay", journal, option, firstSegment).expect(ExitCodes.USAGE);
            assertTrue(run.err.contains(option + " " + firstSegment + ": lies inside the input journal"), run.toString());
            assertUnchanged(before, tmp);
        }
        ToolRun.of("verify", journal).expect(ExitCodes.OK);
    }

    @Test
    void exportOntoTheSettingsFileIsRefused() throws IOException
    {
        final Path config = journal.resolve("peerlane-config.jsonl");
        Files.writeString(config, "{\"op\":\"config\",\"maxPeers\":100000}\n");
        final Map<Path, byte[]> before = snapshot(tmp);
        final ToolRun run = ToolRun.of("export", journal, "--trace", config).expect(ExitCodes.USAGE);
        assertTrue(run.err.contains("lies inside the input journal"), run.toString());
        assertUnchanged(before, tmp);
    }

    @Test
    void anOutputThatIsTheInputItselfIsRefusedThroughAnyName() throws IOException
    {
        final Path trace = tmp.resolve("t.trace");
        ToolRun.of("export", journal, "--trace", trace).expect(ExitCodes.OK);
        final Path link = tmp.resolve("link.trace");
        Files.createSymbolicLink(link, trace);
        final Map<Path, byte[]> before = snapshot(tmp);
        ToolRun.of("replay", trace, "--outcomes", trace).expect(ExitCodes.USAGE);
        ToolRun.of("replay", trace, "--state", link).expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--state", journal).expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--state", tmp).expect(ExitCodes.USAGE);
        ToolRun.of("replay", trace, "--outcomes", tmp.resolve("o"), "--events", tmp.resolve("./o"))
            .expect(ExitCodes.USAGE);
        ToolRun.of("import", trace, "--journal", trace).expect(ExitCodes.USAGE);
        assertUnchanged(before, tmp);
    }

    @Test
    void exportOfACorruptJournalKeepsTheExistingTrace() throws IOException
    {
        final Path keep = tmp.resolve("keep.trace");
        Files.writeString(keep, "{\"op\":\"tick\",\"t\":5}\n");
        damageSecondSegment();
        final Map<Path, byte[]> before = snapshot(tmp);
        ToolRun.of("export", journal, "--trace", keep).expect(ExitCodes.CORRUPT);
        assertUnchanged(before, tmp);
    }

    @Test
    void replayOfACorruptJournalKeepsEveryExistingOutput() throws IOException
    {
        final Path state = tmp.resolve("s.jsonl");
        final Path outcomes = tmp.resolve("o.jsonl");
        Files.writeString(state, "mine\n");
        Files.writeString(outcomes, "mine too\n");
        damageSecondSegment();
        final Map<Path, byte[]> before = snapshot(tmp);
        ToolRun.of("replay", journal, "--state", state, "--outcomes", outcomes, "--hlog", tmp.resolve("new.hlog"))
            .expect(ExitCodes.CORRUPT);
        assertUnchanged(before, tmp);
    }

    @Test
    void aFullDeviceFailsWithItsReason() throws IOException
    {
        final Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "this system has no /dev/full");
        final Map<Path, byte[]> before = snapshot(tmp);
        for (final String option : new String[]{"--hlog", "--outcomes", "--events", "--state"})
        {
            final ToolRun run = ToolRun.of("replay", journal, option, full).expect(ExitCodes.FAILURE);
            assertTrue(run.err.contains("/dev/full: cannot write: "), run.toString());
            assertTrue(run.err.lines().noneMatch(l -> l.endsWith("cannot write: ")), run.toString());
        }
        final ToolRun trace = ToolRun.of("generate", "--seed", 1, "--peers", 10, "--ops", 10, "--trace", full)
            .expect(ExitCodes.FAILURE);
        assertTrue(trace.err.contains("/dev/full: cannot write: "), trace.toString());
        ToolRun.of("export", journal, "--trace", full).expect(ExitCodes.FAILURE);
        assertUnchanged(before, tmp);
    }

    @Test
    void aMissingDirectoryIsOneRuleAcrossSubcommands() throws IOException
    {
        final Path trace = tmp.resolve("t.trace");
        ToolRun.of("export", journal, "--trace", trace).expect(ExitCodes.OK);
        final Path missing = tmp.resolve("nodir").resolve("x.jsonl");
        final Map<Path, byte[]> before = snapshot(tmp);
        final ToolRun[] runs = {
            ToolRun.of("replay", journal, "--outcomes", missing),
            ToolRun.of("replay", trace, "--state", missing),
            ToolRun.of("export", journal, "--trace", missing),
            ToolRun.of("generate", "--seed", 1, "--peers", 10, "--ops", 10, "--trace", missing) };
        for (final ToolRun run : runs)
        {
            run.expect(ExitCodes.FAILURE);
            assertTrue(run.err.contains(missing + ": cannot write: directory " + missing.getParent() + " does not exist"),
                run.toString());
        }
        final Path file = tmp.resolve("plain");
        Files.writeString(file, "x");
        final Map<Path, byte[]> withFile = snapshot(tmp);
        final ToolRun journalUnderAFile = ToolRun.of("import", trace, "--journal", file.resolve("j"))
            .expect(ExitCodes.FAILURE);
        assertTrue(journalUnderAFile.err.contains(file.resolve("j") + ": cannot write: "), journalUnderAFile.toString());
        assertUnchanged(withFile, tmp);
        Files.delete(file);
        assertUnchanged(before, tmp);
    }

    @Test
    void aJournalWithoutItsFirstSegmentIsRefusedAndNamesTheMissingSequences() throws IOException
    {
        Files.delete(firstSegment);
        final Path keep = tmp.resolve("keep.trace");
        Files.writeString(keep, "{\"op\":\"tick\",\"t\":5}\n");
        final Map<Path, byte[]> before = snapshot(tmp);
        final ToolRun verify = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(verify.err.contains("does not start at its beginning: the records up to sequence "), verify.toString());
        final ToolRun replay = ToolRun.of("replay", journal, "--state", keep).expect(ExitCodes.CORRUPT);
        assertTrue(replay.err.contains("are missing"), replay.toString());
        ToolRun.of("export", journal, "--trace", keep).expect(ExitCodes.CORRUPT);
        assertUnchanged(before, tmp);
    }

    @Test
    void aMissingLastSegmentIsFlaggedWhereTheChainAllows() throws IOException
    {
        final ToolRun whole = ToolRun.of("verify", journal).expect(ExitCodes.OK);
        assertTrue(!whole.err.contains("is full to within one record"), "the real last segment has room: " + whole);
        final List<Path> segments;
        try (Stream<Path> s = Files.list(journal))
        {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
        Files.delete(segments.get(segments.size() - 1));
        final Path left = segments.get(segments.size() - 2);
        final ToolRun verify = ToolRun.of("verify", journal).expect(ExitCodes.OK);
        assertTrue(verify.err.contains("its last segment, " + left.getFileName() + ", is full to within one record"),
            verify.toString());
        final ToolRun replay = ToolRun.of("replay", journal).expect(ExitCodes.OK);
        assertTrue(replay.err.contains("a later segment is missing"), replay.toString());
    }

    @Test
    void aSuccessfulRunReplacesAnExistingOutputWhole() throws IOException
    {
        final Path trace = tmp.resolve("t.trace");
        Files.writeString(trace, "old content that is longer than nothing\n".repeat(1000));
        ToolRun.of("export", journal, "--trace", trace).expect(ExitCodes.OK);
        final ToolRun again = ToolRun.of("replay", trace).expect(ExitCodes.OK);
        assertTrue(again.value("peers").matches("\\d+"), again.toString());
        try (Stream<Path> files = Files.list(tmp))
        {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
    }

    private void damageSecondSegment() throws IOException
    {
        final Path second = journal.resolve("journal-0000000001.seg");
        final byte[] bytes = Files.readAllBytes(second);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(second, bytes);
    }

    /** Every regular file under a directory with its bytes. */
    static Map<Path, byte[]> snapshot(final Path dir) throws IOException
    {
        final Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).toList())
            {
                files.put(p, Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** Asserts the same files with the same bytes: nothing changed, nothing added (no temporary file left). */
    static void assertUnchanged(final Map<Path, byte[]> before, final Path dir) throws IOException
    {
        final Map<Path, byte[]> after = snapshot(dir);
        assertEquals(before.keySet(), after.keySet(), "the same files");
        for (final Map.Entry<Path, byte[]> e : before.entrySet())
        {
            assertArrayEquals(e.getValue(), after.get(e.getKey()), () -> e.getKey() + " is byte-identical; now " +
                new String(after.get(e.getKey()), StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        }
    }
}
