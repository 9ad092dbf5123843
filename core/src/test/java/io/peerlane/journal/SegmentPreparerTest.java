package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The writer's next segment prepared ahead ({@link SegmentPreparer}): the journal it leaves is byte for byte the
 * one a writer that creates each segment on the roll leaves, a prepared file is never read as a segment and is
 * gone after close or the next open, and a segment that cannot be prepared fails the append that rolls to it.
 */
class SegmentPreparerTest
{
    private static final long SEGMENT = 4 * 1024;

    @TempDir
    Path dir;

    private static JournalWriter.Context context(final Path journal, final boolean prefault)
    {
        // A fixed creation time, so that two journals of the same ops are the same bytes.
        return OpGenerator.context(journal, SEGMENT).prefault(prefault).epochClock(() -> 1_700_000_000_000L);
    }

    /** A prefaulting writer's context whose files named as {@code refuse} says cannot be created. */
    private static JournalWriter.Context refusing(
        final Path journal, final java.util.function.Predicate<String> refuse, final String why, final AtomicInteger refused)
    {
        return context(journal, true).channelFactory(p ->
        {
            if (refuse.test(p.getFileName().toString()))
            {
                refused.incrementAndGet();
                throw new IOException(why);
            }
            return FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        });
    }

    private static void write(final JournalWriter.Context ctx, final List<Written> ops)
    {
        try (JournalWriter writer = JournalWriter.open(ctx))
        {
            for (int i = 0; i < ops.size(); i++)
            {
                final Written w = ops.get(i);
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
                if (i % 7 == 6)
                {
                    writer.endOfBatch();
                }
            }
        }
    }

    private static List<String> names(final Path journal) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void prefaultedSegmentsAreTheBytesOfSegmentsCreatedOnTheRoll() throws IOException
    {
        final long seed = System.nanoTime();
        System.out.println("segment preparer seed " + seed);
        final List<Written> ops = new OpGenerator(seed).ops(600);
        final Path ahead = dir.resolve("ahead");
        final Path onRoll = dir.resolve("on-roll");
        write(context(ahead, true), ops);
        write(context(onRoll, false), ops);

        final List<String> names = names(ahead);
        assertEquals(names(onRoll), names, "seed " + seed);
        assertTrue(names.size() > 3, "several rolls: " + names);
        assertTrue(names.stream().allMatch(n -> n.matches("journal-\\d{10}\\.seg")), "nothing prepared is left: " + names);
        for (final String name : names)
        {
            assertArrayEquals(Files.readAllBytes(onRoll.resolve(name)), Files.readAllBytes(ahead.resolve(name)),
                "seed " + seed + ": " + name);
        }
        OpGenerator.readAll(ahead, ops);
    }

    @Test
    void theNextSegmentIsPreparedOnceHalfOfThisOneIsWrittenAndIsHiddenFromReaders() throws IOException
    {
        final long segment = 1024 * 1024;
        final OpGenerator gen = new OpGenerator(7);
        final Path journal = dir.resolve("j");
        final String prepared = "journal-0000000001.seg" + SegmentPreparer.SUFFIX;
        int appended = 0;
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(journal, segment)))
        {
            final List<Written> ops = gen.ops(20_000);
            while (writer.bytesWritten() < segment / 3)
            {
                final Written w = ops.get(appended++);
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
            }
            assertFalse(names(journal).contains(prepared), "nothing prepared before half a segment is written");
            // No frame is a tenth of a segment long, so segment 0 is still the one written below.
            while (writer.bytesWritten() < segment * 6 / 10)
            {
                final Written w = ops.get(appended++);
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
            }
            assertEquals("journal-0000000000.seg", writer.currentFile().getFileName().toString());
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!names(journal).contains(prepared))
            {
                assertTrue(System.nanoTime() < deadline, "segment 1 never prepared: " + names(journal));
                Thread.onSpinWait();
            }
            final JournalReport report = JournalVerifier.verify(journal);
            assertEquals(1, report.segmentCount(), report.toString());
            assertEquals(appended, report.recordCount(), report.toString());
        }
        assertEquals(List.of("journal-0000000000.seg"), names(journal), "the unused preparation is deleted on close");
    }

    @Test
    void aJournalSmallerThanHalfASegmentNeverPreparesOne() throws IOException
    {
        final List<Written> ops = new OpGenerator(9).ops(5);
        final Path journal = dir.resolve("j");
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(journal, 1024 * 1024)))
        {
            for (final Written w : ops)
            {
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
            }
            assertEquals(List.of("journal-0000000000.seg"), names(journal));
        }
        assertEquals(List.of("journal-0000000000.seg"), names(journal));
    }

    @Test
    void aPreparedFileAKilledWriterLeftIsDeletedWhenTheJournalIsOpened() throws IOException
    {
        final List<Written> ops = new OpGenerator(11).ops(40);
        final Path journal = dir.resolve("j");
        write(context(journal, false), ops.subList(0, 20));
        final List<String> before = names(journal);
        // What a writer killed during a preparation leaves: a file of zeros (or anything) under a hidden name.
        final Path leftover = journal.resolve("journal-0000000099.seg" + SegmentPreparer.SUFFIX);
        Files.write(leftover, new byte[8192]);

        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact() && !report.tornTail(), report.toString());
        assertEquals(20, report.recordCount());

        write(context(journal, true), ops.subList(20, 40));
        assertFalse(Files.exists(leftover));
        assertTrue(names(journal).containsAll(before));
        OpGenerator.readAll(journal, ops);
    }

    @Test
    void aSegmentThatCanBeCreatedNeitherAheadNorOnTheRollFailsTheAppendThatRollsToIt() throws IOException
    {
        final List<Written> ops = new OpGenerator(13).ops(400);
        final Path journal = dir.resolve("j");
        final AtomicInteger refused = new AtomicInteger();
        // Segment 2 can be created neither ahead (its .prep file) nor on the roll.
        final JournalWriter.Context ctx = refusing(journal, name -> name.startsWith("journal-0000000002.seg"),
            "No space left on device", refused);
        JournalException failure = null;
        int appended = 0;
        try (JournalWriter writer = JournalWriter.open(ctx))
        {
            for (final Written w : ops)
            {
                try
                {
                    writer.append(w.sequence, w.time, w.mutation, w.outcome);
                    appended++;
                }
                catch (final JournalException ex)
                {
                    failure = ex;
                    break;
                }
            }
            assertNotNull(failure, "the roll to segment 2 must fail");
            assertTrue(writer.failed());
        }
        assertTrue(refused.get() >= 1);
        assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
        assertEquals("journal-0000000002.seg", failure.file().getFileName().toString(), failure.getMessage());
        assertEquals(List.of("journal-0000000000.seg", "journal-0000000001.seg"), names(journal));
        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact(), report.toString());
        assertEquals(appended, report.recordCount(), "every record appended before the failed roll is there");
        OpGenerator.readAll(journal, ops.subList(0, appended));
    }

    @Test
    void aFailedPreparationFallsBackToCreatingTheSegmentOnTheRoll() throws IOException
    {
        final List<Written> ops = new OpGenerator(17).ops(400);
        final Path journal = dir.resolve("j");
        final AtomicInteger refused = new AtomicInteger();
        final JournalWriter.Context ctx = refusing(journal, name -> name.endsWith(SegmentPreparer.SUFFIX),
            "the preparer's file cannot be created", refused);
        write(ctx, ops);
        assertTrue(refused.get() >= 2, "preparations were tried and refused: " + refused.get());
        assertTrue(names(journal).stream().allMatch(n -> n.matches("journal-\\d{10}\\.seg")), names(journal).toString());
        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact() && !report.tornTail(), report.toString());
        OpGenerator.readAll(journal, ops);
    }
}
