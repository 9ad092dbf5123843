package io.peerlane.journal;

import io.peerlane.journal.JournalCorruptException.Defect;
import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A writer killed while it writes a new segment's header: each state the header can be left in (each field
 * stored in turn with the magic still 0, the CRC stored with the magic 0, and what an older writer that stored
 * the magic before the CRC could leave, magic set with a CRC of 0) reads, in the last segment, as a torn tail
 * (or the whole header and an empty tail), and {@link JournalWriter#open} reopens the journal with every
 * record. The same header in a segment that is not the last, or with a record after it, is damage.
 */
class HeaderKillTest
{
    private static final int SEGMENT = 16 * 1024;
    /** Header fields in the order the encoder stores them: offset, length. The CRC is last. */
    private static final int[][] FIELDS = {
        {MAJOR_VERSION_OFFSET, 2}, {MINOR_VERSION_OFFSET, 2}, {HEADER_LENGTH_OFFSET, 4}, {SEGMENT_INDEX_OFFSET, 8},
        {FIRST_SEQUENCE_OFFSET, 8}, {CREATION_TIME_OFFSET, 8}, {SEGMENT_LENGTH_OFFSET, 8},
        {PREVIOUS_LAST_SEQUENCE_OFFSET, 8}, {HEADER_RESERVED_OFFSET, 4}, {HEADER_CRC_OFFSET, 4},
    };

    @TempDir
    Path dir;

    /** A new segment as the encoder leaves it: a whole header, then the rest of the mapping unwritten. */
    private static byte[] encodedSegment(final long index, final long lastSequence)
    {
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer mapping = ByteBuffer.allocateDirect(SEGMENT);
        encoder.wrap(mapping);
        encoder.encodeHeader(index, lastSequence + 1, lastSequence, 1_700_000_000_000L, SEGMENT);
        encoder.release();
        final byte[] bytes = new byte[SEGMENT];
        mapping.get(0, bytes);
        return bytes;
    }

    /** Each state a kill inside the header's stores can leave, by name. */
    private static Map<String, byte[]> killedStates(final byte[] whole)
    {
        final Map<String, byte[]> states = new LinkedHashMap<>();
        final byte[] blank = new byte[SEGMENT];
        for (int stored = 0; stored <= FIELDS.length; stored++)
        {
            final byte[] state = blank.clone();
            for (int f = 0; f < stored; f++)
            {
                System.arraycopy(whole, FIELDS[f][0], state, FIELDS[f][0], FIELDS[f][1]);
            }
            states.put("magic 0, " + stored + " of " + FIELDS.length + " fields stored (the CRC last)", state);
        }
        final byte[] magicNoCrc = whole.clone();
        Arrays.fill(magicNoCrc, HEADER_CRC_OFFSET, HEADER_CRC_OFFSET + 4, (byte)0);
        states.put("magic set, every field, CRC 0 (an older writer's window)", magicNoCrc);
        return states;
    }

    private static Path copyOf(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        for (final Path p : JournalRoundTripTest.segmentFiles(from))
        {
            Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    @Test
    void everyStateOfAKilledLastHeaderReopens() throws IOException
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("HeaderKillTest seed=" + seed);
        final List<Written> all = new OpGenerator(seed).ops(151);
        final List<Written> ops = all.subList(0, 150);
        final Written extra = all.get(150);
        final Path base = dir.resolve("base");
        OpGenerator.write(base, SEGMENT, ops);
        final List<Path> files = JournalRoundTripTest.segmentFiles(base);
        assertTrue(files.size() > 1, "several segments, seed " + seed);
        final long lastSequence = ops.get(ops.size() - 1).sequence;
        final long next = files.size();

        final byte[] whole = encodedSegment(next, lastSequence);
        assertEquals(MAGIC, JournalFiles.le(whole).getLong(MAGIC_OFFSET));
        final byte[] resealed = whole.clone();
        JournalFiles.resealHeader(resealed);
        assertArrayEquals(whole, resealed, "the CRC computed in the scratch buffer is the header's, magic included");

        final Map<String, byte[]> states = killedStates(whole);
        states.put("the whole header, no record yet", whole);
        int n = 0;
        for (final Map.Entry<String, byte[]> state : states.entrySet())
        {
            final String what = state.getKey() + ", seed " + seed;
            final Path copy = copyOf(base, dir.resolve("state" + n++));
            final Path seg = copy.resolve(segmentFileName(next));
            JournalFiles.write(seg, state.getValue());

            final JournalReport report = JournalVerifier.verify(copy);
            assertTrue(report.intact(), what + ": " + report);
            assertTrue(report.tornTail(), what + ": " + report);
            assertEquals(seg, report.tornTailFile(), what);
            assertEquals(state.getValue() == whole ? HEADER_LENGTH : 0, report.tornTailOffset(), what);
            assertEquals(ops.size(), report.recordCount(), what);
            OpGenerator.readAll(copy, ops).close();

            try (JournalWriter writer = JournalWriter.open(OpGenerator.context(copy, SEGMENT)))
            {
                assertEquals(lastSequence, writer.lastSequence(), what);
                writer.append(extra.sequence, extra.time, extra.mutation, extra.outcome);
            }
            final JournalReport after = JournalVerifier.verify(copy);
            assertTrue(after.intact() && !after.tornTail(), what + ": after reopening " + after);
            assertEquals(all.size(), after.recordCount(), what);
            OpGenerator.readAll(copy, all).close();
        }
    }

    @Test
    void anUnfinishedHeaderIsDamageInAnyButTheLastSegmentOrWithARecordAfterIt() throws IOException
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("HeaderKillTest seed=" + seed);
        final List<Written> ops = new OpGenerator(seed).ops(150);
        final Path base = dir.resolve("base");
        OpGenerator.write(base, SEGMENT, ops);
        final List<Path> files = JournalRoundTripTest.segmentFiles(base);
        assertTrue(files.size() > 1, "several segments, seed " + seed);

        // Segment 0 replaced by each unfinished state of its own header, nothing after it: not the last, so damage.
        final byte[] first = JournalFiles.read(files.get(0));
        final byte[] firstWhole = Arrays.copyOf(Arrays.copyOf(first, HEADER_LENGTH), SEGMENT);
        final List<String> notDamage = new ArrayList<>();
        int n = 0;
        for (final Map.Entry<String, byte[]> state : killedStates(firstWhole).entrySet())
        {
            final Path copy = copyOf(base, dir.resolve("first" + n++));
            JournalFiles.write(copy.resolve(segmentFileName(0)), state.getValue());
            final JournalReport report = JournalVerifier.verify(copy);
            if (report.intact())
            {
                notDamage.add(state.getKey() + ": " + report);
            }
            assertThrows(JournalCorruptException.class, () -> JournalWriter.open(OpGenerator.context(copy, SEGMENT)),
                state.getKey());
        }
        assertEquals(List.of(), notDamage, "seed " + seed);

        // The last segment, with records, its CRC zeroed: a record follows the header, so damage.
        final Path copy = copyOf(base, dir.resolve("lastWithRecords"));
        final Path last = copy.resolve(files.get(files.size() - 1).getFileName());
        final byte[] bytes = JournalFiles.read(last);
        Arrays.fill(bytes, HEADER_CRC_OFFSET, HEADER_CRC_OFFSET + 4, (byte)0);
        JournalFiles.write(last, bytes);
        final JournalReport report = JournalVerifier.verify(copy);
        assertFalse(report.intact(), report.toString());
        assertEquals(Defect.BAD_HEADER, report.corruption().defect());
        assertThrows(JournalCorruptException.class, () -> JournalWriter.open(OpGenerator.context(copy, SEGMENT)));
    }
}
