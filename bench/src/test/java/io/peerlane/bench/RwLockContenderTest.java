package io.peerlane.bench;

import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rwlock keeps one mutable registry: its readers see every committed op through the read lock, and nothing
 * is ever published from it (no persistent view is frozen or copied for readers it does not have).
 */
class RwLockContenderTest
{
    @Test
    void readersSeeTheOneRegistryAndNoViewIsEverPublished()
    {
        final long seed = System.nanoTime();
        System.out.println("RwLockContenderTest seed " + seed);
        final Workload workload = workload(seed, 2);
        final RegistryState model = sequentialModel(workload);
        final RwLockContender rwlock = new RwLockContender(setup(workload));
        assertEquals(0, rwlock.size());
        for (int i = 0; i < workload.totalOps(); i++)
        {
            if (i < workload.population())
            {
                rwlock.load(workload.op(i), i % workload.producers());
            }
            else
            {
                rwlock.publish(workload.op(i), i % workload.producers());
            }
        }
        assertEquals(model.size(), rwlock.size(), "seed " + seed);
        for (int n = 0; n < workload.population(); n++)
        {
            final NodeId id = workload.op(n).record().id();
            assertEquals(model.get(id), rwlock.get(id), "seed " + seed + ": peer " + n);
        }
        assertTrue(rwlock.size() > 0);
    }

    /** Producers write and a reader reads at once; the end state is the sequential model's, id by id. */
    @Test
    void concurrentProducersAndAReaderEndWhereTheSequentialModelEnds() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("RwLockContenderTest concurrent seed " + seed);
        final int producers = 3;
        final Workload workload = workload(seed, producers);
        final RegistryState model = sequentialModel(workload);
        final RwLockContender rwlock = new RwLockContender(setup(workload));
        for (int i = 0; i < workload.population(); i++)
        {
            rwlock.load(workload.op(i), i % producers);
        }
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch producersDone = new CountDownLatch(producers);
        final Thread[] threads = new Thread[producers + 1];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                try
                {
                    for (int i = workload.population(); i < workload.totalOps(); i++)
                    {
                        if (i % producers == producer)
                        {
                            rwlock.publish(workload.op(i), producer);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    producersDone.countDown();
                }
            });
        }
        threads[producers] = new Thread(() ->
        {
            try
            {
                int n = 0;
                while (producersDone.getCount() > 0)
                {
                    final PeerRecord r = rwlock.get(workload.op(n).record().id());
                    assertTrue(null == r || r.id().equals(workload.op(n).record().id()));
                    assertTrue(rwlock.size() <= workload.population());
                    n = (n + 1) % workload.population();
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        });
        for (final Thread t : threads)
        {
            t.start();
        }
        for (final Thread t : threads)
        {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "seed " + seed + ": a thread did not finish within 60 s");
        }
        assertNull(failure.get(), "seed " + seed + ": " + failure.get());
        assertEquals(model.size(), rwlock.size(), "seed " + seed);
        for (int n = 0; n < workload.population(); n++)
        {
            final NodeId id = workload.op(n).record().id();
            final PeerRecord expected = model.get(id);
            final PeerRecord actual = rwlock.get(id);
            // Versions per id follow one producer's order; firstSeen depends on the interleaving.
            assertEquals(null == expected ? -1 : expected.version(), null == actual ? -1 : actual.version(),
                "seed " + seed + ": peer " + n);
        }
    }

    private static Workload workload(final long seed, final int producers)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return Workload.generate(Workload.spec(random.nextLong(), 200 + random.nextInt(300), 4000, producers,
            new int[]{ 20, 45, 20, 10, 5 }, 8, 0.1, 16), false);
    }

    private static RegistryState sequentialModel(final Workload workload)
    {
        final RegistryState model = new RegistryState(workload.settings(), List.of());
        final CommitResult scratch = new CommitResult();
        for (int i = 0; i < workload.totalOps(); i++)
        {
            model.commit(workload.op(i), i, scratch);
        }
        return model;
    }

    static ContenderSetup setup(final Workload workload)
    {
        return new ContenderSetup(workload, 256, Topology.COMPACT, WaitStrategyKind.BLOCKING,
            ObserverSets.parse("subsystems").create(), new LatencyProbe(workload.totalOps()));
    }
}
