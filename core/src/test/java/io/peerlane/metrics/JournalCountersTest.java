package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalVerifier;
import io.peerlane.journal.JournalWriter;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's counters agree with the journal on disk. */
class JournalCountersTest
{
    @Test
    void recordsBytesAndForceTimeAreCounted(@TempDir final Path dir) throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().countersDirectory(dir.resolve("counters"))
            .journal(new JournalWriter.Context().directory(journal).forcePolicy(ForcePolicy.EVERY_BATCH))))
        {
            for (int n = 1; n <= 500; n++)
            {
                engine.upsert(n, Peers.peer(n, 1, n).build());
            }
            engine.upsertAndWait(501, Peers.peer(501, 1, 501).build(), Duration.ofSeconds(30));
        }
        final long files;
        try (Stream<Path> segments = Files.list(journal))
        {
            files = segments.filter(p -> p.getFileName().toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
        try (CountersFile counters = CountersFile.open(dir.resolve("counters")))
        {
            assertEquals(JournalVerifier.verify(journal).recordCount(), counters.value(CounterKind.JOURNAL_RECORDS, null));
            assertEquals(501, counters.value(CounterKind.JOURNAL_RECORDS, null));
            final long bytes = counters.value(CounterKind.JOURNAL_BYTES, null);
            assertTrue(bytes > 0 && bytes <= files, bytes + " bytes counted, " + files + " in the segments");
            assertTrue(counters.value(CounterKind.JOURNAL_FORCE_NS, null) > 0, "every batch was forced");
            assertEquals(0, counters.value(CounterKind.JOURNAL_ERRORS, null));
        }
    }
}
