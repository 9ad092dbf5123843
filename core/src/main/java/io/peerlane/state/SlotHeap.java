package io.peerlane.state;

import java.util.Arrays;

/**
 * An indexed binary min-heap of slots: each slot knows its position, so a peer whose ordering key changes
 * moves up or down in place and a removed peer leaves at once. There are no stale entries, no rebuilds
 * and no node per entry; a change is O(log n) swaps in two int arrays. The order is the subclass's,
 * over the state its slots index (the expiry order, the eviction order, the tombstone order).
 */
abstract class SlotHeap
{
    private static final int ABSENT = -1;

    private int[] heap = new int[64];
    private int[] position = new int[0];
    private int size;

    /** @return whether slot {@code a} comes before slot {@code b}. */
    abstract boolean before(int a, int b);

    final int size()
    {
        return size;
    }

    final boolean isEmpty()
    {
        return size == 0;
    }

    /** @return the first slot, or -1 when empty. */
    final int peek()
    {
        return size == 0 ? -1 : heap[0];
    }

    final boolean contains(final int slot)
    {
        return slot < position.length && position[slot] != ABSENT;
    }

    final void add(final int slot)
    {
        if (slot >= position.length)
        {
            final int old = position.length;
            position = Arrays.copyOf(position, Math.max(64, Math.max(slot + 1, old << 1)));
            Arrays.fill(position, old, position.length, ABSENT);
        }
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size << 1);
        }
        heap[size] = slot;
        position[slot] = size;
        size++;
        up(size - 1);
    }

    /** After the slot's key changed: moves it to its place. */
    final void changed(final int slot)
    {
        final int i = position[slot];
        if (!up(i))
        {
            down(i);
        }
    }

    final void remove(final int slot)
    {
        final int i = position[slot];
        position[slot] = ABSENT;
        final int last = --size;
        if (i != last)
        {
            final int moved = heap[last];
            heap[i] = moved;
            position[moved] = i;
            if (!up(i))
            {
                down(i);
            }
        }
    }

    final void clear()
    {
        for (int i = 0; i < size; i++)
        {
            position[heap[i]] = ABSENT;
        }
        size = 0;
    }

    private boolean up(final int from)
    {
        final int slot = heap[from];
        int i = from;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final int p = heap[parent];
            if (!before(slot, p))
            {
                break;
            }
            heap[i] = p;
            position[p] = i;
            i = parent;
        }
        heap[i] = slot;
        position[slot] = i;
        return i != from;
    }

    private void down(final int from)
    {
        final int slot = heap[from];
        int i = from;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && before(heap[right], heap[left]) ? right : left;
            final int c = heap[child];
            if (!before(c, slot))
            {
                break;
            }
            heap[i] = c;
            position[c] = i;
            i = child;
        }
        heap[i] = slot;
        position[slot] = i;
    }
}
