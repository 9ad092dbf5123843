package io.peerlane.tools;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.metrics.CountersDescriptor;
import io.peerlane.observer.ObserverRole;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stat}: one screen of a running engine's counters with rates, and a clear line for every other case. */
class StatCommandTest
{
    @Test
    void onceShowsARunningEnginesCountersMoving(@TempDir final Path dir) throws Exception
    {
        final AtomicBoolean stop = new AtomicBoolean();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)
            .observer("audit", ObserverRole.STANDARD, e -> { })))
        {
            final Thread producer = new Thread(() ->
            {
                long version = 0;
                while (!stop.get())
                {
                    version++;
                    for (int n = 0; n < 100 && !stop.get(); n++)
                    {
                        engine.upsert(version, Peers.peer(n, version, version).build());
                    }
                    engine.upsertAndWait(version, Peers.peer(1_000, version, version).build(), Duration.ofSeconds(30));
                }
            });
            producer.start();
            try
            {
                final ToolRun run = ToolRun.of("stat", "--once", "--interval", "300", dir).expect(ExitCodes.OK);
                assertTrue(run.out.contains("peerlane stat " + dir + ": pid " + ProcessHandle.current().pid()), run.out);
                final String updated = line(run.out, "peerlane.outcomes outcome=UPDATED");
                final String[] fields = updated.trim().split("\\s+");
                assertTrue(Long.parseLong(fields[1]) > 0, updated);
                assertTrue(Double.parseDouble(fields[2]) > 0, "a moving counter has a rate: " + updated);
                assertTrue(line(run.out, "peerlane.ring.capacity").contains(" - "), "a gauge has no rate");
                assertTrue(run.out.contains("peerlane.observer.events observer=audit"), run.out);
                final ToolRun filtered = ToolRun.of("stat", "--once", "--interval", "100", "--filter", "observer=audit", dir)
                    .expect(ExitCodes.OK);
                assertEquals(2 + 13, filtered.out.split("\n").length, filtered.out);
            }
            finally
            {
                stop.set(true);
                producer.join();
            }
        }
        final ToolRun stopped = ToolRun.of("stat", "--once", dir).expect(ExitCodes.FAILURE);
        assertTrue(stopped.err.contains("no engine is running in this directory: the engine of pid " +
            ProcessHandle.current().pid() + " stopped at"), stopped.err);
        final ToolRun last = ToolRun.of("stat", "--last", dir).expect(ExitCodes.OK);
        assertTrue(line(last.out, "peerlane.outcomes outcome=UPDATED").trim().split("\\s+")[2].equals("-"), last.out);
    }

    @Test
    void noEngineOrAnotherVersionIsSaidPlainly(@TempDir final Path dir) throws Exception
    {
        final ToolRun none = ToolRun.of("stat", "--once", dir.resolve("nothing")).expect(ExitCodes.USAGE);
        assertTrue(none.err.contains("is not a directory: no engine has written counters there"), none.err);
        final ToolRun empty = ToolRun.of("stat", "--once", dir).expect(ExitCodes.USAGE);
        assertTrue(empty.err.contains("no Peerlane counters file in " + dir), empty.err);
        PeerlaneEngine.launch(new EngineContext().countersDirectory(dir)).close();
        try (RandomAccessFile raw = new RandomAccessFile(dir.resolve(CountersDescriptor.FILE_NAME).toFile(), "rw"))
        {
            raw.seek(CountersDescriptor.VERSION_OFFSET);
            raw.writeInt(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(9) : 9);
        }
        final ToolRun other = ToolRun.of("stat", "--once", dir).expect(ExitCodes.CORRUPT);
        assertTrue(other.err.contains("counters layout version 9, this Peerlane reads version 1"), other.err);
        ToolRun.of("stat", "--interval", "5", dir).expect(ExitCodes.USAGE);
        assertTrue(Files.exists(dir.resolve(CountersDescriptor.FILE_NAME)), "stat never removes the file");
    }

    @Test
    void replayKeepsItsEnginesCountersInTheDirectory(@TempDir final Path dir)
    {
        final Path journal = dir.resolve("journal");
        ToolRun.of("generate", "--seed", 7, "--peers", 100, "--ops", 2_000, "--journal", journal).expect(ExitCodes.OK);
        ToolRun.of("replay", journal, "--counters", dir.resolve("counters")).expect(ExitCodes.OK);
        final ToolRun last = ToolRun.of("stat", "--last", "--filter", "outcomes", dir.resolve("counters")).expect(ExitCodes.OK);
        long decided = 0;
        for (final String l : last.out.split("\n"))
        {
            if (l.contains("peerlane.outcomes outcome="))
            {
                decided += Long.parseLong(l.trim().split("\\s+")[1]);
            }
        }
        assertEquals(2_000, decided, last.out);
        final ToolRun file = ToolRun.of("replay", journal, "--counters", journal.resolve("journal-0000000000.seg"))
            .expect(ExitCodes.USAGE);
        assertTrue(file.err.contains("--counters: ") && file.err.contains("is a file"), file.err);
    }

    private static String line(final String out, final String label)
    {
        for (final String l : out.split("\n"))
        {
            if (l.endsWith("  " + label))
            {
                return l;
            }
        }
        throw new AssertionError("no line for " + label + " in:\n" + out);
    }
}
