package io.peerlane.tools.workload;

import java.util.SplittableRandom;

/** A set of small ints with O(1) add, remove and uniform random pick: a producer's live and free slots. */
final class IdPool
{
    private final int[] items;
    private final int[] position;
    private int size;

    IdPool(final int capacity, final int universe)
    {
        items = new int[capacity];
        position = new int[universe];
        java.util.Arrays.fill(position, -1);
    }

    int size()
    {
        return size;
    }

    boolean contains(final int id)
    {
        return position[id] >= 0;
    }

    void add(final int id)
    {
        position[id] = size;
        items[size++] = id;
    }

    void remove(final int id)
    {
        final int at = position[id];
        final int last = items[--size];
        items[at] = last;
        position[last] = at;
        position[id] = -1;
    }

    int pick(final SplittableRandom random)
    {
        return items[random.nextInt(size)];
    }
}
