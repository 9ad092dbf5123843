package io.peerlane.engine;

import io.peerlane.digest.StateDigest;
import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalReader;
import io.peerlane.journal.JournalWriter;
import io.peerlane.observer.ObserverRole;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal stage records every decision; an engine restarted from the journal, or from a snapshot plus
 * the journal after it, ends with exactly the registry the recording engine had.
 */
class JournalRestartTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    static EngineContext context(final Topology topology, final Path journal)
    {
        return new EngineContext().topology(topology).ringSize(256)
            .settings(EngineModelTest.settings())
            .observer("gate", ObserverRole.CRITICAL, new EngineModelTest.Gate())
            .journal(new JournalWriter.Context().directory(journal).segmentLength(64 * 1024)
                .forcePolicy(ForcePolicy.NEVER));
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void restartFromJournalAndFromSnapshotPlusJournal(final Topology topology, @TempDir final Path dir) throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("JournalRestartTest seed=" + seed + " topology=" + topology);
        final Path journal = dir.resolve("journal");
        final Path snapshot = dir.resolve("state.snapshot");
        final AtomicLong clock = new AtomicLong(1_000);
        final String digest;
        long snapshotSequence;
        try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, journal)))
        {
            final RandomWorkload workload = new RandomWorkload(seed, 24, clock);
            for (int i = 0; i < 3000; i++)
            {
                workload.publishOne(engine);
            }
            snapshotSequence = engine.snapshot(snapshot, WAIT);
            for (int i = 0; i < 3000; i++)
            {
                workload.publishOne(engine);
            }
            engine.close();
            digest = StateDigest.of(engine.view());
            assertTrue(engine.view().size() > 0);
        }
        assertTrue(Files.exists(snapshot));
        final long lastJournaled;
        try (JournalReader reader = JournalReader.open(journal))
        {
            int records = 0;
            while (null != reader.next())
            {
                records++;
            }
            assertEquals(6000, records, "every mutation journaled, control events not");
            lastJournaled = reader.lastSequence();
        }

        for (final Topology restartTopology : Topology.values())
        {
            final EngineContext fromJournal = new EngineContext().topology(restartTopology)
                .settings(EngineModelTest.settings()).restoreFrom(null, journal);
            try (PeerlaneEngine restarted = PeerlaneEngine.launch(fromJournal))
            {
                assertEquals(digest, StateDigest.of(restarted.view()), "from the journal, seed " + seed);
            }
            final EngineContext fromSnapshot = new EngineContext().topology(restartTopology)
                .settings(EngineModelTest.settings()).restoreFrom(snapshot, journal);
            try (PeerlaneEngine restarted = PeerlaneEngine.launch(fromSnapshot))
            {
                assertEquals(digest, StateDigest.of(restarted.view()), "from snapshot + journal, seed " + seed);
                assertTrue(restarted.view().sequence() > snapshotSequence);
            }
        }

        // A restarted engine that journals to the same directory goes on after the last sequence.
        // Whatever the rules decide for the new op (the registry may be full), it is journaled after the rest.
        final String digestAfter;
        try (PeerlaneEngine again = PeerlaneEngine.launch(context(topology, journal).restoreFrom(snapshot, journal)))
        {
            assertEquals(digest, StateDigest.of(again.view()));
            final long next = again.upsertAndWait(clock.get() + 10, peer(900, 1, clock.get()).build(), WAIT).sequence();
            assertTrue(next > lastJournaled, "sequences continue after the journal's last: " + next);
            again.close();
            digestAfter = StateDigest.of(again.view());
        }
        final EngineContext replayAll = new EngineContext().topology(topology)
            .settings(EngineModelTest.settings()).restoreFrom(null, journal);
        try (PeerlaneEngine restarted = PeerlaneEngine.launch(replayAll))
        {
            assertEquals(digestAfter, StateDigest.of(restarted.view()), "seed " + seed);
        }
    }

    @Test
    void restartWithOtherSettingsIsRefusedNamingTheEntry(@TempDir final Path dir)
    {
        final Path journal = dir.resolve("journal");
        try (PeerlaneEngine engine = PeerlaneEngine.launch(context(Topology.COMPACT, journal)))
        {
            for (int i = 0; i < 5; i++)
            {
                engine.upsert(1_000 + i, peer(i, 1, 1_000).build());
            }
        }
        final EngineContext other = new EngineContext()
            .settings(RegistrySettings.builder().globalRateLimitPerSec(2).build()).restoreFrom(null, journal);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new PeerlaneEngine(other));
        assertTrue(ex.getMessage().contains("sequence 3") && ex.getMessage().contains("settings or rules differ"),
            ex.getMessage());
    }
}
