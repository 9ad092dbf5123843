package io.peerlane.state;

import io.peerlane.peer.NodeId;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@link NodeIdMap} against a {@link HashMap}, op by op, under seeded random puts, removes and clears. */
class NodeIdMapTest
{
    @Test
    void agreesWithAHashMapUnderRandomOps()
    {
        final long base = System.nanoTime();
        System.out.println("NodeIdMapTest base seed " + base);
        for (int round = 0; round < 40; round++)
        {
            final long seed = base + round;
            final SplittableRandom random = new SplittableRandom(seed);
            // Few distinct ids in a small key space: every probe chain sees puts, overwrites and removes.
            final int keySpace = 1 + random.nextInt(round < 20 ? 40 : 3000);
            final NodeId[] ids = new NodeId[keySpace];
            for (int i = 0; i < keySpace; i++)
            {
                ids[i] = NodeId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            }
            final NodeIdMap<Integer> map = new NodeIdMap<>(random.nextInt(64));
            final Map<NodeId, Integer> model = new HashMap<>();
            for (int op = 0; op < 20_000; op++)
            {
                final NodeId id = ids[random.nextInt(keySpace)];
                final int choice = random.nextInt(100);
                if (choice < 55)
                {
                    final Integer value = op;
                    assertEquals(model.put(id, value), map.put(id, value), "put, seed " + seed + " op " + op);
                }
                else if (choice < 95)
                {
                    assertEquals(model.remove(id), map.remove(id), "remove, seed " + seed + " op " + op);
                }
                else if (choice < 96 && random.nextInt(20) == 0)
                {
                    model.clear();
                    map.clear();
                }
                else
                {
                    // A copy of an id (another object, the same words) finds the same entry.
                    final NodeId copy = NodeId.of(id.word(0), id.word(1), id.word(2), id.word(3));
                    assertEquals(model.get(id), map.get(copy), "get, seed " + seed + " op " + op);
                }
                assertEquals(model.size(), map.size(), "size, seed " + seed + " op " + op);
            }
            for (final NodeId id : ids)
            {
                assertEquals(model.get(id), map.get(id), "seed " + seed);
                assertEquals(model.containsKey(id), map.containsKey(id), "seed " + seed);
            }
            final List<Integer> values = new ArrayList<>(map.values());
            final List<Integer> expected = new ArrayList<>(model.values());
            values.sort(null);
            expected.sort(null);
            assertEquals(expected, values, "values, seed " + seed);
            assertEquals(model.isEmpty(), map.isEmpty());
        }
    }

    @Test
    void anIdNeverPutIsAbsentAndNullValuesAndBadSizesAreRefused()
    {
        final NodeIdMap<String> map = new NodeIdMap<>();
        final NodeId a = NodeId.of(1, 2, 3, 4);
        final NodeId b = NodeId.of(1, 2, 3, 5);
        assertNull(map.put(a, "a"));
        assertNull(map.get(b));
        assertFalse(map.containsKey(b));
        assertNull(map.remove(b));
        assertEquals(1, map.size());
        assertEquals("a", map.put(a, "a2"));
        assertEquals("a2", map.get(a));
        final NullPointerException npe = assertThrows(NullPointerException.class, () -> map.put(b, null));
        assertTrue(npe.getMessage().contains("value"), npe.getMessage());
        assertEquals(1, map.size());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new NodeIdMap<>(-1));
        assertTrue(bad.getMessage().contains("-1") && bad.getMessage().contains(String.valueOf(NodeIdMap.MAX_SIZE)),
            bad.getMessage());
    }
}
