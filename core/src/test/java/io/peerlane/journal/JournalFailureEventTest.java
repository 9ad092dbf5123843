package io.peerlane.journal;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.JournalFailurePolicy;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.metrics.CounterKind;
import io.peerlane.metrics.CountersFile;
import io.peerlane.metrics.JournalFailureEvent;
import io.peerlane.testing.Await;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal write that fails (a full disk, injected) yields the JFR event and counts one journal error. */
class JournalFailureEventTest
{
    @Test
    void aFailedJournalWriteYieldsItsEventAndCount(@TempDir final Path dir) throws Exception
    {
        final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        // The mapped writer claims a segment's whole length when it maps it: room for the first 64 KiB segment
        // only, so the disk is full when the second is mapped, after many records.
        final AtomicLong budget = new AtomicLong(64 * 1024 + 1);
        final JournalWriter.Context journal = new JournalWriter.Context().directory(dir.resolve("journal"))
            .segmentLength(64 * 1024)
            .forcePolicy(ForcePolicy.EVERY_BATCH)
            .channelFactory(p -> new FaultyChannel(
                FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                budget, new AtomicInteger()));
        try (RecordingStream stream = new RecordingStream())
        {
            stream.enable(JournalFailureEvent.NAME);
            stream.onEvent(JournalFailureEvent.NAME, events::add);
            stream.startAsync();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().countersDirectory(dir.resolve("counters"))
                .journal(journal).journalFailurePolicy(JournalFailurePolicy.DROP_JOURNAL)))
            {
                for (int i = 0; i < 2_000; i++)
                {
                    engine.upsert(1, peer(i, 1, 1).build());
                }
                engine.upsertAndWait(1, peer(5_000, 1, 1).build(), Duration.ofSeconds(20));
                Await.until("the journal failure to show", 20,
                    () -> engine.healthReport().contains("JOURNAL FAILED (DROP_JOURNAL)"), engine::healthReport);
                assertTrue(engine.healthReport().contains(", 1 errors"), engine.healthReport());
            }
            final RecordedEvent e = events.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "the journal failure event");
            assertEquals("DROP_JOURNAL", e.getString("policy"));
            assertTrue(e.getLong("sequence") > 0, e.toString());
            assertNotNull(e.getString("error"));
        }
        try (CountersFile counters = CountersFile.open(dir.resolve("counters")))
        {
            assertEquals(1, counters.value(CounterKind.JOURNAL_ERRORS, null));
        }
    }
}
