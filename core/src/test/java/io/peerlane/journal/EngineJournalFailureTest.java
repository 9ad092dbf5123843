package io.peerlane.journal;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.JournalFailurePolicy;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal write that fails (a full disk, injected) is reported at once; by the engine's policy publishing
 * stops or the journal is dropped with a loud health error; the records written before stay readable.
 */
class EngineJournalFailureTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static JournalWriter.Context failingAfter(final Path dir, final long bytes)
    {
        final AtomicLong budget = new AtomicLong(bytes);
        // Small segments: the mapped writer claims a segment's space when it maps it, so the budget runs out
        // at a roll, with whole segments of records before it.
        return new JournalWriter.Context().directory(dir).forcePolicy(ForcePolicy.EVERY_BATCH).segmentLength(4096)
            .channelFactory(p -> new FaultyChannel(FileChannel.open(p, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), budget, new AtomicInteger()));
    }

    @Test
    void stopPublishingPolicyRefusesMutationsOnceTheJournalFails(@TempDir final Path dir)
    {
        final Path journal = dir.resolve("journal");
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()
            .journal(failingAfter(journal, 3 * 4096)).journalFailurePolicy(JournalFailurePolicy.STOP_PUBLISHING)))
        {
            // The journal stage writes each run of events at once, and a failed write loses its whole run: to
            // have records before the failure, wait until the first one is durable before the flood.
            engine.upsertAndWait(1, peer(10_000, 1, 1).build(), WAIT);
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (JournalVerifier.verify(journal).recordCount() == 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the first record never reached the journal");
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            int accepted = 1;
            IllegalStateException stopped = null;
            for (int i = 0; i < 10_000 && null == stopped; i++)
            {
                try
                {
                    engine.upsertAndWait(1, peer(i, 1, 1).build(), WAIT);
                    accepted++;
                }
                catch (final IllegalStateException ex)
                {
                    stopped = ex;
                }
            }
            assertTrue(null != stopped, "publishing never stopped");
            assertTrue(stopped.getMessage().contains("journal failed"), stopped.getMessage());
            assertTrue(engine.healthReport().contains("JOURNAL FAILED (STOP_PUBLISHING)"), engine.healthReport());
            assertTrue(accepted > 0);
        }
        final JournalReport report = JournalVerifier.verify(journal);
        assertTrue(report.recordCount() > 0, "records before the failure are intact: " + report);
    }

    @Test
    void dropJournalPolicyGoesOnWithALoudHealthError(@TempDir final Path dir)
    {
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()
            .journal(failingAfter(dir.resolve("journal"), 3 * 4096)).journalFailurePolicy(JournalFailurePolicy.DROP_JOURNAL)))
        {
            for (int i = 0; i < 2_000; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(5_000, 1, 1).build(), WAIT).code());
            Await.until("the journal failure to show", 20,
                () -> engine.healthReport().contains("JOURNAL FAILED (DROP_JOURNAL)"), engine::healthReport);
            assertEquals(2_001, engine.view().size());
        }
    }
}
