package io.peerlane.bench;

import io.peerlane.peer.NodeId;
import io.peerlane.state.MutationKind;
import io.peerlane.state.MutationValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadGeneratorTest
{
    private static final int[] DEFAULT_MIX = { 20, 45, 20, 10, 5 };

    @Test
    void sameSeedGivesTheSameOps()
    {
        final Workload a = new WorkloadGenerator(spec(7, 3, DEFAULT_MIX)).generate(false);
        final Workload b = new WorkloadGenerator(spec(7, 3, DEFAULT_MIX)).generate(false);
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
        System.out.println("WorkloadGeneratorTest seed " + seed);
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
            final WorkloadSpec spec = new WorkloadSpec(random.nextLong(), 2 * producers + random.nextInt(300),
                3000, producers, mix, 2 + random.nextInt(20), random.nextDouble(), 1 + random.nextInt(64));
            final Workload w = new WorkloadGenerator(spec).generate(true);
            assertEquals(spec.peers, w.population());
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
                        assertOwned(op.batch().idOf(k), i, producers, seed);
                        if (op.batch().isUpsert(k))
                        {
                            assertIncreasing(lastVersion, op.batch().record(k).id(), op.batch().record(k).version(), seed);
                        }
                    }
                }
                else
                {
                    final NodeId id = op.kind() == MutationKind.UPSERT ? op.record().id() : op.id();
                    assertOwned(id, i, producers, seed);
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
        final Workload w = new WorkloadGenerator(spec(1, 4, DEFAULT_MIX)).generate(false);
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
        final Workload w = new WorkloadGenerator(new WorkloadSpec(3, peers, 2000, 4, DEFAULT_MIX, 8, 0.1, 64)).generate(true);
        assertEquals(peers, w.population());
        assertEquals(peers + 2000, w.totalOps());
        assertTrue(w.settings().maxPeers() >= peers, "maxPeers " + w.settings().maxPeers() + " fits " + peers + " peers");
        final java.util.Set<NodeId> ids = new java.util.HashSet<>();
        for (int n = 0; n < peers; n++)
        {
            final MutationValue op = w.op(n);
            assertEquals(MutationKind.UPSERT, op.kind(), "op " + n);
            assertEquals(n, op.record().id().word(3), "op " + n + " loads peer " + n);
            assertEquals(1, op.record().version());
            assertTrue(ids.add(op.record().id()));
        }
        assertThrows(IllegalArgumentException.class, () -> w.result(0), "the population keeps no results");
        assertEquals(peers + 1, w.result(peers).firstEventSeq(), "the measured ops' events follow the population's");
    }

    private static WorkloadSpec spec(final long seed, final int producers, final int[] mix)
    {
        return new WorkloadSpec(seed, 500, 5000, producers, mix, 8, 0.1, 16);
    }

    private static void assertOwned(final NodeId id, final int op, final int producers, final long seed)
    {
        assertEquals(op % producers, (int)(id.word(3) % producers), "seed " + seed + ": op " + op + " touches another producer's id");
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
