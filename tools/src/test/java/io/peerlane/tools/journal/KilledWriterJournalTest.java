package io.peerlane.tools.journal;

import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalReader;
import io.peerlane.tools.PeerlaneTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal left by a killed engine: its mapped writer had not cut the last segment down, so the file is its
 * full bound with zeros after the last record. That is no sign of a missing later segment, and its size is
 * not the journal's.
 */
class KilledWriterJournalTest
{
    private static final long BOUND = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void aLastSegmentPaddedToItsBoundIsNotFlaggedAndDoesNotInflateTheProgress() throws IOException
    {
        final Path journal = tmp.resolve("j");
        assertEquals(0, run("generate", "--seed", "4", "--peers", "10", "--ops", "40", "--segment-bytes",
            Long.toString(BOUND), "--journal", journal.toString()).code);
        final Path segment = journal.resolve("journal-0000000000.seg");
        final long written = Files.size(segment);
        assertTrue(written < BOUND / 10, "the records take " + written + " bytes of " + BOUND);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw"))
        {
            f.setLength(BOUND);
        }

        for (final String[] args : new String[][]{
            {"verify", journal.toString()},
            {"replay", journal.toString()},
            {"export", journal.toString(), "--trace", tmp.resolve("t.trace").toString()}})
        {
            final Result r = run(args);
            assertEquals(0, r.code, args[0] + ": " + r.err);
            assertFalse(r.err.contains("is full to within one record"), args[0] + " warns of a missing segment: " + r.err);
            assertFalse(r.err.contains("a later segment is missing"), args[0] + ": " + r.err);
        }

        final JournalPosition position = new JournalPosition(journal);
        try (JournalReader reader = JournalReader.open(journal))
        {
            JournalEntry entry;
            long records = 0;
            while (null != (entry = reader.next()))
            {
                position.at(entry);
                records++;
            }
            assertEquals(40, records);
            assertTrue(reader.tornTail(), "the zeros read as the unwritten end");
            assertEquals(null, position.fullLastSegmentWarning(journal, reader));
        }
        // At the start of the last record: all but that record's bytes, against the records' bytes, not the bound.
        assertTrue(position.share() > 0.9, "share " + position.share() + " after the last record");
    }

    @Test
    void aLastSegmentWhoseRecordsReallyReachItsBoundIsStillFlagged() throws IOException
    {
        final Path journal = tmp.resolve("j");
        final long bound = 16384;
        assertEquals(0, run("generate", "--seed", "3", "--peers", "60", "--ops", "400", "--segment-bytes",
            Long.toString(bound), "--journal", journal.toString()).code);
        final List<Path> segments;
        try (Stream<Path> s = Files.list(journal))
        {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
        assertTrue(segments.size() >= 2, "more than one segment");
        Files.delete(segments.get(segments.size() - 1));
        final Path left = segments.get(segments.size() - 2);
        // The writer rolled past it, so its records end within a record of the bound; padded as a killed writer
        // leaves a last segment, the records, not the file's size, decide.
        try (RandomAccessFile f = new RandomAccessFile(left.toFile(), "rw"))
        {
            f.setLength(bound);
        }
        final Result r = run("verify", journal.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("its last segment, " + left.getFileName() + ", is full to within one record"), r.err);
    }

    private static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = PeerlaneTool.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    private record Result(int code, String err)
    {
    }
}
