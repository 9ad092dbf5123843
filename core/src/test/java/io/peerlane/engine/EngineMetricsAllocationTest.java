package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler adds no garbage to a run: a sample (stage sequences, the ring, each observer's state, lag and
 * callback percentiles from recycled histograms, the heartbeat) allocates nothing once warm.
 */
class EngineMetricsAllocationTest
{
    @Test
    void aSampleAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(Topology.PIPELINED)
            .observer("a", ObserverRole.STANDARD, e -> { })
            .observer("b", ObserverRole.BEST_EFFORT, e -> { })
            .observer("c", ObserverRole.CRITICAL, e -> { })))
        {
            for (int i = 0; i < 5_000; i++)
            {
                engine.upsert(i, Peers.peer(i % 100, 1 + i / 100, i).build());
            }
            engine.upsertAndWait(5_000, Peers.peer(1_000, 1, 5_000).build(), Duration.ofSeconds(30));
            final EngineMetrics metrics = engine.metrics();
            for (int i = 0; i < 20_000; i++)
            {
                metrics.sample(true);
            }
            final long thread = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 10_000; i++)
            {
                metrics.sample(true);
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            // A few hundred bytes of slack for the measuring itself; one object per sample would be 160,000.
            assertTrue(allocated < 1_000, "10,000 samples allocated " + allocated + " bytes");
        }
    }
}
