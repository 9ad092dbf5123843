package io.peerlane.engine;

import io.peerlane.digest.StateDigest;
import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalReport;
import io.peerlane.journal.JournalVerifier;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A journal whose first segments are gone restores only on a snapshot that covers what they held; the
 * refusal names the missing sequences, and the journal's report says where it starts.
 */
class RestoreGapTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aJournalMissingItsFirstSegmentNeedsASnapshotThatCoversIt(@TempDir final Path dir) throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("RestoreGapTest seed=" + seed);
        final Path journal = dir.resolve("journal");
        final Path early = dir.resolve("early.snapshot");
        final Path late = dir.resolve("late.snapshot");
        final String digest;
        try (PeerlaneEngine engine = PeerlaneEngine.launch(JournalRestartTest.context(Topology.COMPACT, journal)))
        {
            final RandomWorkload workload = new RandomWorkload(seed, 24, new AtomicLong(1_000));
            for (int i = 0; i < 20; i++)
            {
                workload.publishOne(engine);
            }
            engine.snapshot(early, WAIT);
            for (int i = 0; i < 3000; i++)
            {
                workload.publishOne(engine);
            }
            engine.snapshot(late, WAIT);
            engine.close();
            digest = StateDigest.of(engine.view());
        }
        assertTrue(Files.exists(journal.resolve(JournalDescriptor.segmentFileName(2))), "the journal rolled segments");
        final JournalReport whole = JournalVerifier.verify(journal);
        assertTrue(whole.startsAtBeginning(), whole.toString());
        Files.delete(journal.resolve(JournalDescriptor.segmentFileName(0)));

        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.intact(), report.toString());
        assertFalse(report.startsAtBeginning(), report.toString());
        assertEquals(1, report.firstSegmentIndex());
        assertEquals(report.firstSequence() - 1, report.precedingSequence(), "sequences are consecutive here");
        assertTrue(report.toString().contains("segments before journal-0000000001.seg are missing"), report.toString());

        final IllegalStateException noSnapshot = assertThrows(IllegalStateException.class, () ->
            new PeerlaneEngine(new EngineContext().settings(EngineModelTest.settings()).restoreFrom(null, journal)));
        assertTrue(noSnapshot.getMessage().contains("no snapshot covers them") &&
            noSnapshot.getMessage().contains("to " + report.precedingSequence() + " are missing"), noSnapshot.getMessage());

        final IllegalStateException tooEarly = assertThrows(IllegalStateException.class, () ->
            new PeerlaneEngine(new EngineContext().settings(EngineModelTest.settings()).restoreFrom(early, journal)));
        assertTrue(tooEarly.getMessage().contains(early.toString()), tooEarly.getMessage());

        try (PeerlaneEngine restored = PeerlaneEngine.launch(new EngineContext().settings(EngineModelTest.settings())
            .restoreFrom(late, journal)))
        {
            assertEquals(digest, StateDigest.of(restored.view()), "seed " + seed);
        }
    }
}
