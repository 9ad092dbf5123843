package io.peerlane.state;

import java.util.Arrays;

/**
 * An indexed binary min-heap of slots, each held with its ordering key inline: a peer whose key changes
 * moves up or down in place (every slot knows its position) and a removed peer leaves at once. There are
 * no stale entries, no rebuilds and no node per entry. Keys live in a {@code long[]} beside the slots, so
 * sifting reads one contiguous array and touches a record only to break a tie; a change costs O(log n)
 * moves within two arrays. The order is the subclass's: a key (smaller first) and a tie-break.
 */
abstract class SlotHeap
{
    private static final int ABSENT = -1;

    private int[] heap = new int[64];
    private long[] keys = new long[64];
    private int[] position = new int[0];
    private int size;

    /** @return the ordering key of a slot now: smaller comes first. */
    abstract long key(int slot);

    /** @return for two slots of equal key, whether {@code a} comes before {@code b}. */
    abstract boolean tieBefore(int a, int b);

    final int size()
    {
        return size;
    }

    /** @return the first slot, or -1 when empty. */
    final int peek()
    {
        return size == 0 ? -1 : heap[0];
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
            keys = Arrays.copyOf(keys, size << 1);
        }
        final int i = size++;
        heap[i] = slot;
        keys[i] = key(slot);
        position[slot] = i;
        up(i);
    }

    /** After the slot's key changed: moves it to its place. */
    final void changed(final int slot)
    {
        final int i = position[slot];
        keys[i] = key(slot);
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
            keys[i] = keys[last];
            position[moved] = i;
            if (!up(i))
            {
                down(i);
            }
        }
    }

    /** For snapshots: whether slot {@code a} comes before slot {@code b} in this order. */
    final boolean before(final int a, final int b)
    {
        final long ka = key(a);
        final long kb = key(b);
        return ka != kb ? ka < kb : tieBefore(a, b);
    }

    private boolean before(final long ka, final int a, final long kb, final int b)
    {
        return ka != kb ? ka < kb : tieBefore(a, b);
    }

    private boolean up(final int from)
    {
        final int slot = heap[from];
        final long key = keys[from];
        int i = from;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final int p = heap[parent];
            if (!before(key, slot, keys[parent], p))
            {
                break;
            }
            heap[i] = p;
            keys[i] = keys[parent];
            position[p] = i;
            i = parent;
        }
        heap[i] = slot;
        keys[i] = key;
        position[slot] = i;
        return i != from;
    }

    private void down(final int from)
    {
        final int slot = heap[from];
        final long key = keys[from];
        int i = from;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && before(keys[right], heap[right], keys[left], heap[left]) ? right : left;
            final int c = heap[child];
            if (!before(keys[child], c, key, slot))
            {
                break;
            }
            heap[i] = c;
            keys[i] = keys[child];
            position[c] = i;
            i = child;
        }
        heap[i] = slot;
        keys[i] = key;
        position[slot] = i;
    }
}
