package io.peerlane.subsystem.kademlia;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.Change;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.peerlane.subsystem.TestPeers.inBucket;
import static io.peerlane.subsystem.TestPeers.peer;
import static io.peerlane.subsystem.TestPeers.randomId;
import static io.peerlane.subsystem.TestPeers.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded property tests: a {@link KademliaTable} equals {@link KademliaModel} after every step of random
 * adds, re-adds, removals, pings answered or not, marks of unknown peers and clears (the table on its own,
 * random settings per seed), and of random registry events delivered through a {@link KademliaObserver} with
 * pings in between: same members in the same order, same replacements, same pending candidates, same results,
 * same listener reports, and {@code closest(target, n)} equal to a brute-force sort of the members.
 * Rerun one seed with {@code -Dpeerlane.test.seed=SEED}.
 */
class KademliaModelTest
{
    private static final int[] V4_PREFIXES = { 8, 16, 24, 28, 32 };
    private static final int[] V6_PREFIXES = { 16, 32, 48, 64 };

    @Test
    void standaloneTableEqualsTheModel()
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        final Map<Object, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < 12; i++)
        {
            final long seed = base + i;
            System.out.println("KademliaModelTest.standaloneTableEqualsTheModel seed=" + seed);
            standalone(seed, i, 1500, seen);
        }
        System.out.println("KademliaModelTest results " + seen);
        for (final AddResult r : AddResult.values())
        {
            assertTrue(seen.getOrDefault(r, 0) > 0, "exercised " + r + ": " + seen);
        }
        for (final MarkResult r : MarkResult.values())
        {
            assertTrue(seen.getOrDefault(r, 0) > 0, "exercised " + r + ": " + seen);
        }
        for (final RemovalCause c : RemovalCause.values())
        {
            assertTrue(seen.getOrDefault(c, 0) > 0, "exercised " + c + ": " + seen);
        }
    }

    @Test
    void observerFedByRegistryEventsEqualsTheModel()
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        for (int i = 0; i < 4; i++)
        {
            final long seed = base + i;
            System.out.println("KademliaModelTest.observerFedByRegistryEventsEqualsTheModel seed=" + seed);
            throughObserver(seed, 2500);
        }
    }

    /**
     * @param shape 0: a cache of size 0 and nothing kept past it; 1: every candidate kept; 2: both diversity
     *              limits on; otherwise all random. So every seed set exercises each kind, whatever the seeds.
     */
    private static KademliaSettings randomSettings(final Random random, final int shape)
    {
        final int cache = random.nextInt(4);
        final int bucketLimit = random.nextInt(3);
        final int tableLimit = random.nextBoolean() ? 0 : 2 + random.nextInt(4);
        final boolean keepAll = random.nextInt(3) == 0;
        return KademliaSettings.builder()
            .k(1 + random.nextInt(4))
            .replacementCacheSize(shape == 0 ? 0 : cache)
            .maxPerSubnetInBucket(shape == 2 ? 1 + bucketLimit % 2 : bucketLimit)
            .maxPerSubnetInTable(shape == 2 ? 2 + tableLimit % 3 : tableLimit)
            .keepAllCandidates(shape != 0 && (shape == 1 || keepAll))
            .ipv4BucketPrefix(V4_PREFIXES[random.nextInt(V4_PREFIXES.length)])
            .ipv4TablePrefix(V4_PREFIXES[random.nextInt(V4_PREFIXES.length)])
            .ipv6BucketPrefix(V6_PREFIXES[random.nextInt(V6_PREFIXES.length)])
            .ipv6TablePrefix(V6_PREFIXES[random.nextInt(V6_PREFIXES.length)])
            .build();
    }

    private static List<NodeId> pool(final Random random, final NodeId local, final int size)
    {
        final List<NodeId> pool = new ArrayList<>();
        pool.add(local);
        while (pool.size() < size)
        {
            final NodeId id = random.nextInt(10) < 7 ? inBucket(local, 252 + random.nextInt(4), random) :
                inBucket(local, random.nextInt(256), random);
            if (!pool.contains(id))
            {
                pool.add(id);
            }
        }
        return pool;
    }

    private static PeerRecord.Builder randomRecord(final Random random, final NodeId id, final long version)
    {
        final PeerRecord.Builder b = peer(id).version(version).lastSeen(random.nextInt(1_000_000));
        final int endpoints = random.nextInt(3);
        for (int i = 0; i < endpoints; i++)
        {
            final int kind = random.nextInt(4);
            b.endpoint(tcp(kind == 0 || kind == 1 ?
                "10." + random.nextInt(2) + "." + random.nextInt(3) + "." + (1 + random.nextInt(40)) + ":" + (1 + i) :
                kind == 2 ? "[2001:db8:" + random.nextInt(2) + ":" + random.nextInt(3) + "::" + (1 + i) + "]:1" :
                    "host-" + random.nextInt(5) + ".example:" + (1 + i)));
        }
        if (random.nextInt(8) == 0)
        {
            b.pinned(true);
        }
        return b;
    }

    private static void standalone(final long seed, final int run, final int steps, final Map<Object, Integer> seen)
    {
        final Random random = new Random(seed);
        final NodeId local = randomId(random);
        final KademliaSettings settings = randomSettings(random, run % 4);
        final String where0 = "seed " + seed + " " + settings;
        final KademliaTable table = new KademliaTable(local, settings);
        final KademliaModel model = new KademliaModel(local, settings);
        final List<String> heard = new ArrayList<>();
        table.listener(recorder(heard, seen));
        final List<NodeId> pool = pool(random, local, 80);
        final long[] versions = new long[pool.size()];
        final Map<NodeId, PeerRecord> lastRecord = new java.util.HashMap<>();
        for (int step = 0; step < steps; step++)
        {
            final String where = where0 + " step " + step;
            final int dice = random.nextInt(100);
            final int who = random.nextInt(pool.size());
            final NodeId id = pool.get(who);
            if (dice < 45)
            {
                final PeerRecord r = randomRecord(random, id, ++versions[who]).build();
                lastRecord.put(id, r);
                final AddResult result = table.add(r);
                assertEquals(model.add(r), result, where);
                seen.merge(result, 1, Integer::sum);
            }
            else if (dice < 55 && lastRecord.containsKey(id))
            {
                // Seen again with the same record: a touch.
                final AddResult result = table.add(lastRecord.get(id));
                assertEquals(model.add(lastRecord.get(id)), result, where);
                seen.merge(result, 1, Integer::sum);
            }
            else if (dice < 65)
            {
                assertEquals(model.remove(id), table.remove(id), where);
            }
            else if (dice < 85)
            {
                // The DHT loop: ping every pending candidate; each answers or not.
                for (final PeerRecord candidate : table.pendingCandidates())
                {
                    final boolean answered = random.nextBoolean();
                    final MarkResult result = answered ? table.markAlive(candidate.id()) : table.markDead(candidate.id());
                    assertEquals(answered ? model.markAlive(candidate.id()) : model.markDead(candidate.id()), result, where);
                    seen.merge(result, 1, Integer::sum);
                }
            }
            else if (dice < 99)
            {
                // Any peer, held or not, member or replacement, pinned or not.
                final boolean alive = random.nextBoolean();
                final MarkResult result = alive ? table.markAlive(id) : table.markDead(id);
                assertEquals(alive ? model.markAlive(id) : model.markDead(id), result, where);
                seen.merge(result, 1, Integer::sum);
            }
            else
            {
                table.clear();
                model.clear();
            }
            compare(table, model, heard, random, where);
        }
    }

    private static void throughObserver(final long seed, final int steps)
    {
        final Random random = new Random(seed);
        final NodeId local = randomId(random);
        final KademliaSettings asked = randomSettings(random, 2 + random.nextInt(2));
        final KademliaObserver observer = new KademliaObserver(local, asked);
        final KademliaSettings settings = observer.table().settings();
        assertTrue(settings.keepAllCandidates(), "the observer keeps every candidate");
        final String where0 = "seed " + seed + " " + settings;
        final KademliaModel model = new KademliaModel(local, settings);
        final List<String> heard = new ArrayList<>();
        final Map<Object, Integer> seen = new java.util.HashMap<>();
        observer.table().listener(recorder(heard, seen));

        final RegistryState state = new RegistryState(RegistrySettings.builder().maxPeers(60).peerTtlMs(0)
            .maxDevicesPerDid(0).build(), List.of());
        final List<NodeId> pool = pool(random, local, 90);
        final long[] versions = new long[pool.size()];
        final CommitResult result = new CommitResult();
        final RegistryEvent event = new RegistryEvent();
        final Set<NodeId> markedDead = new HashSet<>();
        final Map<ChangeType, Integer> changes = new EnumMap<>(ChangeType.class);
        long t = 1_000;
        for (int step = 0; step < steps; step++)
        {
            final String where = where0 + " step " + step;
            t += 1 + random.nextInt(10);
            final int dice = random.nextInt(100);
            final int who = random.nextInt(pool.size());
            final MutationValue m;
            if (dice < 45)
            {
                m = MutationValue.upsert(t, randomRecord(random, pool.get(who), ++versions[who]).build(), null);
            }
            else if (dice < 60)
            {
                m = MutationValue.remove(t, pool.get(who));
            }
            else if (dice < 72)
            {
                m = MutationValue.touch(t, pool.get(who), t);
            }
            else if (dice < 80)
            {
                final Batch.Builder b = Batch.builder();
                final Set<NodeId> inBatch = new HashSet<>();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++)
                {
                    final int w = random.nextInt(pool.size());
                    if (!inBatch.add(pool.get(w)))
                    {
                        continue;
                    }
                    if (random.nextInt(3) == 0)
                    {
                        b.remove(pool.get(w));
                    }
                    else
                    {
                        b.upsert(randomRecord(random, pool.get(w), ++versions[w]).build());
                    }
                }
                m = MutationValue.batch(t, b.build(), new String[b.build().size()]);
            }
            else
            {
                m = null;
            }
            if (null != m)
            {
                state.commit(m, step, result);
                for (int line = 0; line < result.lineCount(); line++)
                {
                    event.wrap(result, line);
                    observer.onEvent(event);
                    for (int i = 0; i < event.changeCount(); i++)
                    {
                        final Change c = event.change(i);
                        changes.merge(c.type(), 1, Integer::sum);
                        if (c.type() == ChangeType.REMOVED)
                        {
                            model.remove(c.id());
                            markedDead.remove(c.id());
                        }
                        else
                        {
                            model.add(c.record());
                            markedDead.remove(c.id());
                        }
                    }
                }
            }
            else
            {
                for (final PeerRecord candidate : observer.table().pendingCandidates())
                {
                    final boolean answered = random.nextInt(3) > 0;
                    final MarkResult r = answered ? observer.table().markAlive(candidate.id()) :
                        observer.table().markDead(candidate.id());
                    assertEquals(answered ? model.markAlive(candidate.id()) : model.markDead(candidate.id()), r, where);
                    seen.merge(r, 1, Integer::sum);
                    if (r == MarkResult.EVICTED || r == MarkResult.REPLACED)
                    {
                        markedDead.add(candidate.id());
                    }
                }
            }
            if (step == steps / 2)
            {
                // A resynchronisation: the observer rebuilds from a snapshot, least recently seen first.
                observer.onSnapshot(state.view());
                model.clear();
                final List<PeerRecord> records = state.view().sortedById();
                records.sort(Comparator.comparingLong(PeerRecord::lastSeen).thenComparing(PeerRecord::id));
                records.forEach(model::add);
                markedDead.clear();
            }
            compare(observer.table(), model, heard, random, where);
            // Every live peer is held, or was marked dead since it was last seen.
            final List<PeerRecord> live = state.view().sortedById();
            for (final PeerRecord r : live)
            {
                if (!r.id().equals(local))
                {
                    assertTrue(observer.table().knows(r.id()) != markedDead.contains(r.id()), where + " " + r.id());
                }
            }
        }
        System.out.println("KademliaModelTest observer seed=" + seed + " changes=" + changes + " results=" + seen);
        assertTrue(changes.getOrDefault(ChangeType.REMOVED, 0) > 100, "exercised registry removals " + changes);
        assertTrue(seen.getOrDefault(MarkResult.KEPT, 0) > 0 || seen.isEmpty(), "pings " + seen);
    }

    private static KademliaListener recorder(final List<String> heard, final Map<Object, Integer> seen)
    {
        return new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
                heard.add("added " + record.id());
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                heard.add("removed " + record.id() + " " + cause);
                seen.merge(cause, 1, Integer::sum);
            }
        };
    }

    private static void compare(
        final KademliaTable table, final KademliaModel model, final List<String> heard, final Random random,
        final String where)
    {
        assertEquals(model.events, heard, where + ": listener");
        model.events.clear();
        heard.clear();
        assertEquals(model.size(), table.size(), where);
        for (int b = 0; b < KademliaTable.BUCKETS; b++)
        {
            if (model.members.get(b).isEmpty() && model.candidates.get(b).isEmpty() && table.bucket(b).isEmpty() &&
                table.allCandidates(b).isEmpty())
            {
                assertEquals(null, table.pendingCandidate(b), where);
                continue;
            }
            assertEquals(model.members.get(b), ids(table.bucket(b)), where + " bucket " + b);
            assertEquals(model.candidates.get(b), ids(table.allCandidates(b)), where + " replacements of " + b);
            final PeerRecord p = table.pendingCandidate(b);
            assertEquals(model.pending[b], null == p ? null : p.id(), where + " pending of " + b);
        }
        assertEquals(List.of(), table.checkInvariants(model.records.values()), where);
        for (int i = 0; i < 3; i++)
        {
            final NodeId target = i == 0 ? table.localId() : i == 1 ? randomId(random) :
                inBucket(table.localId(), 250 + random.nextInt(6), random);
            final int n = random.nextInt(12);
            assertEquals(model.closest(target, n), ids(table.closest(target, n)), where + " closest to " + target);
            final PeerRecord[] out = new PeerRecord[n];
            final int got = table.closest(target, out);
            assertEquals(model.closest(target, n), ids(java.util.Arrays.asList(out).subList(0, got)), where);
        }
    }

    private static List<NodeId> ids(final List<PeerRecord> records)
    {
        final List<NodeId> out = new ArrayList<>();
        for (final PeerRecord r : records)
        {
            out.add(r.id());
        }
        return out;
    }
}
