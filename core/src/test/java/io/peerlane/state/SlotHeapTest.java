package io.peerlane.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexed 4-ary heap against a sorted-set model: random adds, key changes and removals, with keys and
 * tie keys drawn from small ranges so that equal keys and equal tie keys (the fall-back to the full
 * tie-break) are common. After every step the heap's first slot is the model's, and draining the heap gives
 * the model's order.
 */
class SlotHeapTest
{
    private static final int SLOTS = 300;

    /** Keys, tie keys and full ids of slots, as a registry would hold them. */
    static final class Heap extends SlotHeap
    {
        final long[] key = new long[SLOTS];
        final long[] tieKey = new long[SLOTS];
        final long[] id = new long[SLOTS];

        @Override
        long key(final int slot)
        {
            return key[slot];
        }

        @Override
        long tie(final int slot)
        {
            return tieKey[slot];
        }

        @Override
        boolean tieBefore(final int a, final int b)
        {
            return id[a] < id[b];
        }

        Comparator<Integer> order()
        {
            return Comparator.<Integer>comparingLong(s -> key[s])
                .thenComparing((a, b) -> Long.compareUnsigned(tieKey[a], tieKey[b]))
                .thenComparingLong(s -> id[s]);
        }
    }

    @Test
    void matchesASortedModelThroughRandomChanges()
    {
        SeededRounds.run("SlotHeapTest", 40, (seed, random) ->
        {
            final Heap heap = new Heap();
            final TreeSet<Integer> model = new TreeSet<>(heap.order());
            final List<Integer> free = new ArrayList<>();
            for (int s = 0; s < SLOTS; s++)
            {
                free.add(s);
            }
            final int keyRange = 1 + random.nextInt(50);
            final int tieRange = 1 + random.nextInt(4);
            for (int step = 0; step < 3_000; step++)
            {
                final int what = random.nextInt(10);
                if ((what < 4 || model.isEmpty()) && !free.isEmpty())
                {
                    final int slot = free.remove(random.nextInt(free.size()));
                    heap.key[slot] = random.nextInt(keyRange);
                    // Unsigned order: some tie keys are negative as signed longs.
                    heap.tieKey[slot] = random.nextInt(tieRange) * 0x4000_0000_0000_0000L;
                    heap.id[slot] = slot;
                    heap.add(slot);
                    model.add(slot);
                }
                else if (what < 8 && !model.isEmpty())
                {
                    final int slot = pick(model, random);
                    model.remove(slot);
                    heap.key[slot] = random.nextInt(keyRange);
                    heap.changed(slot);
                    model.add(slot);
                }
                else if (!model.isEmpty())
                {
                    final int slot = pick(model, random);
                    model.remove(slot);
                    heap.remove(slot);
                    free.add(slot);
                }
                assertEquals(model.size(), heap.size(), "seed " + seed + " step " + step);
                assertEquals(model.isEmpty() ? -1 : model.first(), heap.peek(), "seed " + seed + " step " + step);
            }
            while (!model.isEmpty())
            {
                final int first = model.pollFirst();
                assertEquals(first, heap.peek(), "seed " + seed + " drain");
                heap.remove(first);
            }
            assertTrue(heap.size() == 0 && heap.peek() == -1, "seed " + seed);
        });
    }

    private static int pick(final TreeSet<Integer> model, final SplittableRandom random)
    {
        final int n = random.nextInt(model.size());
        int i = 0;
        for (final int slot : model)
        {
            if (i++ == n)
            {
                return slot;
            }
        }
        throw new AssertionError();
    }
}
