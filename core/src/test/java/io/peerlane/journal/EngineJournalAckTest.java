package io.peerlane.journal;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.JournalFailurePolicy;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a journal, an awaited outcome is handed back only once its record is appended and, under
 * {@link ForcePolicy#EVERY_BATCH}, forced; a record the layout cannot hold is a journal failure handled by
 * the policy, and its producer (and every later one, under DROP_JOURNAL) still gets its outcome.
 */
class EngineJournalAckTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Topology.class)
    void anAwaitedOutcomeIsForcedToTheJournalFirst(final Topology topology, @TempDir final Path dir)
    {
        // Under EVERY_BATCH the writer reads its nano clock only around a force: twice per force, after the
        // map's force returns the second time. The clock is slow, so a producer woken before the force ends
        // (or before the append) sees fewer than two reads since it published.
        final AtomicLong reads = new AtomicLong();
        final JournalWriter.Context journal = new JournalWriter.Context().directory(dir.resolve("journal"))
            .forcePolicy(ForcePolicy.EVERY_BATCH).nanoClock(() ->
            {
                LockSupport.parkNanos(5_000_000);
                reads.incrementAndGet();
                return System.nanoTime();
            });
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology).journal(journal)))
        {
            for (int i = 1; i <= 20; i++)
            {
                final long before = reads.get();
                final Outcome outcome = engine.upsertAndWait(1, peer(i, 1, 1).build(), WAIT);
                final long forcesRead = reads.get() - before;
                assertEquals(OutcomeCode.ADDED, outcome.code());
                assertTrue(forcesRead >= 2, "outcome " + i + " handed back before its force ended (" + forcesRead +
                    " clock reads)");
                final JournalReport report = JournalVerifier.verify(dir.resolve("journal"));
                assertEquals(i, report.recordCount(), "outcome " + i + " handed back before its record was appended");
                assertEquals(outcome.sequence(), report.lastSequence());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JournalFailurePolicy.class)
    void aRecordTheLayoutCannotHoldIsAJournalFailure(final JournalFailurePolicy policy, @TempDir final Path dir)
    {
        final String longReason = "R".repeat(JournalDescriptor.MAX_STRING_BYTES + 1);
        final Path journalDir = dir.resolve("journal");
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()
            .journal(new JournalWriter.Context().directory(journalDir).forcePolicy(ForcePolicy.EVERY_BATCH))
            .journalFailurePolicy(policy)
            .admissionRule((r, current, state) -> r.did().endsWith("7") ? longReason : null)))
        {
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(1, 1, 1).build(), WAIT).code());
            final Outcome refused = engine.upsertAndWait(1, peer(7, 1, 1).build(), WAIT);
            assertEquals(OutcomeCode.REJECTED, refused.code(), "decided, and its producer told, though unjournalled");
            final String health = engine.healthReport();
            assertTrue(health.contains("JOURNAL FAILED (" + policy + ")"), health);
            assertTrue(health.contains("the outcome's reason is " + longReason.length() + " UTF-8 bytes, over the " +
                "limit of " + JournalDescriptor.MAX_STRING_BYTES), health);
            // The dropped writer was closed by the journal's thread: its segment cut to the one record, not sparse.
            final JournalReport report = JournalVerifier.verify(journalDir);
            assertEquals(1, report.recordCount(), report.toString());
            assertTrue(!report.tornTail(), "the dropped writer's segment was not closed: " + report);
            if (policy == JournalFailurePolicy.DROP_JOURNAL)
            {
                assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(2, 1, 1).build(), WAIT).code(),
                    "a dropped journal still lets producers have their outcomes");
            }
            else
            {
                final long deadline = System.nanoTime() + WAIT.toNanos();
                boolean stopped = false;
                while (!stopped)
                {
                    try
                    {
                        engine.upsertAndWait(1, peer(3, 1, 1).build(), WAIT);
                    }
                    catch (final IllegalStateException ex)
                    {
                        stopped = ex.getMessage().contains("journal failed");
                    }
                    assertTrue(stopped || System.nanoTime() - deadline < 0, "publishing never stopped");
                }
            }
        }
    }
}
