package io.peerlane.journal;

import io.peerlane.journal.JournalCorruptException.Defect;
import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What a killed mapped writer leaves, and what damage must not pass for it: the unwritten space of the last
 * segment and an unfinished frame (length word 0) are the torn tail; a zeroed length word with whole records
 * after it, or a header with no magic but records after it, is damage.
 */
class MappedTornTailTest
{
    @TempDir
    Path dir;

    @Test
    void aCopyTakenWhileTheWriterRunsIsWholeRecordsThenATornTail() throws IOException
    {
        final List<Written> ops = new OpGenerator(11).ops(120);
        final Path live = dir.resolve("live");
        final Path copy = dir.resolve("copy");
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(live, 16 * 1024)))
        {
            for (final Written w : ops)
            {
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
            }
            // The mapping is the file's page cache: a copy now is what a kill -9 at this point leaves.
            Files.createDirectories(copy);
            for (final Path p : JournalRoundTripTest.segmentFiles(live))
            {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        final List<Path> copied = JournalRoundTripTest.segmentFiles(copy);
        assertTrue(copied.size() > 1, "the run rolled segments: " + copied);
        assertEquals(16 * 1024, Files.size(copied.get(copied.size() - 1)), "the last segment is mapped whole");

        final JournalReport report = JournalVerifier.verify(copy);
        assertTrue(report.intact(), report.toString());
        assertTrue(report.tornTail(), report.toString());
        assertEquals(copied.get(copied.size() - 1), report.tornTailFile());
        OpGenerator.readAll(copy, ops).close();

        try (JournalWriter again = JournalWriter.open(OpGenerator.context(copy, 16 * 1024)))
        {
            assertEquals(ops.get(ops.size() - 1).sequence, again.lastSequence());
        }
        assertEquals(report.tornTailOffset(), Files.size(copied.get(copied.size() - 1)), "the unwritten space is cut");
        final JournalReport after = JournalVerifier.verify(copy);
        assertTrue(after.intact() && !after.tornTail(), after.toString());
        assertEquals(ops.size(), after.recordCount());
    }

    @Test
    void anUnfinishedFrameIsTheTornTailAndIsCutOnReopening() throws IOException
    {
        final List<Written> ops = new OpGenerator(12).ops(30);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops);
        final Path seg = dir.resolve(segmentFileName(0));
        final List<JournalEntry> entries = JournalFiles.entries(dir);
        final int lastOffset = (int)entries.get(entries.size() - 1).offset();
        // A writer killed before it stored the last frame's length word: body, CRC and check are there.
        final byte[] bytes = Arrays.copyOf(JournalFiles.read(seg), JournalFiles.read(seg).length + 4096);
        Arrays.fill(bytes, lastOffset, lastOffset + 4, (byte)0);
        JournalFiles.write(seg, bytes);

        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact(), report.toString());
        assertTrue(report.tornTail(), report.toString());
        assertEquals(lastOffset, report.tornTailOffset());
        assertEquals(ops.size() - 1, report.recordCount());
        assertEquals(report.toString(), JournalVerifier.verifyDecoding(dir).toString());
        OpGenerator.readAll(dir, ops.subList(0, ops.size() - 1)).close();
        JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)).close();
        assertEquals(lastOffset, Files.size(seg));
    }

    @Test
    void aZeroedLengthWordWithWholeRecordsAfterItIsDamage()
    {
        final List<Written> ops = new OpGenerator(13).ops(30);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops);
        final Path seg = dir.resolve(segmentFileName(0));
        final List<JournalEntry> entries = JournalFiles.entries(dir);
        final int victim = 10;
        final int offset = (int)entries.get(victim).offset();
        final byte[] bytes = JournalFiles.read(seg);
        Arrays.fill(bytes, offset, offset + 4, (byte)0);
        JournalFiles.write(seg, bytes);

        final JournalReport report = JournalVerifier.verify(dir);
        assertFalse(report.intact(), report.toString());
        assertEquals(Defect.BAD_LENGTH, report.corruption().defect());
        assertEquals(offset, report.corruption().offset());
        assertEquals(ops.get(victim - 1).sequence, report.corruption().lastGoodSequence());
        assertTrue(report.corruption().getMessage().contains("a whole record lies at offset " +
            entries.get(victim + 1).offset()), report.corruption().getMessage());
        assertThrows(JournalCorruptException.class, () -> JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)));
        assertArrayEquals(bytes, JournalFiles.read(seg), "a damaged journal is left as found");
    }

    @Test
    void aHeaderWithoutMagicIsTornOnlyWhenNoRecordFollows() throws IOException
    {
        final List<Written> ops = new OpGenerator(14).ops(10);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops);
        final Path seg = dir.resolve(segmentFileName(0));
        final byte[] whole = JournalFiles.read(seg);

        final byte[] noMagic = whole.clone();
        Arrays.fill(noMagic, 0, 8, (byte)0);
        JournalFiles.write(seg, noMagic);
        final JournalReport damaged = JournalVerifier.verify(dir);
        assertFalse(damaged.intact(), damaged.toString());
        assertEquals(Defect.BAD_MAGIC, damaged.corruption().defect());

        // A writer killed between its header fields and its magic, before any record.
        final byte[] headerOnly = Arrays.copyOf(whole, HEADER_LENGTH + 4096);
        Arrays.fill(headerOnly, 0, 8, (byte)0);
        Arrays.fill(headerOnly, HEADER_LENGTH, headerOnly.length, (byte)0);
        JournalFiles.write(seg, headerOnly);
        final JournalReport torn = JournalVerifier.verify(dir);
        assertTrue(torn.intact() && torn.tornTail(), torn.toString());
        assertEquals(0, torn.tornTailOffset());
        JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)).close();
        // The torn segment is removed on reopening; closed with no record, the writer leaves a whole header.
        assertEquals(HEADER_LENGTH, Files.size(seg));
        final JournalReport after = JournalVerifier.verify(dir);
        assertTrue(after.intact() && !after.tornTail() && after.recordCount() == 0, after.toString());
    }
}
