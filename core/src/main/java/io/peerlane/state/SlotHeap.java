package io.peerlane.state;

import java.util.Arrays;

/**
 * An indexed 4-ary min-heap of slots, each held with its ordering key and a tie key inline: a peer whose
 * key changes moves up or down in place (every slot knows its position) and a removed peer leaves at once.
 * There are no stale entries, no rebuilds and no node per entry.
 * <p>
 * Why this shape: with a million peers a binary heap is 20 levels deep and each level a cache miss in the
 * position table. Four children per node halve the depth, and the four keys a level compares sit side by
 * side in one {@code long[]}. The tie key (the first 64 bits of the peer's id, compared unsigned, which is
 * how ids order) is inline too, so equal keys, common when many peers share a millisecond, are decided
 * without reading a record; only two equal tie keys fall back to {@link #tieBefore}. The order is the
 * subclass's: a key (smaller first), then the tie key, then the tie-break.
 */
abstract class SlotHeap
{
    private static final int ABSENT = -1;
    private static final int ARITY_SHIFT = 2;
    private static final int ARITY = 1 << ARITY_SHIFT;

    private int[] heap = new int[64];
    private long[] keys = new long[64];
    private long[] ties = new long[64];
    private int[] position = new int[0];
    private int size;

    /** @return the ordering key of a slot now: smaller comes first. */
    abstract long key(int slot);

    /** @return the tie key of a slot, compared unsigned when keys are equal: smaller comes first. */
    abstract long tie(int slot);

    /** @return for two slots of equal key and equal tie key, whether {@code a} comes before {@code b}. */
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
            ties = Arrays.copyOf(ties, size << 1);
        }
        final int i = size++;
        heap[i] = slot;
        keys[i] = key(slot);
        ties[i] = tie(slot);
        position[slot] = i;
        up(i);
    }

    /** After the slot's key changed (its tie key never changes): moves it to its place. */
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
            ties[i] = ties[last];
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
        return before(key(a), tie(a), a, key(b), tie(b), b);
    }

    private boolean before(final long ka, final long ta, final int a, final long kb, final long tb, final int b)
    {
        if (ka != kb)
        {
            return ka < kb;
        }
        return ta != tb ? Long.compareUnsigned(ta, tb) < 0 : tieBefore(a, b);
    }

    private boolean up(final int from)
    {
        final int slot = heap[from];
        final long key = keys[from];
        final long tie = ties[from];
        int i = from;
        while (i > 0)
        {
            final int parent = (i - 1) >>> ARITY_SHIFT;
            final int p = heap[parent];
            if (!before(key, tie, slot, keys[parent], ties[parent], p))
            {
                break;
            }
            heap[i] = p;
            keys[i] = keys[parent];
            ties[i] = ties[parent];
            position[p] = i;
            i = parent;
        }
        heap[i] = slot;
        keys[i] = key;
        ties[i] = tie;
        position[slot] = i;
        return i != from;
    }

    private void down(final int from)
    {
        final int slot = heap[from];
        final long key = keys[from];
        final long tie = ties[from];
        int i = from;
        while (true)
        {
            final int first = (i << ARITY_SHIFT) + 1;
            if (first >= size)
            {
                break;
            }
            final int end = Math.min(first + ARITY, size);
            int child = first;
            for (int c = first + 1; c < end; c++)
            {
                if (before(keys[c], ties[c], heap[c], keys[child], ties[child], heap[child]))
                {
                    child = c;
                }
            }
            final int c = heap[child];
            if (!before(keys[child], ties[child], c, key, tie, slot))
            {
                break;
            }
            heap[i] = c;
            keys[i] = keys[child];
            ties[i] = ties[child];
            position[c] = i;
            i = child;
        }
        heap[i] = slot;
        keys[i] = key;
        ties[i] = tie;
        position[slot] = i;
    }
}
