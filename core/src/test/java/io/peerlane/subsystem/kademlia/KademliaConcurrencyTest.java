package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.peerlane.subsystem.TestPeers.inBucket;
import static io.peerlane.subsystem.TestPeers.peer;
import static io.peerlane.subsystem.TestPeers.randomId;
import static io.peerlane.subsystem.TestPeers.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One table written by several threads at once (as an observer's events and a DHT's ping results are) and read
 * by others. Each writer owns the ids of its own buckets, and the table-wide diversity limit is off, so what
 * each writer sees must equal a sequential {@link KademliaModel} of its own ops alone: every result, every
 * listener report it caused, and its buckets at the end; the shared index, free list and counts must survive
 * the interleaving. Readers meanwhile check that every lookup is sorted by distance, holds no duplicate and
 * only ids that were ever added.
 */
class KademliaConcurrencyTest
{
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final int STEPS = 3000;

    @Test
    void concurrentWritersEachEqualTheirSequentialModel() throws Exception
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        for (int i = 0; i < 5; i++)
        {
            final long seed = base + i;
            System.out.println("KademliaConcurrencyTest seed=" + seed);
            run(seed);
        }
    }

    private static void run(final long seed) throws Exception
    {
        final Random setup = new Random(seed);
        final NodeId local = randomId(setup);
        final KademliaSettings settings = KademliaSettings.builder().k(2 + setup.nextInt(3))
            .replacementCacheSize(setup.nextInt(3)).maxPerSubnetInBucket(1 + setup.nextInt(2)).maxPerSubnetInTable(0)
            .build();
        final KademliaTable table = new KademliaTable(local, settings);
        final Map<Thread, List<String>> heard = new ConcurrentHashMap<>();
        table.listener(new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
                heard.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add("added " + record.id());
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                heard.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>())
                    .add("removed " + record.id() + " " + cause);
            }
        });
        final List<List<NodeId>> pools = new ArrayList<>();
        final Set<NodeId> everyId = ConcurrentHashMap.newKeySet();
        for (int w = 0; w < WRITERS; w++)
        {
            final List<NodeId> pool = new ArrayList<>();
            while (pool.size() < 30)
            {
                // Writer w owns buckets 240 + 4w to 243 + 4w.
                final NodeId id = inBucket(local, 240 + 4 * w + setup.nextInt(4), setup);
                if (!pool.contains(id))
                {
                    pool.add(id);
                }
            }
            pools.add(pool);
            everyId.addAll(pool);
        }
        final CyclicBarrier start = new CyclicBarrier(WRITERS + READERS);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean writing = new AtomicBoolean(true);
        final KademliaModel[] models = new KademliaModel[WRITERS];
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            final int writer = w;
            models[w] = new KademliaModel(local, settings);
            threads.add(new Thread(() ->
            {
                try
                {
                    start.await();
                    write(table, models[writer], pools.get(writer), new Random(seed * 31 + writer), heard, seed, writer);
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "writer-" + w));
        }
        for (int r = 0; r < READERS; r++)
        {
            final Random random = new Random(seed * 17 + r);
            threads.add(new Thread(() ->
            {
                try
                {
                    start.await();
                    final PeerRecord[] out = new PeerRecord[8];
                    while (writing.get())
                    {
                        final NodeId target = inBucket(local, 240 + random.nextInt(16), random);
                        final int n = table.closest(target, out);
                        final Set<NodeId> distinct = new HashSet<>();
                        for (int i = 0; i < n; i++)
                        {
                            assertTrue(everyId.contains(out[i].id()), "a lookup returned an id never added");
                            assertTrue(distinct.add(out[i].id()), "a lookup returned an id twice");
                            assertTrue(i == 0 || target.compareDistance(out[i - 1].id(), out[i].id()) < 0,
                                "a lookup is not sorted by distance");
                        }
                        for (final PeerRecord p : table.pendingCandidates())
                        {
                            assertFalse(p.pinned(), "a pinned peer was named to ping");
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "reader-" + r));
        }
        threads.forEach(Thread::start);
        for (int i = 0; i < WRITERS; i++)
        {
            threads.get(i).join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(threads.get(i).isAlive(), "writer " + i + " did not finish within 120 s, seed " + seed);
        }
        writing.set(false);
        for (final Thread t : threads)
        {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " did not stop, seed " + seed);
        }
        if (null != failure.get())
        {
            throw new AssertionError("seed " + seed + ": " + failure.get(), failure.get());
        }
        int members = 0;
        for (int w = 0; w < WRITERS; w++)
        {
            for (int b = 240 + 4 * w; b < 244 + 4 * w; b++)
            {
                assertEquals(models[w].members.get(b), ids(table.bucket(b)), "seed " + seed + " bucket " + b);
                assertEquals(models[w].candidates.get(b), ids(table.allCandidates(b)), "seed " + seed + " cache " + b);
            }
            members += models[w].size();
        }
        assertEquals(members, table.size(), "seed " + seed);
        final List<PeerRecord> known = new ArrayList<>();
        for (final KademliaModel m : models)
        {
            known.addAll(m.records.values());
        }
        assertEquals(List.of(), table.checkInvariants(known), "seed " + seed);
    }

    private static void write(
        final KademliaTable table, final KademliaModel model, final List<NodeId> pool, final Random random,
        final Map<Thread, List<String>> heard, final long seed, final int writer)
    {
        final long[] versions = new long[pool.size()];
        for (int step = 0; step < STEPS; step++)
        {
            final String where = "seed " + seed + " writer " + writer + " step " + step;
            final int who = random.nextInt(pool.size());
            final NodeId id = pool.get(who);
            final int dice = random.nextInt(10);
            if (dice < 5)
            {
                final PeerRecord.Builder b = peer(id).version(++versions[who]);
                if (random.nextBoolean())
                {
                    b.endpoint(tcp("10.0." + random.nextInt(3) + ".1:1"));
                }
                if (random.nextInt(8) == 0)
                {
                    b.pinned(true);
                }
                final PeerRecord r = b.build();
                assertEquals(model.add(r), table.add(r), where);
            }
            else if (dice < 6)
            {
                assertEquals(model.remove(id), table.remove(id), where);
            }
            else if (dice < 8)
            {
                assertEquals(model.markDead(id), table.markDead(id), where);
            }
            else
            {
                assertEquals(model.markAlive(id), table.markAlive(id), where);
            }
            final List<String> mine = heard.getOrDefault(Thread.currentThread(), new ArrayList<>());
            assertEquals(model.events, mine, where + ": the reports this writer caused");
            model.events.clear();
            mine.clear();
        }
    }

    private static List<NodeId> ids(final List<PeerRecord> records)
    {
        final List<NodeId> out = new ArrayList<>();
        records.forEach(r -> out.add(r.id()));
        return out;
    }
}
