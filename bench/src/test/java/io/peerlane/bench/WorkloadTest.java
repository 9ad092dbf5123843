package io.peerlane.bench;

import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.tools.workload.WorkloadGenerator;
import io.peerlane.tools.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's committed workloads, made by the tools' {@code WorkloadGenerator} and checked by {@link Workload#generate}. */
class WorkloadTest
{
    private static final int[] DEFAULT_MIX = { 20, 45, 20, 10, 5 };

    @Test
    void sameSeedGivesTheSameOps()
    {
        final Workload a = Workload.generate(spec(7, 3, DEFAULT_MIX), false);
        final Workload b = Workload.generate(spec(7, 3, DEFAULT_MIX), false);
        assertEquals(a.totalOps(), b.totalOps());
        for (int i = 0; i < a.totalOps(); i++)
        {
            assertEquals(describe(a.op(i)), describe(b.op(i)), "op " + i);
        }
    }

    /** The generator's own check (one committed event line per op) holds over random seeds, mixes and producer counts. */
    @Test
    void randomSpecsPartitionIdsPerProducerAndNeverGoStale()
    {
        final long seed = System.nanoTime();
        System.out.println("WorkloadTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 8; round++)
        {
            final int producers = 1 + random.nextInt(6);
            final int[] mix = new int[5];
            for (int k = 0; k < mix.length; k++)
            {
                mix[k] = random.nextInt(4) == 0 ? 0 : random.nextInt(50);
            }
            mix[random.nextInt(5)] += 1;
            final WorkloadSpec spec = Workload.spec(random.nextLong(), 2 * producers + random.nextInt(300),
                3000, producers, mix, 2 + random.nextInt(20), random.nextDouble(), 1 + random.nextInt(64));
            final Workload w = Workload.generate(spec, true);
            assertEquals(spec.peers(), w.population());
            final Map<NodeId, Integer> slots = slots(w);
            assertEquals(3000, w.ops());
            final Map<NodeId, Long> lastVersion = new HashMap<>();
            for (int i = 0; i < w.totalOps(); i++)
            {
                final MutationValue op = w.op(i);
                assertEquals(Workload.BASE_TIME_MS + i, op.time());
                assertEquals(i, Workload.indexOf(op));
                if (i >= w.population())
                {
                    assertEquals(i + 1, w.result(i).firstEventSeq(), "seed " + seed + ": one event line per op");
                }
                if (op.kind() == MutationKind.BATCH)
                {
                    for (int k = 0; k < op.batch().size(); k++)
                    {
                        assertOwned(slots, op.batch().idOf(k), i, producers, seed);
                        if (op.batch().isUpsert(k))
                        {
                            assertIncreasing(lastVersion, op.batch().record(k).id(), op.batch().record(k).version(), seed);
                        }
                    }
                }
                else
                {
                    final NodeId id = op.kind() == MutationKind.UPSERT ? op.record().id() : op.id();
                    assertOwned(slots, id, i, producers, seed);
                    if (op.kind() == MutationKind.UPSERT)
                    {
                        assertIncreasing(lastVersion, id, op.record().version(), seed);
                    }
                }
            }
        }
    }

    @Test
    void everyKindOfOpAppearsInTheDefaultMix()
    {
        final Workload w = Workload.generate(spec(1, 4, DEFAULT_MIX), false);
        final Map<MutationKind, Integer> counts = new HashMap<>();
        for (int i = w.population(); i < w.totalOps(); i++)
        {
            counts.merge(w.op(i).kind(), 1, Integer::sum);
        }
        assertEquals(4, counts.size(), counts.toString());
        assertSame(w.settings(), w.settings());
        assertTrue(w.settings().maxPeers() >= 500);
    }

    /** The population comes first: one new peer per id, version 1, op n loading peer n; maxPeers fits it. */
    @Test
    void thePopulationLoadsEveryPeerOnceBeforeTheMeasuredOps()
    {
        final int peers = 12_000;
        final WorkloadSpec spec = Workload.spec(3, peers, 2000, 4, DEFAULT_MIX, 8, 0.1, 64);
        final Workload w = Workload.generate(spec, true);
        final WorkloadGenerator generator = new WorkloadGenerator(spec);
        assertEquals(peers, w.population());
        assertEquals(peers + 2000, w.totalOps());
        assertTrue(w.settings().maxPeers() >= peers, "maxPeers " + w.settings().maxPeers() + " fits " + peers + " peers");
        final java.util.Set<NodeId> ids = new java.util.HashSet<>();
        for (int n = 0; n < peers; n++)
        {
            final MutationValue op = w.op(n);
            assertEquals(MutationKind.UPSERT, op.kind(), "op " + n);
            assertEquals(generator.populationId(n), op.record().id(), "op " + n + " loads peer " + n);
            assertEquals(Workload.BASE_TIME_MS + n, op.time(), "op " + n);
            assertEquals(1, op.record().version());
            assertTrue(ids.add(op.record().id()));
        }
        assertThrows(IllegalArgumentException.class, () -> w.result(0), "the population keeps no results");
        assertEquals(peers + 1, w.result(peers).firstEventSeq(), "the measured ops' events follow the population's");
    }

    private static WorkloadSpec spec(final long seed, final int producers, final int[] mix)
    {
        return Workload.spec(seed, 500, 5000, producers, mix, 8, 0.1, 16);
    }

    /** @return each peer's slot: the population's op {@code n} loads slot {@code n}, a peer seen nowhere before. */
    private static Map<NodeId, Integer> slots(final Workload w)
    {
        final Map<NodeId, Integer> slots = new HashMap<>();
        for (int n = 0; n < w.population(); n++)
        {
            assertEquals(null, slots.put(w.op(n).record().id(), n), "op " + n + " loads a new peer");
        }
        return slots;
    }

    private static void assertOwned(
        final Map<NodeId, Integer> slots, final NodeId id, final int op, final int producers, final long seed)
    {
        final Integer slot = slots.get(id);
        assertTrue(null != slot, "seed " + seed + ": op " + op + " names a peer outside the population");
        assertEquals(op % producers, slot % producers, "seed " + seed + ": op " + op + " touches another producer's id");
    }

    private static void assertIncreasing(final Map<NodeId, Long> last, final NodeId id, final long version, final long seed)
    {
        final Long previous = last.put(id, version);
        assertTrue(null == previous || previous < version, "seed " + seed + ": version " + version + " after " + previous);
    }

    private static String describe(final MutationValue op)
    {
        switch (op.kind())
        {
            case UPSERT:
                return "U " + op.record().id() + " v" + op.record().version() + " " + op.record().endpoints();
            case BATCH:
                final StringBuilder sb = new StringBuilder("B");
                for (int k = 0; k < op.batch().size(); k++)
                {
                    sb.append(' ').append(op.batch().idOf(k)).append(op.batch().isUpsert(k) ? "+" : "-");
                }
                return sb.toString();
            default:
                return op.kind() + " " + op.id();
        }
    }
}
