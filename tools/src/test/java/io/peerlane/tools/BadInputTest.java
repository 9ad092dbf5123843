package io.peerlane.tools;

import io.peerlane.journal.JournalDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets one clear line, its exit code and no stack trace. */
class BadInputTest
{
    @TempDir
    Path tmp;

    private Path journal;
    private List<Path> segments;

    @BeforeEach
    void recordJournal() throws IOException
    {
        journal = tmp.resolve("journal");
        ToolRun.of("generate", "--seed", 5, "--peers", 50, "--ops", 300, "--segment-bytes", 16384, "--journal", journal)
            .expect(ExitCodes.OK);
        try (Stream<Path> s = Files.list(journal))
        {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
        assertTrue(segments.size() >= 3, "several segments");
    }

    @Test
    void intactJournalVerifies()
    {
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.OK);
        assertTrue(run.out.contains("records  300") && run.out.contains("sequences 1 to 300"), run.toString());
        assertTrue(run.out.contains("segments " + segments.size()), run.toString());
    }

    @Test
    void tornLastRecordIsAWarning() throws IOException
    {
        final Path last = segments.get(segments.size() - 1);
        truncate(last, Files.size(last) - 5);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.OK);
        assertTrue(run.err.contains("warning: torn last record in " + last), run.toString());
        final ToolRun replay = ToolRun.of("replay", journal).expect(ExitCodes.OK);
        assertTrue(replay.err.contains("torn last record"), replay.toString());
    }

    @Test
    void truncatedSegmentBeforeTheLastIsCorrupt() throws IOException
    {
        final Path first = segments.get(0);
        truncate(first, Files.size(first) - 5);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains(first.toString()) && run.err.contains("TRUNCATED") &&
            run.err.contains("last good sequence"), run.toString());
        ToolRun.of("replay", journal).expect(ExitCodes.CORRUPT);
        ToolRun.of("export", journal, "--trace", tmp.resolve("t")).expect(ExitCodes.CORRUPT);
    }

    @Test
    void flippedBitInAHeaderNamesTheFileAndOffsetZero() throws IOException
    {
        final Path second = segments.get(1);
        flip(second, JournalDescriptor.CREATION_TIME_OFFSET);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains(second + " at offset 0") && run.err.contains("BAD_HEADER"), run.toString());
    }

    @Test
    void flippedBitInARecordNamesTheFileOffsetAndSequence() throws IOException
    {
        final Path first = segments.get(0);
        flip(first, JournalDescriptor.HEADER_LENGTH + 200);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains(first + " at offset ") && run.err.contains("last good sequence"), run.toString());
        assertTrue(run.err.contains("BAD_CRC") || run.err.contains("BAD_LENGTH"), run.toString());
        ToolRun.of("replay", journal, "--outcomes", tmp.resolve("o")).expect(ExitCodes.CORRUPT);
        assertTrue(!Files.exists(tmp.resolve("o")), "no partial output after corrupt input");
    }

    @Test
    void garbageSegmentIsCorrupt() throws IOException
    {
        final byte[] garbage = new byte[4096];
        new java.util.Random(3).nextBytes(garbage);
        Files.write(segments.get(0), garbage);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("BAD_MAGIC") && run.err.contains(segments.get(0).toString()), run.toString());
    }

    @Test
    void newerMajorVersionIsRefused() throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segments.get(0));
        bytes[JournalDescriptor.MAJOR_VERSION_OFFSET] = (byte)(JournalDescriptor.MAJOR_VERSION + 1);
        Files.write(segments.get(0), bytes);
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("major version " + (JournalDescriptor.MAJOR_VERSION + 1) + " is newer"), run.toString());
        ToolRun.of("replay", journal).expect(ExitCodes.CORRUPT);
    }

    @Test
    void emptyDirectoryAndEmptySegment() throws IOException
    {
        final Path empty = Files.createDirectory(tmp.resolve("empty"));
        final ToolRun run = ToolRun.of("verify", empty).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("holds no segment file"), run.toString());
        ToolRun.of("replay", empty).expect(ExitCodes.CORRUPT);

        final Path one = Files.createDirectory(tmp.resolve("one"));
        Files.write(one.resolve(JournalDescriptor.segmentFileName(0)), new byte[0]);
        final ToolRun torn = ToolRun.of("verify", one).expect(ExitCodes.OK);
        assertTrue(torn.err.contains("torn last record") && torn.out.contains("records  0"), torn.toString());

        final Path emptyTrace = Files.write(tmp.resolve("empty.trace"), new byte[0]);
        final ToolRun replay = ToolRun.of("replay", emptyTrace).expect(ExitCodes.OK);
        assertTrue(replay.out.contains("peers 0"), replay.toString());
    }

    @Test
    void badSettingsFileIsCorrupt() throws IOException
    {
        Files.writeString(journal.resolve("peerlane-config.jsonl"), "{\"op\":\"config\",\"maxPeers\":-1}\n");
        final ToolRun run = ToolRun.of("replay", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("peerlane-config.jsonl: line 1: maxPeers"), run.toString());
    }

    @Test
    void malformedTraceLinesNameTheFileAndLine() throws IOException
    {
        final String good = "{\"op\":\"tick\",\"t\":5}\n";
        final String[][] cases = {
            {"{\"op\":\"tick\",\"t\":5", "line 2"},
            {"{\"op\":\"tick\",\"t\":5,\"extra\":1}", "line 2: extra"},
            {"{\"op\":\"tick\",\"t\":1}", "line 2: t"},
            {"{\"op\":\"remove\",\"t\":9,\"id\":\"zz\"}", "line 2: id"},
            {"{\"op\":\"tick\",\"t\":5.0}", "line 2: t"},
            {"not json", "line 2"},
        };
        for (final String[] c : cases)
        {
            final Path trace = tmp.resolve("bad.trace");
            Files.writeString(trace, good + c[0] + "\n" + good, StandardCharsets.UTF_8);
            for (final String command : new String[]{"replay", "import"})
            {
                final ToolRun run = command.equals("replay") ? ToolRun.of("replay", trace) :
                    ToolRun.of("import", trace, "--journal", tmp.resolve("never"));
                run.expect(ExitCodes.CORRUPT);
                assertTrue(run.err.contains(trace + ": " + c[1]), c[0] + " -> " + run);
                assertTrue(!Files.exists(tmp.resolve("never")), "no journal from a bad trace");
            }
        }
        Files.write(tmp.resolve("utf.trace"), new byte[]{'{', (byte)0xC3, '}', '\n'});
        ToolRun.of("replay", tmp.resolve("utf.trace")).expect(ExitCodes.CORRUPT);
    }

    @Test
    void usageErrors() throws IOException
    {
        assertTrue(ToolRun.of("verify", tmp.resolve("missing")).expect(ExitCodes.USAGE).err.contains("no such"));
        assertTrue(ToolRun.of("replay", tmp.resolve("missing.trace")).expect(ExitCodes.USAGE).err.contains("no such"));
        ToolRun.of("replay", journal, "--topology", "diamond").expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--pace", "fast").expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--ring", 1000).expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--set", "maxPeerz=3").expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--set", "maxPeers=-3").expect(ExitCodes.USAGE);
        ToolRun.of("replay", journal, "--bogus").expect(ExitCodes.USAGE);
        ToolRun.of("generate", "--seed", 1, "--peers", 5, "--ops", 5).expect(ExitCodes.USAGE);
        ToolRun.of("generate", "--seed", 1, "--peers", 5, "--ops", 5, "--mix", "upsert=x", "--trace", tmp.resolve("x"))
            .expect(ExitCodes.USAGE);
        ToolRun.of("generate", "--seed", 1, "--peers", 5, "--ops", 5, "--journal", journal).expect(ExitCodes.USAGE);
        ToolRun.of().expect(ExitCodes.USAGE);
        final ToolRun help = ToolRun.of("replay", "--help").expect(ExitCodes.OK);
        assertTrue(help.out.contains("Exit codes:") && help.out.contains("corrupt or malformed input"), help.out);
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            ch.truncate(length);
        }
    }

    private static void flip(final Path file, final int offset) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x10;
        final Path tmpFile = file.resolveSibling("flip.tmp");
        Files.write(tmpFile, bytes);
        Files.move(tmpFile, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
