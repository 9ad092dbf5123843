package io.peerlane.engine;

import io.peerlane.metrics.BestEffortEvent;
import io.peerlane.metrics.ObserverQuarantineEvent;
import io.peerlane.observer.ObserverRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no JFR recording, the paths that repeat and may emit a JFR event (a best-effort observer's overrun, an
 * observer's quarantine or readmission) allocate nothing: the event's enabled check comes before the event.
 */
class JfrEventGuardAllocationTest
{
    private static final int CAPACITY = 4;
    private static final int TIMES = 2_000;
    private static final int WARMUP = 100;

    private static com.sun.management.ThreadMXBean threads()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        return threads;
    }

    @Test
    void overrunWithNoRecordingAllocatesNothing()
    {
        assertFalse(BestEffortEvent.enabled(), "no recording wants the event");
        final com.sun.management.ThreadMXBean threads = threads();
        final ObserverHandle handle = new ObserverHandle("overrun", ObserverRole.BEST_EFFORT, e -> { },
            0, 0, 0, -1, 0);
        final MutationEvent event = new MutationEvent(1, new SlotReferences(1), 0);
        event.upsert(peer(1, 1, 1).build());
        event.time = 1;
        new io.peerlane.state.RegistryState(BestEffortRelayTest.unlimited(), List.of()).commit(event, 1, event.result);
        assertEquals(1, event.result.lineCount());
        // Relays whose threads never run: each one's queue is filled to its last free slot, outside the
        // measurement, so that the next offer is an overrun.
        final BestEffortRelay[] relays = new BestEffortRelay[TIMES];
        for (int r = 0; r < TIMES; r++)
        {
            relays[r] = new BestEffortRelay(handle, CAPACITY, new StageErrors(), h -> false, x -> { });
            relays[r].registered(io.peerlane.state.RegistryView.empty());
            // The snapshot took one slot and data leaves the last one free.
            for (int i = 0; i < CAPACITY - 2; i++)
            {
                relays[r].offer(event);
            }
        }
        assertEquals(0, handle.overruns.get(), "no overrun while filling");
        final long overrunsBefore = handle.overruns.get();
        final long threadId = Thread.currentThread().getId();
        long allocated = 0;
        for (int r = 0; r < TIMES; r++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            relays[r].offer(event);
            final long after = threads.getThreadAllocatedBytes(threadId);
            if (r >= WARMUP)
            {
                allocated += after - before;
            }
        }
        assertEquals(TIMES, handle.overruns.get() - overrunsBefore, "every measured offer was an overrun");
        // A JFR event object is some 40 bytes; what may show here without one comes from the JIT on this thread.
        final long measured = TIMES - WARMUP;
        assertTrue(allocated < measured, allocated + " bytes allocated by " + measured + " overruns");
    }

    @Test
    void quarantineEventWithNoRecordingAllocatesNothing()
    {
        assertFalse(ObserverQuarantineEvent.enabled(), "no recording wants the event");
        final com.sun.management.ThreadMXBean threads = threads();
        final ObserverHandle handle = new ObserverHandle("flaky", ObserverRole.CRITICAL, e -> { },
            0, 0, 1, 0, 0);
        final long threadId = Thread.currentThread().getId();
        long allocated = 0;
        for (int r = 0; r < TIMES; r++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            handle.quarantineEvent((r & 1) == 0);
            final long after = threads.getThreadAllocatedBytes(threadId);
            if (r >= WARMUP)
            {
                allocated += after - before;
            }
        }
        final long measured = TIMES - WARMUP;
        assertTrue(allocated < measured, allocated + " bytes allocated by " + measured + " quarantine events");
    }
}
