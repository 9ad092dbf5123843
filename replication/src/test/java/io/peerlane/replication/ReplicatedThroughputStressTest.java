package io.peerlane.replication;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.journal.RecordedMutation;
import io.peerlane.state.Mutation;
import io.peerlane.state.OutcomeCode;
import io.peerlane.testing.Peers;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A rough figure, not a benchmark harness: replicated ops/s and commit latency (submit to acknowledgement)
 * on a three-replica loopback cluster, against the single-node engine's upsertAndWait in the same run.
 * Tagged stress: {@code mvn -B test -Pstress -pl replication -am -Dtest=ReplicatedThroughputStressTest}.
 */
@Tag("stress")
class ReplicatedThroughputStressTest
{
    private static final int OPS = Integer.getInteger("peerlane.ops", 200_000);
    private static final int WINDOW = 4096;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void replicatedThroughputAndCommitLatency() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(dir, 3, 10_000).startAll())
        {
            final ReplicatedRegistry leader = cluster.replica(cluster.awaitLeader(15));
            run("warm-up", leader, OPS / 4);
            run("replicated (3 replicas, loopback)", leader, OPS);
        }
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().settings(LoopbackCluster.SETTINGS)))
        {
            final Histogram h = new Histogram(3);
            final long start = System.nanoTime();
            for (int i = 0; i < OPS; i++)
            {
                final long t0 = System.nanoTime();
                engine.upsertAndWait(1_000 + i, Peers.peer(i % 100, i + 1, 1_000 + i).build(), Duration.ofSeconds(5));
                h.recordValue(System.nanoTime() - t0);
            }
            report("single-node engine (upsertAndWait, 1 producer)", OPS, System.nanoTime() - start, h);
        }
    }

    private static void run(final String name, final ReplicatedRegistry leader, final int ops) throws Exception
    {
        final Histogram h = new Histogram(3);
        final Semaphore window = new Semaphore(WINDOW);
        final long start = System.nanoTime();
        for (int i = 0; i < ops; i++)
        {
            window.acquire();
            final Mutation op = RecordedMutation.upsert(1_000 + i, Peers.peer(i % 100, i + 1, 1_000 + i).build(), null);
            final long t0 = System.nanoTime();
            final CompletableFuture<OutcomeCode> f = leader.submit(op);
            f.whenComplete((code, error) ->
            {
                synchronized (h)
                {
                    h.recordValue(System.nanoTime() - t0);
                }
                window.release();
            });
        }
        window.acquire(WINDOW);
        report(name, ops, System.nanoTime() - start, h);
    }

    private static void report(final String name, final int ops, final long nanos, final Histogram h)
    {
        System.out.printf("%-50s %,10.0f ops/s  commit p50 %,8.1f us  p99 %,8.1f us%n", name, ops * 1e9 / nanos,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
    }
}
