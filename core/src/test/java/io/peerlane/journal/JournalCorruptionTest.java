package io.peerlane.journal;

import io.peerlane.journal.JournalCorruptException.Defect;
import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.peerlane.journal.JournalDescriptor.*;
import static io.peerlane.journal.JournalFiles.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Torn tails, flipped bits, empty files, garbage and newer versions, each found where it lies, in a journal of
 * the version this writer writes ({@link JournalCorruptionV1Test} runs every case on version 1's layout).
 */
class JournalCorruptionTest
{
    private static final long SEGMENT = 8 * 1024;

    @TempDir
    Path dir;

    private List<Written> ops;
    private List<JournalEntry> entries;
    private List<Path> segments;

    @BeforeEach
    void writeJournal() throws IOException
    {
        final OpGenerator gen = new OpGenerator(20240611L);
        ops = new ArrayList<>(gen.ops(60));
        ops.add(gen.smallUpsert());
        OpGenerator.write(dir, SEGMENT, ops, majorVersion());
        entries = entries(dir);
        segments = JournalRoundTripTest.segmentFiles(dir);
        assertEquals(ops.size(), entries.size());
        assertTrue(segments.size() >= 3, segments.size() + " segments");
    }

    /** @return the layout the journal under test is written in. */
    int majorVersion()
    {
        return MAJOR_VERSION;
    }

    @Test
    void theSegmentsAreOfTheVersionUnderTest()
    {
        for (final Path segment : segments)
        {
            assertEquals(majorVersion(), le(read(segment)).getShort(MAJOR_VERSION_OFFSET), segment.toString());
        }
    }

    @Test
    void aTornLastRecordIsReportedAndIgnoredAtEveryByteOffset()
    {
        final JournalEntry lastEntry = entries.get(entries.size() - 1);
        final Path last = lastEntry.file();
        final byte[] original = read(last);
        final int start = (int)lastEntry.offset();
        assertEquals(original.length, start + le(original).getInt(start), "the last record ends the file");
        for (int cut = start; cut < original.length; cut++)
        {
            write(last, Arrays.copyOf(original, cut));
            final long[] told = {-2, -2};
            try (JournalReader r = JournalReader.open(dir, (file, offset, seq) ->
            {
                assertEquals(last, file);
                told[0] = offset;
                told[1] = seq;
            }))
            {
                for (int i = 0; i < ops.size() - 1; i++)
                {
                    OpGenerator.assertSame(ops.get(i), r.next());
                }
                assertNull(r.next(), "cut at " + cut);
                if (cut == start)
                {
                    assertFalse(r.tornTail(), "a cut between records is a clean end");
                    assertEquals(-2, told[0]);
                }
                else
                {
                    assertTrue(r.tornTail(), "cut at " + cut);
                    assertEquals(last, r.tornTailFile());
                    assertEquals(start, r.tornTailOffset());
                    assertEquals(start, told[0]);
                    assertEquals(ops.get(ops.size() - 2).sequence, told[1]);
                }
            }
            final JournalReport report = JournalVerifier.verify(dir);
            assertTrue(report.intact(), report.toString());
            assertEquals(ops.size() - 1, report.recordCount());
            assertEquals(cut != start, report.tornTail());
        }
    }

    @Test
    void aLastSegmentCutInsideItsHeaderIsATornTail()
    {
        final Path last = segments.get(segments.size() - 1);
        final byte[] original = read(last);
        final int before = (int)entries.stream().filter(e -> !e.file().equals(last)).count();
        for (int cut = 0; cut < HEADER_LENGTH; cut++)
        {
            write(last, Arrays.copyOf(original, cut));
            final JournalReport report = JournalVerifier.verify(dir);
            assertTrue(report.intact(), report.toString());
            assertTrue(report.tornTail());
            assertEquals(0, report.tornTailOffset());
            assertEquals(before, report.recordCount());
        }
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail()
    {
        final Path last = segments.get(segments.size() - 1);
        final byte[] original = read(last);
        write(last, Arrays.copyOf(original, original.length + 4096));
        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact(), report.toString());
        assertEquals(ops.size(), report.recordCount());
        assertTrue(report.tornTail());
        assertEquals(original.length, report.tornTailOffset());
    }

    @Test
    void aSegmentCutShortBeforeTheLastIsCorrupt()
    {
        final Path first = segments.get(0);
        final byte[] original = read(first);
        final List<JournalEntry> in = entries.stream().filter(e -> e.file().equals(first)).collect(
            java.util.stream.Collectors.toList());
        final JournalEntry lastInFirst = in.get(in.size() - 1);
        for (int cut = (int)lastInFirst.offset() + 1; cut < original.length; cut += 7)
        {
            write(first, Arrays.copyOf(original, cut));
            final JournalCorruptException ex = expectCorrupt(dir, ops, in.size() - 1);
            assertEquals(Defect.TRUNCATED, ex.defect());
            assertEquals(first, ex.file());
            assertEquals(lastInFirst.offset(), ex.offset());
        }
        // Cut cleanly between records: the next segment's header says where the first should have ended.
        for (int k = 0; k < in.size(); k++)
        {
            final int cut = (int)in.get(k).offset();
            write(first, Arrays.copyOf(original, cut));
            final JournalCorruptException ex = expectCorrupt(dir, ops, k);
            assertEquals(Defect.TRUNCATED, ex.defect());
            assertEquals(first, ex.file());
            assertEquals(cut, ex.offset());
        }
        write(first, Arrays.copyOf(original, HEADER_LENGTH - 1));
        assertEquals(Defect.TRUNCATED, expectCorrupt(dir, ops, 0).defect());
        write(first, Arrays.copyOf(original, 5));
        assertEquals(Defect.TRUNCATED, expectCorrupt(dir, ops, 0).defect());
    }

    @Test
    void everyFlippedBitOfAHeaderIsFoundAtOffsetZero()
    {
        for (final int s : new int[]{0, segments.size() - 1})
        {
            final Path file = segments.get(s);
            final byte[] original = read(file);
            final int before = (int)entries.stream().filter(e -> e.file().compareTo(file) < 0).count();
            for (int bit = 0; bit < HEADER_LENGTH * 8; bit++)
            {
                final byte[] bytes = original.clone();
                bytes[bit >> 3] ^= 1 << (bit & 7);
                write(file, bytes);
                final JournalCorruptException ex = expectCorrupt(dir, ops, before);
                assertEquals(file, ex.file(), "bit " + bit);
                assertEquals(0, ex.offset(), "bit " + bit);
                final int at = bit >> 3;
                final Defect expected = at < MAJOR_VERSION_OFFSET ? Defect.BAD_MAGIC :
                    at < MINOR_VERSION_OFFSET ? Defect.UNSUPPORTED_VERSION : Defect.BAD_HEADER;
                assertEquals(expected, ex.defect(), "bit " + bit + ": " + ex.getMessage());
            }
            write(file, original);
        }
    }

    @Test
    void aFlippedBitInEveryPartOfARecordIsFoundAtTheRecordsOffset()
    {
        // Every bit of the fixed fields (length, check, CRC, kind, outcome, sequence, times, counts), then one
        // bit of every byte of the variable part (reason, refusals, the op), the bit rotating with the byte.
        for (final int index : new int[]{0, 1, entries.size() / 2, entries.size() - 1})
        {
            final JournalEntry target = entries.get(index);
            final byte[] original = read(target.file());
            final int start = (int)target.offset();
            final int length = le(original).getInt(start);
            for (int bit = 0; bit < length * 8; bit += bit < BODY_OFFSET * 8 ? 1 : 9)
            {
                final byte[] bytes = original.clone();
                bytes[start + (bit >> 3)] ^= 1 << (bit & 7);
                write(target.file(), bytes);
                final JournalCorruptException ex = expectCorrupt(dir, ops, index);
                assertEquals(target.file(), ex.file());
                assertEquals(start, ex.offset(), "record " + index + " bit " + bit);
                final Defect expected = (bit >> 3) < CRC_OFFSET ? Defect.BAD_LENGTH : Defect.BAD_CRC;
                assertEquals(expected, ex.defect(), "record " + index + " bit " + bit + ": " + ex.getMessage());
            }
            write(target.file(), original);
        }
    }

    @Test
    void aSequenceGoingBackwardsIsCorrupt()
    {
        final JournalEntry target = entries.get(5);
        assertEquals(entries.get(4).file(), target.file());
        final byte[] bytes = read(target.file());
        final int start = (int)target.offset();
        putSequence(bytes, start, entries.get(4).sequence());
        resealFrame(bytes, start, le(bytes).getInt(start));
        write(target.file(), bytes);
        final JournalCorruptException ex = expectCorrupt(dir, ops, 5);
        assertEquals(Defect.BAD_SEQUENCE, ex.defect());
        assertEquals(start, ex.offset());
        assertEquals(entries.get(4).sequence(), ex.lastGoodSequence());
    }

    /** Overwrites a frame's Ring Sequence in the layout under test (version 2: a zigzag varint of the same width). */
    private void putSequence(final byte[] bytes, final int start, final long sequence)
    {
        if (majorVersion() == MAJOR_VERSION_1)
        {
            le(bytes).putLong(start + SEQUENCE_OFFSET, sequence);
            return;
        }
        int at = start + ABORT_CAUSE_OFFSET + 1;
        final int oldEnd = varintEnd(bytes, at);
        long v = (sequence << 1) ^ (sequence >> 63);
        while ((v & ~0x7FL) != 0)
        {
            bytes[at++] = (byte)(v | 0x80);
            v >>>= 7;
        }
        bytes[at++] = (byte)v;
        assertEquals(oldEnd, at, "the new sequence's varint has the old one's width");
    }

    private static int varintEnd(final byte[] bytes, final int from)
    {
        int at = from;
        while (bytes[at] < 0)
        {
            at++;
        }
        return at + 1;
    }

    @Test
    void aSegmentHeaderWhoseFirstSequenceGoesBackIsCorrupt()
    {
        final Path second = segments.get(1);
        final byte[] bytes = read(second);
        final int before = (int)entries.stream().filter(e -> e.file().equals(segments.get(0))).count();
        le(bytes).putLong(FIRST_SEQUENCE_OFFSET, ops.get(before - 1).sequence);
        resealHeader(bytes);
        write(second, bytes);
        final JournalCorruptException ex = expectCorrupt(dir, ops, before);
        assertEquals(Defect.BAD_SEQUENCE, ex.defect());
        assertEquals(second, ex.file());
        assertEquals(0, ex.offset());
    }

    @Test
    void aMissingSegmentIsCorrupt() throws IOException
    {
        Files.delete(segments.get(1));
        final int before = (int)entries.stream().filter(e -> e.file().equals(segments.get(0))).count();
        final JournalCorruptException ex = expectCorrupt(dir, ops, before);
        assertEquals(Defect.BAD_SEGMENT_ORDER, ex.defect());
        assertEquals(segments.get(2), ex.file());
    }

    @Test
    void aNewerMajorVersionIsRefused()
    {
        final byte[] bytes = read(segments.get(0));
        le(bytes).putShort(MAJOR_VERSION_OFFSET, (short)(MAJOR_VERSION + 1));
        resealHeader(bytes);
        write(segments.get(0), bytes);
        final JournalCorruptException ex = expectCorrupt(dir, ops, 0);
        assertEquals(Defect.UNSUPPORTED_VERSION, ex.defect());
        assertEquals(0, ex.offset());
        assertTrue(ex.getMessage().contains("newer"), ex.getMessage());
        assertFalse(JournalVerifier.verify(dir).intact());
    }

    @Test
    void aNewerMinorVersionWithALongerHeaderAndLongerRecordsIsRead()
    {
        // Rewrite segment 0 as a minor version 1 writer would: 8 more header bytes, 5 more bytes per record.
        final Path first = segments.get(0);
        final byte[] old = read(first);
        final byte[] bytes = new byte[old.length * 2];
        System.arraycopy(old, 0, bytes, 0, HEADER_LENGTH);
        le(bytes).putShort(MINOR_VERSION_OFFSET, (short)(MINOR_VERSION + 1)).putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH + 8);
        int to = HEADER_LENGTH + 8;
        int from = HEADER_LENGTH;
        while (from < old.length)
        {
            final int length = le(old).getInt(from);
            System.arraycopy(old, from, bytes, to, length);
            Arrays.fill(bytes, to + length, to + length + 5, (byte)7);
            resealFrame(bytes, to, length + 5);
            from += length;
            to += length + 5;
        }
        final byte[] segment = Arrays.copyOf(bytes, to);
        resealHeader(segment);
        write(first, segment);
        OpGenerator.readAll(dir, ops);
    }

    @Test
    void emptyAndMissingJournals() throws IOException
    {
        final Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        JournalReport report = JournalVerifier.verify(empty);
        assertTrue(report.intact());
        assertEquals(0, report.segmentCount());
        assertEquals(0, report.recordCount());
        assertEquals(NO_SEQUENCE, report.lastSequence());
        assertFalse(report.tornTail());

        Files.write(empty.resolve(segmentFileName(0)), new byte[0]);
        report = JournalVerifier.verify(empty);
        assertTrue(report.intact());
        assertEquals(1, report.segmentCount());
        assertTrue(report.tornTail(), "an empty last segment is a header never written");
        assertEquals(0, report.tornTailOffset());

        write(segments.get(1), new byte[0]);
        final int before = (int)entries.stream().filter(e -> e.file().equals(segments.get(0))).count();
        assertEquals(Defect.TRUNCATED, expectCorrupt(dir, ops, before).defect());

        final JournalException ex = assertThrows(JournalException.class,
            () -> JournalReader.open(dir.resolve("no-such-dir")));
        assertFalse(ex instanceof JournalCorruptException);
        assertEquals(dir.resolve("no-such-dir"), ex.file());
    }

    @Test
    void garbageIsCorrupt() throws IOException
    {
        final Path garbage = dir.resolve("garbage");
        Files.createDirectories(garbage);
        final Random random = new Random(7);
        for (final int size : new int[]{8, 63, 64, 65, 1000, 100_000})
        {
            final byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            write(garbage.resolve(segmentFileName(0)), bytes);
            final JournalReport report = JournalVerifier.verify(garbage);
            assertNotNull(report.corruption(), "size " + size);
            assertEquals(Defect.BAD_MAGIC, report.corruption().defect());
            assertEquals(0, report.corruption().offset());
        }
        // Fewer bytes than a magic in the last segment: a header cut short.
        write(garbage.resolve(segmentFileName(0)), new byte[]{1, 2, 3});
        assertTrue(JournalVerifier.verify(garbage).tornTail());

        // Garbage after the last record.
        final Path last = segments.get(segments.size() - 1);
        final byte[] original = read(last);
        final byte[] bytes = Arrays.copyOf(original, original.length + 100);
        for (int i = original.length; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31 + 1);
        }
        write(last, bytes);
        final JournalCorruptException ex = expectCorrupt(dir, ops, ops.size());
        assertEquals(Defect.BAD_LENGTH, ex.defect());
        assertEquals(original.length, ex.offset());
    }

    @Test
    void otherFilesInTheDirectoryAreIgnored() throws IOException
    {
        Files.write(dir.resolve("journal-1.seg"), new byte[]{1});
        Files.write(dir.resolve("README"), new byte[]{2});
        Files.createDirectories(dir.resolve(segmentFileName(99)).resolveSibling("sub"));
        OpGenerator.readAll(dir, ops);
        final List<Path> after = new ArrayList<>(JournalRoundTripTest.segmentFiles(dir));
        assertEquals(segments, after);
    }
}
