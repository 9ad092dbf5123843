package io.peerlane.engine;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalReport;
import io.peerlane.journal.JournalVerifier;
import io.peerlane.journal.JournalWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The journal writer belongs to the thread that runs the journal stage: only it closes the writer, close()
 * waits for that, and under EVERY_N_MS that thread forces records on an idle engine too.
 */
class JournalThreadTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Topology.class)
    void anIdleEngineStillForcesUnderEveryNms(final Topology topology, @TempDir final Path dir)
    {
        // The writer's clock stands still, so no batch end finds the interval passed until the test moves it.
        final AtomicLong now = new AtomicLong();
        final JournalWriter.Context journal = new JournalWriter.Context().directory(dir.resolve("journal"))
            .forcePolicy(ForcePolicy.EVERY_N_MS).forceIntervalMs(20).nanoClock(now::get);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology).journal(journal)))
        {
            for (int i = 1; i <= 5; i++)
            {
                engine.upsertAndWait(1, peer(i, 1, 1).build(), WAIT);
            }
            final JournalStage stage = engine.journalStage();
            assertEquals(0, stage.forceCount(), "nothing forced while the writer's clock stands still");
            now.set(TimeUnit.MILLISECONDS.toNanos(21));   // due now; no more events come
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (stage.forceCount() == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("the records appended before the silence were never forced");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void closeLeavesTheWriterToTheJournalThread(final Topology topology, @TempDir final Path dir)
        throws InterruptedException
    {
        // The journal's thread is held inside a force (its clock read) while close() runs out of time.
        final CountDownLatch inForce = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong holds = new AtomicLong();
        final Path journalDir = dir.resolve("journal");
        final JournalWriter.Context journal = new JournalWriter.Context().directory(journalDir)
            .forcePolicy(ForcePolicy.EVERY_BATCH).nanoClock(() ->
            {
                if (Thread.currentThread().getName().startsWith("peerlane-") && holds.getAndIncrement() == 0)
                {
                    inForce.countDown();
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
                return System.nanoTime();
            });
        final PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology).journal(journal)
            .closeTimeout(Duration.ofMillis(200)));
        engine.upsert(peer(1, 1, 1).build());
        assertTrue(inForce.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the journal never forced");
        assertThrows(PublishTimeoutException.class, engine::close);
        final String health = engine.healthReport();
        assertTrue(health.contains("JOURNAL WRITER LEFT OPEN"), health);
        release.countDown();
        // The journal's thread finishes its force, stops, and closes the writer itself: the segment is cut.
        assertTrue(engine.journalStage().awaitWriterClosed(WAIT.toNanos()), "the journal's thread never closed it");
        final JournalReport report = JournalVerifier.verify(journalDir);
        assertEquals(1, report.recordCount(), report.toString());
        assertTrue(!report.tornTail(), "not closed: " + report);
        assertEquals(null, engine.journalStage().failure());
    }
}
