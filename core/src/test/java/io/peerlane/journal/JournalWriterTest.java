package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;
import io.peerlane.outcome.OutcomeCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class JournalWriterTest
{
    @TempDir
    Path dir;

    private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger forces = new AtomicInteger();

    private JournalWriter.Context faulty(final Path journal, final long segmentLength)
    {
        return OpGenerator.context(journal, segmentLength).channelFactory(p -> new FaultyChannel(
            FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            budget, forces));
    }

    @Test
    void aWriteFailureStopsTheWriterNamesTheFileAndLeavesEarlierRecordsIntact()
    {
        final long seed = System.nanoTime();
        System.out.println("write failure seed " + seed);
        final OpGenerator gen = new OpGenerator(seed);
        final List<Written> ops = gen.ops(200);
        final long total = totalBytes(ops);
        final java.util.Random random = gen.random();
        for (int round = 0; round < 40; round++)
        {
            final String at = "seed " + seed + " round " + round;
            final long failAfter = round == 0 ? 0 : round == 1 ? HEADER_LENGTH / 2 : random.nextInt((int)total);
            final Path journal = dir.resolve("j" + round);
            budget.set(failAfter);
            final List<Written> committed = new ArrayList<>();
            final List<Written> pending = new ArrayList<>();
            JournalException failure = null;
            try (JournalWriter writer = JournalWriter.open(faulty(journal, 8 * 1024)))
            {
                for (int i = 0; i < ops.size() && null == failure; i++)
                {
                    final Written w = ops.get(i);
                    try
                    {
                        writer.append(w.sequence, w.time, w.mutation, w.outcome);
                        pending.add(w);
                        if (i % 5 == 4)
                        {
                            writer.endOfBatch();
                            committed.addAll(pending);
                            pending.clear();
                        }
                    }
                    catch (final JournalException ex)
                    {
                        failure = ex;
                    }
                }
                assertNotNull(failure, at);
                assertTrue(writer.failed(), at);
                assertTrue(failure.file().getFileName().toString().startsWith("journal-"), at + ": " + failure);
                assertTrue(failure.getMessage().contains(failure.file().toString()), failure.getMessage());
                assertTrue(failure.getCause() instanceof IOException, at);
                final Written w = ops.get(ops.size() - 1);
                assertThrows(JournalException.class, () -> writer.append(w.sequence + 1, w.time, w.mutation, w.outcome));
                assertThrows(JournalException.class, writer::endOfBatch);
            }

            // Everything acknowledged at a batch end is there, whole; nothing after it is torn or damaged.
            final JournalReport report = JournalVerifier.verify(journal);
            assertTrue(report.intact(), at + ": " + report);
            assertFalse(report.tornTail() && report.tornTailOffset() > 0, at + ": " + report);
            assertTrue(report.recordCount() >= committed.size(), at + ": " + report);
            try (JournalReader reader = JournalReader.open(journal))
            {
                for (int i = 0; i < report.recordCount(); i++)
                {
                    OpGenerator.assertSame(ops.get(i), reader.next());
                }
            }

            // The journal can be reopened and extended after the failure.
            budget.set(Long.MAX_VALUE);
            try (JournalWriter again = JournalWriter.open(OpGenerator.context(journal, 8 * 1024)))
            {
                assertEquals(report.lastSequence(), again.lastSequence(), at);
                final Written w = ops.get(ops.size() - 1);
                again.append(w.sequence + 1, w.time, w.mutation, w.outcome);
            }
            final JournalReport after = JournalVerifier.verify(journal);
            assertTrue(after.intact() && !after.tornTail(), at + ": " + after);
            assertEquals(report.recordCount() + 1, after.recordCount(), at);
        }
    }

    private long totalBytes(final List<Written> ops)
    {
        final Path probe = dir.resolve("probe");
        OpGenerator.write(probe, 8 * 1024, ops);
        try
        {
            long total = 0;
            for (final Path p : JournalRoundTripTest.segmentFiles(probe))
            {
                total += Files.size(p);
            }
            return total;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void badArgumentsAreRefusedAndTheWriterGoesOn()
    {
        final OpGenerator gen = new OpGenerator(3);
        final Written a = gen.next(io.peerlane.mutation.MutationKind.TICK);
        final Written b = gen.next(io.peerlane.mutation.MutationKind.UPSERT);
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)))
        {
            writer.append(a.sequence, a.time, a.mutation, a.outcome);
            assertThrows(IllegalArgumentException.class, () -> writer.append(a.sequence, a.time, a.mutation, a.outcome));
            assertThrows(IllegalArgumentException.class, () -> writer.append(a.sequence - 1, a.time, a.mutation, a.outcome));
            assertThrows(IllegalArgumentException.class, () -> writer.append(b.sequence, b.time, null, b.outcome));
            assertThrows(IllegalArgumentException.class, () -> writer.append(b.sequence, b.time, b.mutation,
                Outcomes.of(OutcomeCode.ABORTED, "x".repeat(MAX_STRING_BYTES + 1), null, -1, 0)));
            assertThrows(IllegalArgumentException.class, () -> writer.append(b.sequence, b.time, b.mutation,
                Outcomes.of(OutcomeCode.ABORTED, "\u00e9".repeat(MAX_STRING_BYTES / 2 + 1), null, -1, 0)));
            assertFalse(writer.failed());
            writer.append(b.sequence, b.time, b.mutation, b.outcome);
            writer.endOfBatch();
            assertEquals(b.sequence, writer.lastSequence());
        }
        OpGenerator.readAll(dir, List.of(a, b));
    }

    @Test
    void aClosedWriterRefusesAppendsAndClosesOnce()
    {
        final Written a = new OpGenerator(4).next(io.peerlane.mutation.MutationKind.TICK);
        final JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT));
        assertNull(writer.currentFile());
        writer.append(a.sequence, a.time, a.mutation, a.outcome);
        assertEquals(dir.resolve(segmentFileName(0)), writer.currentFile());
        writer.close();
        writer.close();
        assertThrows(JournalException.class, () -> writer.append(a.sequence + 1, a.time, a.mutation, a.outcome));
        assertThrows(JournalException.class, writer::endOfBatch);
        OpGenerator.readAll(dir, List.of(a));
    }

    @Test
    void aContextIsFrozenOnceAWriterIsOpenedWithItAndTheWriterKeepsItsSettings()
    {
        final List<Written> ops = new OpGenerator(7).ops(4);
        final long[] now = {0};
        final JournalWriter.Context ctx = faulty(dir.resolve("frozen"), MIN_SEGMENT_LENGTH)
            .forcePolicy(ForcePolicy.EVERY_BATCH).nanoClock(() -> now[0]);
        try (JournalWriter w = JournalWriter.open(ctx))
        {
            // Every setter of the concluded Context throws, naming the setting; the open writer is untouched.
            final java.util.Map<String, org.junit.jupiter.api.function.Executable> setters = new java.util.LinkedHashMap<>();
            setters.put("forcePolicy", () -> ctx.forcePolicy(ForcePolicy.NEVER));
            setters.put("segmentLength", () -> ctx.segmentLength(MAX_SEGMENT_LENGTH));
            setters.put("nanoClock", () -> ctx.nanoClock(() ->
            {
                throw new AssertionError("the writer read a clock set after it was opened");
            }));
            setters.put("directory", () -> ctx.directory(dir.resolve("elsewhere")));
            setters.put("forceIntervalMs", () -> ctx.forceIntervalMs(1));
            setters.put("prefault", () -> ctx.prefault(false));
            setters.put("epochClock", () -> ctx.epochClock(() -> 0));
            for (final java.util.Map.Entry<String, org.junit.jupiter.api.function.Executable> setter : setters.entrySet())
            {
                final IllegalStateException thrown = assertThrows(IllegalStateException.class, setter.getValue(),
                    setter.getKey());
                assertTrue(thrown.getMessage().startsWith(setter.getKey() + ": cannot be changed after conclude()"),
                    thrown.getMessage());
            }
            assertTrue(ctx.isConcluded());
            assertEquals(ForcePolicy.EVERY_BATCH, ctx.forcePolicy(), "the context shows what the writer uses");
            for (final Written op : ops)
            {
                w.append(op.sequence, op.time, op.mutation, op.outcome);
                w.endOfBatch();
            }
            assertEquals(ops.size(), w.forceCount(), "still EVERY_BATCH, as opened");
        }
    }

    @Test
    void forcePolicies()
    {
        final List<Written> ops = new OpGenerator(5).ops(30);

        forces.set(0);
        final JournalWriter never = JournalWriter.open(faulty(dir.resolve("never"), 4096).forcePolicy(ForcePolicy.NEVER));
        try (JournalWriter w = never)
        {
            appendInBatches(w, ops, 3);
        }
        assertEquals(0, never.forceCount(), "NEVER never forces, not even at a roll or close");
        assertEquals(0, forces.get(), "NEVER never forces the file's metadata either");

        final JournalWriter every = JournalWriter.open(faulty(dir.resolve("every"), SEGMENT_LENGTH_DEFAULT)
            .forcePolicy(ForcePolicy.EVERY_BATCH));
        try (JournalWriter w = every)
        {
            appendInBatches(w, ops, 3);
            assertEquals(10, w.forceCount(), "one force per batch end");
            w.endOfBatch();
            assertEquals(10, w.forceCount(), "nothing new, nothing to force");
        }
        assertEquals(10, every.forceCount());

        final long[] now = {0};
        final JournalWriter interval = JournalWriter.open(faulty(dir.resolve("interval"), SEGMENT_LENGTH_DEFAULT)
            .forcePolicy(ForcePolicy.EVERY_N_MS).forceIntervalMs(100).nanoClock(() -> now[0]));
        try (JournalWriter w = interval)
        {
            final Written a = ops.get(0);
            long seq = a.sequence;
            for (final long ms : new long[]{0, 50, 99, 100, 150, 199, 200, 250})
            {
                now[0] = TimeUnit.MILLISECONDS.toNanos(ms);
                w.append(++seq, a.time, a.mutation, a.outcome);
                w.endOfBatch();
            }
            assertEquals(2, w.forceCount(), "forced at 100 and 200 ms");
        }
        assertEquals(3, interval.forceCount(), "close forces what is left");
        OpGenerator.readAll(dir.resolve("every"), ops);
    }

    private static void appendInBatches(final JournalWriter w, final List<Written> ops, final int batch)
    {
        for (int i = 0; i < ops.size(); i++)
        {
            final Written op = ops.get(i);
            w.append(op.sequence, op.time, op.mutation, op.outcome);
            if (i % batch == batch - 1)
            {
                w.endOfBatch();
            }
        }
    }

    @Test
    void reopeningCutsATornTailAndGoesOnInANewSegment() throws IOException
    {
        final OpGenerator gen = new OpGenerator(6);
        final List<Written> first = gen.ops(40);
        final List<Written> second = gen.ops(40);
        OpGenerator.write(dir, 8 * 1024, first);
        final List<Path> before = JournalRoundTripTest.segmentFiles(dir);
        final Path last = before.get(before.size() - 1);
        final List<JournalEntry> entries = JournalFiles.entries(dir);
        final JournalEntry lastEntry = entries.get(entries.size() - 1);
        final byte[] bytes = JournalFiles.read(last);
        JournalFiles.write(last, Arrays.copyOf(bytes, (int)lastEntry.offset() + 11));

        final List<Written> expected = new ArrayList<>(first.subList(0, first.size() - 1));
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, 8 * 1024)))
        {
            assertEquals(first.get(first.size() - 2).sequence, writer.lastSequence());
            assertEquals(lastEntry.offset(), Files.size(last), "the torn record is cut off");
            // The engine goes on from the last sequence that reached the file; the generator's are larger.
            appendInBatches(writer, second, 4);
            expected.addAll(second);
            assertEquals(dir.resolve(segmentFileName(before.size())), JournalRoundTripTest.segmentFiles(dir).get(before.size()));
        }
        OpGenerator.readAll(dir, expected);
        assertFalse(JournalVerifier.verify(dir).tornTail());
    }

    @Test
    void reopeningReusesASegmentWhoseHeaderWasTorn() throws IOException
    {
        final OpGenerator gen = new OpGenerator(7);
        final List<Written> first = gen.ops(10);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, first);
        Files.write(dir.resolve(segmentFileName(1)), new byte[]{0x50, 0x4C, 0x4A});
        final List<Written> second = gen.ops(10);
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)))
        {
            appendInBatches(writer, second, 3);
        }
        final List<Written> all = new ArrayList<>(first);
        all.addAll(second);
        OpGenerator.readAll(dir, all);
        assertEquals(2, JournalRoundTripTest.segmentFiles(dir).size());
    }

    @Test
    void aWriterClosedWithoutRecordsLeavesAnEmptyJournal()
    {
        final Path journal = dir.resolve("empty");
        JournalWriter.open(OpGenerator.context(journal, SEGMENT_LENGTH_DEFAULT)).close();
        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact() && !report.tornTail(), report.toString());
        assertEquals(1, report.segmentCount());
        assertEquals(0, report.recordCount());
        assertTrue(report.startsAtBeginning(), report.toString());
        assertEquals(HEADER_LENGTH, JournalFiles.read(journal.resolve(segmentFileName(0))).length);

        // Closing again, or on a journal that has its segment, adds nothing; records go on after it.
        JournalWriter.open(OpGenerator.context(journal, SEGMENT_LENGTH_DEFAULT)).close();
        assertEquals(1, JournalVerifier.verify(journal).segmentCount());
        final List<Written> ops = new OpGenerator(15).ops(5);
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(journal, SEGMENT_LENGTH_DEFAULT)))
        {
            appendInBatches(writer, ops, 2);
        }
        OpGenerator.readAll(journal, ops).close();
        assertTrue(JournalVerifier.verify(journal).startsAtBeginning());
    }

    @Test
    void aCorruptJournalIsNotExtended()
    {
        final List<Written> ops = new OpGenerator(8).ops(10);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops);
        final Path seg = dir.resolve(segmentFileName(0));
        final byte[] bytes = JournalFiles.read(seg);
        bytes[HEADER_LENGTH + 20] ^= 1;
        JournalFiles.write(seg, bytes);
        final JournalCorruptException ex = assertThrows(JournalCorruptException.class,
            () -> JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT)));
        assertEquals(seg, ex.file());
        assertArrayEquals(bytes, JournalFiles.read(seg), "left as found");
    }

    @Test
    void settingsAreChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> new JournalWriter.Context().conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new JournalWriter.Context().directory(dir).segmentLength(MIN_SEGMENT_LENGTH - 1).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new JournalWriter.Context().directory(dir).forcePolicy(null).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new JournalWriter.Context().directory(dir).forceIntervalMs(-1).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new JournalWriter.Context().directory(dir).writeBufferLength(0).conclude());
        final JournalWriter.Context ctx = new JournalWriter.Context().directory(dir).conclude();
        assertEquals(SEGMENT_LENGTH_DEFAULT, ctx.segmentLength());
        assertEquals(JournalWriter.Context.FORCE_POLICY_DEFAULT, ctx.forcePolicy());
    }

    @Test
    void appendingAllocatesNothingOnceWarm()
    {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean) ||
            !((com.sun.management.ThreadMXBean)bean).isThreadAllocatedMemorySupported())
        {
            return;
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        final List<Written> ops = new OpGenerator(9).ops(700);
        final int rounds = 20_000;
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, SEGMENT_LENGTH_DEFAULT * 4)
            .writeBufferLength(64 * 1024)))
        {
            long sequence = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                final long tid = Thread.currentThread().getId();
                final long before = threads.getThreadAllocatedBytes(tid);
                for (int i = 0; i < rounds; i++)
                {
                    final Written w = ops.get(i % ops.size());
                    writer.append(++sequence, w.time, w.mutation, w.outcome);
                    if (i % 16 == 15)
                    {
                        writer.endOfBatch();
                    }
                }
                final long allocated = threads.getThreadAllocatedBytes(tid) - before;
                if (pass == 1)
                {
                    assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " appends");
                }
            }
        }
    }
}
