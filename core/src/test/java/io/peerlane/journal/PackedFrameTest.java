package io.peerlane.journal;

import io.peerlane.journal.JournalCorruptException.Defect;
import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.peerlane.journal.JournalDescriptor.*;
import static io.peerlane.journal.JournalFiles.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What only version 2's packed frames have: varints that can be malformed or longer than needed, a journal of
 * both versions, and fewer bytes for the same ops.
 */
class PackedFrameTest
{
    private static final long SEGMENT = 8 * 1024;

    @TempDir
    Path dir;

    private List<Written> ops(final long seed, final int count)
    {
        return new ArrayList<>(new OpGenerator(seed).ops(count));
    }

    @Test
    void aSequenceVarintThatRunsToTheFramesEndIsABadRecord()
    {
        final List<Written> ops = ops(11, 40);
        OpGenerator.write(dir, SEGMENT, ops);
        final JournalEntry target = entries(dir).get(3);
        final byte[] bytes = read(target.file());
        final int start = (int)target.offset();
        final int length = le(bytes).getInt(start);
        Arrays.fill(bytes, start + ABORT_CAUSE_OFFSET + 1, start + length, (byte)0xFF);
        resealFrame(bytes, start, length);
        write(target.file(), bytes);
        final JournalCorruptException ex = expectCorrupt(dir, ops, 3);
        assertEquals(Defect.BAD_RECORD, ex.defect(), ex.getMessage());
        assertEquals(start, ex.offset());
        assertTrue(ex.getMessage().contains("varint"), ex.getMessage());
        final JournalCorruptException checked = JournalVerifier.verify(dir).corruption();
        assertNotNull(checked);
        assertEquals(Defect.BAD_RECORD, checked.defect());
        assertEquals(start, checked.offset());
    }

    @Test
    void aVarintPastSixtyFourBitsIsABadRecordToTheCheckerAndTheDecoder()
    {
        final List<Written> ops = ops(12, 40);
        OpGenerator.write(dir, SEGMENT, ops);
        final JournalEntry target = entries(dir).get(5);
        final byte[] original = read(target.file());
        final int start = (int)target.offset();
        final int length = le(original).getInt(start);
        // The event time (the varint after the sequence) becomes ten bytes whose last carries bits past 64.
        final int time = varintEnd(original, start + ABORT_CAUSE_OFFSET + 1);
        final int timeEnd = varintEnd(original, time);
        final byte[] overflow = {(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80,
            (byte)0x80, (byte)0x80, 0x02};
        final byte[] bytes = splice(original, time, timeEnd, overflow);
        final int newLength = length + overflow.length - (timeEnd - time);
        resealFrame(bytes, start, newLength);
        write(target.file(), bytes);
        final JournalCorruptException decoded = expectCorrupt(dir, ops, 5);
        assertEquals(Defect.BAD_RECORD, decoded.defect(), decoded.getMessage());
        assertTrue(decoded.getMessage().contains("64 bits"), decoded.getMessage());
        final JournalCorruptException checked = JournalVerifier.verify(dir).corruption();
        assertNotNull(checked);
        assertEquals(Defect.BAD_RECORD, checked.defect(), checked.getMessage());
        assertEquals(start, checked.offset());
    }

    @Test
    void aLongerEncodingOfAVarintReadsAsItsValue()
    {
        // JournalDescriptor: a reader accepts a varint longer than the shortest encoding of its value.
        final List<Written> ops = ops(13, 40);
        OpGenerator.write(dir, SEGMENT, ops);
        final JournalEntry target = entries(dir).get(2);
        final byte[] original = read(target.file());
        final int start = (int)target.offset();
        final int length = le(original).getInt(start);
        final int seq = start + ABORT_CAUSE_OFFSET + 1;
        final int seqEnd = varintEnd(original, seq);
        final byte[] longer = Arrays.copyOfRange(original, seq, seqEnd + 1);
        longer[longer.length - 2] |= (byte)0x80;
        longer[longer.length - 1] = 0;
        final byte[] bytes = splice(original, seq, seqEnd, longer);
        resealFrame(bytes, start, length + 1);
        write(target.file(), bytes);
        OpGenerator.readAll(dir, ops);
        assertTrue(JournalVerifier.verify(dir).intact());
    }

    @Test
    void aJournalOfVersionOneExtendedByThisWriterReadsWhole() throws IOException
    {
        final List<Written> ops = ops(14, 120);
        OpGenerator.write(dir, SEGMENT, ops.subList(0, 70), MAJOR_VERSION_1);
        final int oldSegments = JournalRoundTripTest.segmentFiles(dir).size();
        OpGenerator.write(dir, SEGMENT, ops.subList(70, ops.size()));
        final List<Path> segments = JournalRoundTripTest.segmentFiles(dir);
        assertTrue(segments.size() > oldSegments, segments.size() + " segments");
        for (int i = 0; i < segments.size(); i++)
        {
            assertEquals(i < oldSegments ? MAJOR_VERSION_1 : MAJOR_VERSION,
                le(Files.readAllBytes(segments.get(i))).getShort(MAJOR_VERSION_OFFSET), segments.get(i).toString());
        }
        OpGenerator.readAll(dir, ops);
        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact(), report.toString());
        assertEquals(ops.size(), report.recordCount());
    }

    @Test
    void theSameOpsTakeFewerBytes() throws IOException
    {
        final List<Written> ops = ops(15, 3000);
        final Path v1 = dir.resolve("v1");
        final Path v2 = dir.resolve("v2");
        OpGenerator.write(v1, SEGMENT_LENGTH_DEFAULT, ops, MAJOR_VERSION_1);
        OpGenerator.write(v2, SEGMENT_LENGTH_DEFAULT, ops);
        final long before = bytes(v1);
        final long after = bytes(v2);
        System.out.printf("PackedFrameTest: %d ops, version 1 %d bytes, version 2 %d bytes (%.3f)%n", ops.size(),
            before, after, (double)after / before);
        // OpGenerator's fields are random over their whole ranges (the worst case for varints): the fixed
        // fields version 2 drops, and one-byte lengths, still save some 8%.
        assertTrue(after < 0.95 * before, after + " against " + before);
        OpGenerator.readAll(v1, ops);
        OpGenerator.readAll(v2, ops);
    }

    private static long bytes(final Path journal) throws IOException
    {
        long sum = 0;
        for (final Path p : JournalRoundTripTest.segmentFiles(journal))
        {
            sum += Files.size(p);
        }
        return sum;
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

    /** @return {@code bytes} with {@code [from, to)} replaced by {@code with}. */
    private static byte[] splice(final byte[] bytes, final int from, final int to, final byte[] with)
    {
        final byte[] out = new byte[bytes.length - (to - from) + with.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(bytes, to, out, from + with.length, bytes.length - to);
        return out;
    }
}
