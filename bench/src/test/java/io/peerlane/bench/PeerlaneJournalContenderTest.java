package io.peerlane.bench;

import io.peerlane.journal.JournalReport;
import io.peerlane.journal.JournalVerifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code peerlane-journal} records every op it is given, in a directory of its own that its close deletes. */
class PeerlaneJournalContenderTest
{
    @Test
    void recordsEveryOpAndDeletesItsJournalOnClose()
    {
        final long seed = System.nanoTime();
        System.out.println("PeerlaneJournalContenderTest seed " + seed);
        final Workload workload = Workload.generate(Workload.spec(seed, 300, 2000, 2,
            new int[]{ 20, 45, 20, 10, 5 }, 8, 0.2, 32), false);
        final ContenderSetup setup = RwLockContenderTest.setup(workload);
        final PeerlaneContender contender = (PeerlaneContender)ContenderKind.PEERLANE_JOURNAL.open(setup);
        final Path dir = contender.journalDirectory();
        assertNotNull(dir);
        try
        {
            for (int i = 0; i < workload.totalOps(); i++)
            {
                setup.probe.sent(i, System.nanoTime());
                contender.publish(workload.op(i), i % 2);
            }
        }
        finally
        {
            contender.closeKeepingJournal();
        }
        final JournalReport report = JournalVerifier.verify(dir);
        assertTrue(report.intact() && !report.tornTail(), report.toString());
        assertEquals(workload.totalOps(), report.recordCount(), "seed " + seed + ": " + report);
        io.peerlane.bench.TempDirectory.delete(dir);

        final PeerlaneContender again = (PeerlaneContender)ContenderKind.PEERLANE_JOURNAL.open(
            RwLockContenderTest.setup(workload));
        final Path second = again.journalDirectory();
        assertTrue(Files.isDirectory(second));
        again.close();
        assertFalse(Files.exists(second), "close deletes the recording");
        try (PeerlaneContender plain = (PeerlaneContender)ContenderKind.PEERLANE.open(RwLockContenderTest.setup(workload)))
        {
            assertNull(plain.journalDirectory(), "plain peerlane records nothing");
        }
    }
}
