package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.observer.ObserverRole;
import io.peerlane.testing.Peers;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counters file's life: refused while another engine writes it, replaced once it stopped, read by name. */
class EngineCountersTest
{
    @Test
    void aDirectoryInUseIsRefusedAndAStoppedOneReplaced(@TempDir final Path dir)
    {
        try (PeerlaneEngine first = PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)))
        {
            first.upsertAndWait(1, Peers.peer(1, 1, 1).build(), Duration.ofSeconds(30));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new PeerlaneEngine(new EngineContext().countersDirectory(dir)));
            assertTrue(ex.getMessage().startsWith("countersDirectory: value " + dir + " is in use by a running engine (pid " +
                ProcessHandle.current().pid()), ex.getMessage());
        }
        try (CountersFile file = CountersFile.open(dir))
        {
            assertFalse(file.running(System.currentTimeMillis()));
            assertEquals(1, file.value(CounterKind.OUTCOMES, "ADDED"), "the last values stay readable");
        }
        try (PeerlaneEngine second = PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)))
        {
            try (CountersFile file = CountersFile.open(dir))
            {
                assertTrue(file.running(System.currentTimeMillis()));
                assertEquals(0, file.value(CounterKind.OUTCOMES, "ADDED"), "a fresh file");
            }
        }
    }

    @Test
    void aMissingOrIncompatibleFileIsNamed(@TempDir final Path dir) throws Exception
    {
        final CountersFile.CountersFileException missing =
            assertThrows(CountersFile.CountersFileException.class, () -> CountersFile.open(dir));
        assertEquals(CountersFile.Problem.NOT_FOUND, missing.problem());
        assertTrue(missing.getMessage().contains("no Peerlane counters file in " + dir), missing.getMessage());
        PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)).close();
        try (RandomAccessFile raw = new RandomAccessFile(dir.resolve(CountersDescriptor.FILE_NAME).toFile(), "rw"))
        {
            raw.seek(CountersDescriptor.VERSION_OFFSET);
            raw.writeInt(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(7) : 7);
        }
        final CountersFile.CountersFileException other =
            assertThrows(CountersFile.CountersFileException.class, () -> CountersFile.open(dir));
        assertEquals(CountersFile.Problem.INCOMPATIBLE, other.problem());
        assertTrue(other.getMessage().contains("counters layout version 7, this Peerlane reads version 1"), other.getMessage());
        // An engine replaces a file of another version.
        PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)).close();
        CountersFile.open(dir).close();
        Files.write(dir.resolve(CountersDescriptor.FILE_NAME), new byte[16]);
        assertEquals(CountersFile.Problem.NOT_READY,
            assertThrows(CountersFile.CountersFileException.class, () -> CountersFile.open(dir)).problem());
    }

    @Test
    void anUnregisteredObserversCountersAreFreedAndItsSuccessorStartsAtZero()
    {
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()))
        {
            final int before = engine.counters().available();
            engine.register("short-lived", ObserverRole.STANDARD, e -> { });
            engine.upsertAndWait(1, Peers.peer(1, 1, 1).build(), Duration.ofSeconds(30));
            assertEquals(before - 13, engine.counters().available(), "13 counters per observer");
            engine.unregister("short-lived");
            io.peerlane.testing.Await.until("the sampler to free its counters", 30,
                () -> engine.counters().entries().stream().noneMatch(e -> "short-lived".equals(e.tag())),
                () -> engine.counters().entries().toString());
            engine.register("short-lived", ObserverRole.STANDARD, e -> { });
            assertEquals(0, engine.observerStats("short-lived").delivered());
        }
    }

    @Test
    void inMemoryCountersHoldWhatIsWritten()
    {
        final EngineCounters counters = EngineCounters.inMemory(4);
        final AtomicCounter c = counters.newCounter(CounterKind.OBSERVER_EVENTS, "x");
        c.incrementRelease();
        c.getAndAddRelease(41);
        assertEquals(42, counters.value(c.id()));
        assertEquals("peerlane.observer.events observer=x", counters.reader().getCounterLabel(c.id()));
        assertEquals(CounterKind.OBSERVER_EVENTS, CounterKind.ofTypeId(counters.reader().getCounterTypeId(c.id())));
        counters.free(c);
        assertTrue(counters.entries().isEmpty());
    }
    @Test
    void aCountersDirectoryThatIsAFileIsRefusedByName(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.createFile(dir.resolve("not-a-dir"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new PeerlaneEngine(new EngineContext().countersDirectory(file)));
        assertTrue(ex.getMessage().startsWith("countersDirectory: value " + file + " cannot be created"), ex.getMessage());
    }
}
