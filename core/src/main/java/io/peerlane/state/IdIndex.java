package io.peerlane.state;

import io.peerlane.peer.NodeId;

/**
 * Node id to slot, in two flat arrays with linear probing (at most half full) and backward-shift
 * deletion, so no entry object exists and a removal leaves no tombstone marker to skip. Ids carry a
 * per-process seeded hash, so input cannot be crafted to collide. Written by the single writer; the
 * peer table's readers probe it under its sequence lock through {@link #probe}.
 * <p>
 * Beside each key the writer keeps its hash ({@code hashes}, read by the writer alone): a probe compares
 * hashes and dereferences a key only when they match, so looking up an id that is not there (a new peer, a
 * tombstone that is not) reads three flat arrays and no key object, which in a large index were cache misses.
 */
final class IdIndex
{
    /** What {@link #probe} returns when it met the arrays in the middle of a change. */
    static final int RETRY = -2;

    private NodeId[] keys;
    private int[] slots;
    private int[] hashes;
    private int size;

    IdIndex(final int capacity)
    {
        keys = new NodeId[capacity];
        slots = new int[capacity];
        hashes = new int[capacity];
    }

    int size()
    {
        return size;
    }

    /** @return the slot of an id, or -1. */
    int get(final NodeId id)
    {
        final NodeId[] keys = this.keys;
        final int[] hashes = this.hashes;
        final int mask = keys.length - 1;
        final int hash = id.hashCode();
        for (int i = KeyHashers.spread(hash) & mask; ; i = (i + 1) & mask)
        {
            final NodeId k = keys[i];
            if (null == k)
            {
                return -1;
            }
            if (hashes[i] == hash && k.equals(id))
            {
                return slots[i];
            }
        }
    }

    /** Adds an id that is not there. */
    void put(final NodeId id, final int slot)
    {
        if (++size > (keys.length >> 1))
        {
            grow(keys.length << 1);
        }
        final NodeId[] keys = this.keys;
        final int mask = keys.length - 1;
        int i = home(id, mask);
        while (null != keys[i])
        {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
        hashes[i] = id.hashCode();
        keys[i] = id;
    }

    /** Removes an id that is there. */
    void remove(final NodeId id)
    {
        final NodeId[] keys = this.keys;
        final int[] hashes = this.hashes;
        final int mask = keys.length - 1;
        final int hash = id.hashCode();
        int hole = KeyHashers.spread(hash) & mask;
        while (hashes[hole] != hash || !keys[hole].equals(id))
        {
            hole = (hole + 1) & mask;
        }
        for (int i = (hole + 1) & mask; null != keys[i]; i = (i + 1) & mask)
        {
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            if (((i - (KeyHashers.spread(hashes[i]) & mask)) & mask) >= ((i - hole) & mask))
            {
                keys[hole] = keys[i];
                slots[hole] = slots[i];
                hashes[hole] = hashes[i];
                hole = i;
            }
        }
        keys[hole] = null;
        size--;
    }

    /**
     * For a reader racing the writer: the slot, -1, or {@link #RETRY} when the arrays were caught mid
     * change; the caller validates its sequence lock afterwards in every case.
     */
    int probe(final NodeId id)
    {
        final NodeId[] keys = this.keys;
        final int[] slots = this.slots;
        if (slots.length != keys.length)
        {
            return RETRY;
        }
        final int mask = keys.length - 1;
        for (int n = 0, i = home(id, mask); n < keys.length; n++, i = (i + 1) & mask)
        {
            final NodeId k = keys[i];
            if (null == k)
            {
                return -1;
            }
            if (k.equals(id))
            {
                return slots[i];
            }
        }
        return RETRY;
    }

    private static int home(final NodeId id, final int mask)
    {
        return KeyHashers.spread(id.hashCode()) & mask;
    }

    private void grow(final int capacity)
    {
        final NodeId[] oldKeys = keys;
        final int[] oldSlots = slots;
        final int[] oldHashes = hashes;
        final NodeId[] newKeys = new NodeId[capacity];
        final int[] newSlots = new int[capacity];
        final int[] newHashes = new int[capacity];
        final int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++)
        {
            if (null != oldKeys[j])
            {
                int i = KeyHashers.spread(oldHashes[j]) & mask;
                while (null != newKeys[i])
                {
                    i = (i + 1) & mask;
                }
                newKeys[i] = oldKeys[j];
                newSlots[i] = oldSlots[j];
                newHashes[i] = oldHashes[j];
            }
        }
        hashes = newHashes;
        slots = newSlots;
        keys = newKeys;
    }
}
