package io.peerlane.replication;

import io.peerlane.mutation.Mutation;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Closing a replica while producers keep submitting never leaves a producer waiting: every future a submit
 * returned completes, with an outcome or with an exception ({@code UnknownOutcomeException} for an op queued but
 * never acknowledged, the replica's own refusal once it is closed), whether it was in flight, queued behind the
 * batcher, queued after its stop marker, or submitted while the batcher drained the queue.
 */
class ReplicaCloseUnderLoadTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everySubmittedOpsFutureCompletesWhenTheReplicaCloses() throws Exception
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println("ReplicaCloseUnderLoadTest seed " + seed);
        for (int round = 0; round < 3; round++)
        {
            try (LoopbackCluster cluster = new LoopbackCluster(dir.resolve("c" + round), 1, 1_000).startAll())
            {
                final ReplicatedRegistry replica = cluster.replica(cluster.awaitLeader(15));
                final ConcurrentLinkedQueue<CompletableFuture<OutcomeCode>> futures = new ConcurrentLinkedQueue<>();
                final AtomicBoolean running = new AtomicBoolean(true);
                final AtomicLong clock = new AtomicLong(1_000_000);
                final AtomicLong versions = new AtomicLong();
                final List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < 4; p++)
                {
                    final Random random = new Random(seed + 31L * round + p);
                    final Thread t = new Thread(() ->
                    {
                        while (running.get())
                        {
                            final Mutation op = ReplicatedFailoverTest.nextOp(random, clock.incrementAndGet(), versions);
                            try
                            {
                                futures.add(replica.submit(op));
                            }
                            catch (final RuntimeException refused)
                            {
                                // A submit the closed replica refuses at once: nothing is left waiting.
                            }
                        }
                    }, "producer-" + p);
                    t.start();
                    producers.add(t);
                }
                Await.until("ops in flight", 20, () -> futures.size() > 2_000, () -> futures.size() + " submitted");
                // Close with the producers still submitting: ops in flight, queued, and racing the close.
                cluster.stop(0);
                running.set(false);
                for (final Thread t : producers)
                {
                    t.join(10_000);
                    assertTrue(!t.isAlive(), t.getName() + " is stuck in a submit (seed " + seed + ")");
                }
                int completed = 0;
                for (final CompletableFuture<OutcomeCode> f : futures)
                {
                    try
                    {
                        f.get(10, TimeUnit.SECONDS);
                    }
                    catch (final ExecutionException ex)
                    {
                        // Completed with an exception: the producer hears of it.
                    }
                    catch (final TimeoutException ex)
                    {
                        fail("seed " + seed + " round " + round + ": a submitted op's future never completed after " +
                            "the close (" + completed + " of " + futures.size() + " had)");
                    }
                    completed++;
                }
            }
        }
    }
}
