package io.peerlane.state;

import io.peerlane.peer.NodeId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The id index against a {@link HashMap} model: random puts and removals over a pool of ids in pairs that
 * differ in a single word, through several grows, with every id of the pool looked up after each step, by the
 * writer's {@link IdIndex#get} and the readers' {@link IdIndex#probe}. Ids whose hashes collide (found by
 * search: the hash is seeded per process) while they agree in three of their four words check that a match of
 * the hash is not taken for a match of the id.
 */
class IdIndexTest
{
    @Test
    void idsWithTheSameHashAndThreeEqualWordsAreTold()
    {
        // About n * n / 2^33 colliding pairs among n ids: some 18 for 400,000.
        final Map<Integer, NodeId> byHash = new HashMap<>();
        final List<NodeId[]> pairs = new ArrayList<>();
        for (long w3 = 0; w3 < 400_000 && pairs.size() < 8; w3++)
        {
            final NodeId id = NodeId.of(7, 8, 9, w3);
            final NodeId other = byHash.putIfAbsent(id.hashCode(), id);
            if (null != other)
            {
                pairs.add(new NodeId[]{ other, id });
            }
        }
        System.out.println("IdIndexTest colliding pairs found: " + pairs.size());
        assertTrue(pairs.size() >= 2, "too few hash collisions found to test: " + pairs.size());
        final IdIndex index = new IdIndex(2);
        for (int p = 0; p < pairs.size(); p++)
        {
            final NodeId[] pair = pairs.get(p);
            assertEquals(pair[0].hashCode(), pair[1].hashCode());
            index.put(pair[0], 2 * p);
            assertEquals(-1, index.get(pair[1]), "a colliding id that is not there");
            assertEquals(-1, index.probe(pair[1]), "a colliding id that is not there, read by a reader");
            index.put(pair[1], 2 * p + 1);
        }
        for (int p = 0; p < pairs.size(); p++)
        {
            final NodeId[] pair = pairs.get(p);
            assertEquals(2 * p, index.get(pair[0]));
            assertEquals(2 * p + 1, index.get(pair[1]));
            index.remove(pair[0]);
            assertEquals(-1, index.get(pair[0]));
            assertEquals(2 * p + 1, index.get(pair[1]), "removing one of a colliding pair keeps the other");
            assertEquals(2 * p + 1, index.probe(pair[1]));
        }
    }

    @Test
    void matchesAHashMapModelThroughRandomPutsAndRemovals()
    {
        SeededRounds.run("IdIndexTest", 10, (seed, random) ->
        {
            final List<NodeId> pool = new ArrayList<>();
            for (int i = 0; i < 400; i++)
            {
                final long shared = random.nextLong();
                // Pairs of ids that agree in three of their four words, the differing word chosen at random.
                final long[] w = { shared, shared ^ 1, shared ^ 2, shared ^ 3 };
                pool.add(NodeId.of(w[0], w[1], w[2], w[3]));
                w[random.nextInt(4)] ^= 1L << 40;
                pool.add(NodeId.of(w[0], w[1], w[2], w[3]));
            }
            final IdIndex index = new IdIndex(2);
            final Map<NodeId, Integer> model = new HashMap<>();
            for (int step = 0; step < 3_000; step++)
            {
                final NodeId id = pool.get(random.nextInt(pool.size()));
                if (model.containsKey(id))
                {
                    index.remove(id);
                    model.remove(id);
                }
                else
                {
                    final int slot = random.nextInt(1_000_000);
                    index.put(id, slot);
                    model.put(id, slot);
                }
                assertEquals(model.size(), index.size(), "seed " + seed + " step " + step);
                for (final NodeId probe : pool)
                {
                    final int expected = model.getOrDefault(probe, -1);
                    assertEquals(expected, index.get(probe), "get, seed " + seed + " step " + step);
                    // A copy, not the same object: the index compares the words, never the reference.
                    final NodeId copy = NodeId.of(probe.word(0), probe.word(1), probe.word(2), probe.word(3));
                    assertEquals(expected, index.probe(copy), "probe, seed " + seed + " step " + step);
                }
            }
        });
    }
}
