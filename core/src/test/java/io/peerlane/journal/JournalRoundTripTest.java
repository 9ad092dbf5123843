package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class JournalRoundTripTest
{
    @TempDir
    Path dir;

    /** @return the layout the journals under test are written in ({@link JournalRoundTripV1Test}: version 1). */
    int majorVersion()
    {
        return MAJOR_VERSION;
    }

    @Test
    void everyOpKindWithEveryFieldRoundTrips()
    {
        final long seed = System.nanoTime();
        System.out.println("JournalRoundTripTest seed " + seed);
        final OpGenerator gen = new OpGenerator(seed);
        final List<Written> ops = gen.ops(3000);
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops, majorVersion());

        final JournalReader reader = OpGenerator.readAll(dir, ops);
        assertEquals(ops.size(), reader.recordCount(), "seed " + seed);
        assertFalse(reader.tornTail(), "seed " + seed);

        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact(), report.toString());
        assertEquals(1, report.segmentCount());
        assertEquals(ops.size(), report.recordCount());
        assertEquals(ops.get(0).sequence, report.firstSequence());
        assertEquals(ops.get(ops.size() - 1).sequence, report.lastSequence());
        assertFalse(report.tornTail());
    }

    @Test
    void extremesRoundTrip()
    {
        final long max = OpGenerator.MAX;
        final PeerRecord maxed = PeerRecord.builder(NodeId.of(-1L, -1L, -1L, -1L))
            .did("did:" + "a".repeat(5) + ":" + "Z".repeat(256 - 11)).device("-".repeat(64))
            .publicKey(PublicKey.fromBytes("k", new byte[4096])).version(max).lastSeen(max).votingPower(max)
            .trust(1.0).routeQuality(1.0).hopCount(255).nextHop(NodeId.of(0, 0, 0, 0))
            .authenticated(true).quantumSecure(true).pinned(true).build();
        final PeerRecord zeroed = PeerRecord.builder(NodeId.of(0, 0, 0, 0)).did("did:a:b").device("d")
            .publicKeyHex("00").version(0).lastSeen(0).trust(0.0).routeQuality(0.0).build();
        final List<Written> ops = new ArrayList<>();
        ops.add(new Written(0, 0, MutationValue.upsert(0, zeroed), Outcomes.of(OutcomeCode.ADDED, null, null, -1, 0)));
        ops.add(new Written(max, max, MutationValue.upsert(max, maxed, "x".repeat(MAX_STRING_BYTES),
            AbortCause.TIMEOUT), Outcomes.of(OutcomeCode.ABORTED, "x", AbortCause.TIMEOUT, -1, max)));
        ops.add(new Written(Long.MAX_VALUE, Long.MAX_VALUE, MutationValue.tick(Long.MAX_VALUE),
            Outcomes.of(OutcomeCode.TICKED, null, null, Integer.MAX_VALUE, Long.MIN_VALUE)));
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops, majorVersion());
        OpGenerator.readAll(dir, ops);
    }

    @Test
    void nonAsciiStringsInOutcomesRoundTrip()
    {
        final String name = "obs\u00e9rver-\u4e2d\u6587-\ud83d\ude00";
        final MutationValue m = MutationValue.upsert(5, new OpGenerator(1).record(), name, AbortCause.VETO);
        final List<Written> ops = List.of(
            new Written(1, 5, m, Outcomes.of(OutcomeCode.ABORTED, name, AbortCause.VETO, -1, 5)));
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops, majorVersion());
        OpGenerator.readAll(dir, ops);
        final JournalEntry e = firstEntry();
        assertEquals(name, e.mutation().refusedBy(0));
        assertEquals(name, e.outcome().reason());
    }

    /**
     * Version 2 stores a string's bytes before it knows how wide their length's varint is, and moves them when
     * it is wider than one byte: lengths at each edge of one, two and three varint bytes, in chars of one to
     * four UTF-8 bytes, read back exactly.
     */
    @Test
    void stringsAtEachEdgeOfTheirLengthsWidthRoundTrip()
    {
        final String[] units = {"a", "\u00e9", "\u20ac", "\ud83d\ude00"};
        final int[] byteLengths = {0, 1, 125, 126, 127, 128, 16381, 16382, 16383, 16384, MAX_STRING_BYTES - 1,
            MAX_STRING_BYTES};
        final List<Written> ops = new ArrayList<>();
        final List<Integer> reasonBytes = new ArrayList<>();
        final PeerRecord record = PeerRecord.builder(NodeId.of(1, 2, 3, 4)).did("did:a:b").device("d")
            .publicKeyHex("00").version(1).lastSeen(0).build();
        long sequence = 1;
        for (final String unit : units)
        {
            final int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
            for (final int target : byteLengths)
            {
                // Whole units up to the target, then ASCII to reach it exactly.
                final int whole = target / unitBytes;
                final String reason = unit.repeat(whole) + "b".repeat(target - whole * unitBytes);
                assertEquals(target, reason.getBytes(StandardCharsets.UTF_8).length);
                final MutationValue m = MutationValue.upsert(sequence, record, reason, AbortCause.VETO);
                ops.add(new Written(sequence, sequence, m,
                    Outcomes.of(OutcomeCode.ABORTED, reason, AbortCause.VETO, -1, sequence)));
                reasonBytes.add(target);
                sequence++;
            }
        }
        OpGenerator.write(dir, SEGMENT_LENGTH_DEFAULT, ops, majorVersion());
        OpGenerator.readAll(dir, ops);
        assertTrue(JournalVerifier.verify(dir).intact());
        // Every frame is the same op but for its two strings (refusal and reason, of equal length), and every
        // other field's width is the same (sequence and time below 64), so a frame's length less its strings'
        // is one constant: a length's varint as short as its value allows (or version 1's u16).
        final List<JournalEntry> entries = JournalFiles.entries(dir);
        final Set<Integer> rest = new HashSet<>();
        for (int i = 0; i < entries.size(); i++)
        {
            final JournalEntry e = entries.get(i);
            final int length = JournalFiles.le(JournalFiles.read(e.file())).getInt((int)e.offset());
            final int bytes = reasonBytes.get(i);
            final int lengthWidth = majorVersion() == MAJOR_VERSION_1 ? 2 :
                bytes + 1 < 0x80 ? 1 : bytes + 1 < 0x4000 ? 2 : 3;
            rest.add(length - 2 * (lengthWidth + bytes));
        }
        assertEquals(1, rest.size(), "frame lengths less their strings: " + rest);
    }

    private JournalEntry firstEntry()
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            return reader.next();
        }
    }

    @Test
    void segmentsRollAtTheirBoundAndReadBackInOrder() throws IOException
    {
        final long seed = System.nanoTime();
        System.out.println("segmentsRoll seed " + seed);
        final OpGenerator gen = new OpGenerator(seed);
        final List<Written> ops = gen.ops(1500);
        final long bound = 16 * 1024;
        OpGenerator.write(dir, bound, ops, majorVersion());

        final List<Path> files = segmentFiles(dir);
        assertTrue(files.size() > 10, files.size() + " segments, seed " + seed);
        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact(), report.toString());
        assertEquals(files.size(), report.segmentCount());
        assertEquals(files.size() - 1, report.lastSegmentIndex());

        final JournalReader reader = OpGenerator.readAll(dir, ops);
        assertEquals(ops.size(), reader.recordCount());

        // Every segment stays within its bound unless one record alone is larger, and its header names its
        // index and first sequence.
        try (JournalReader r = JournalReader.open(dir))
        {
            final List<JournalEntry> entries = new ArrayList<>();
            for (JournalEntry e = r.next(); null != e; e = r.next())
            {
                entries.add(e);
            }
            for (int i = 0; i < files.size(); i++)
            {
                final Path f = files.get(i);
                final List<JournalEntry> in = entries.stream().filter(e -> e.file().equals(f)).collect(Collectors.toList());
                assertFalse(in.isEmpty(), f.toString());
                final long size = Files.size(f);
                assertTrue(size <= bound || in.size() == 1, f + " holds " + size + " bytes in " + in.size() + " records");
                final ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(MAGIC, header.getLong(MAGIC_OFFSET));
                assertEquals(majorVersion(), header.getShort(MAJOR_VERSION_OFFSET));
                assertEquals(i, header.getLong(SEGMENT_INDEX_OFFSET));
                assertEquals(in.get(0).sequence(), header.getLong(FIRST_SEQUENCE_OFFSET));
                assertEquals(bound, header.getLong(SEGMENT_LENGTH_OFFSET));
                assertEquals(HEADER_LENGTH, in.get(0).offset());
            }
        }
    }

    @Test
    void aRecordLargerThanTheSegmentBoundGetsASegmentOfItsOwn() throws IOException
    {
        final OpGenerator gen = new OpGenerator(42);
        final Batch.Builder big = Batch.builder();
        for (int i = 0; i < 200; i++)
        {
            big.upsert(gen.record());
        }
        final MutationValue batch = MutationValue.batch(10, big.build());
        final List<Written> ops = new ArrayList<>();
        ops.add(new Written(1, 10, MutationValue.tick(10), Outcomes.of(OutcomeCode.TICKED, null, null, -1, 10)));
        ops.add(new Written(2, 10, batch, Outcomes.of(OutcomeCode.BATCH_COMMITTED, null, null, -1, 10)));
        ops.add(new Written(3, 11, MutationValue.tick(11), Outcomes.of(OutcomeCode.TICKED, null, null, -1, 11)));
        OpGenerator.write(dir, MIN_SEGMENT_LENGTH, ops, majorVersion());
        final List<Path> files = segmentFiles(dir);
        assertEquals(3, files.size());
        assertTrue(Files.size(files.get(1)) > MIN_SEGMENT_LENGTH);
        OpGenerator.readAll(dir, ops);
    }

    static List<Path> segmentFiles(final Path dir) throws IOException
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches()).sorted()
                .collect(Collectors.toList());
        }
    }
}
