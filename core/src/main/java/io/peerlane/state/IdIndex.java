package io.peerlane.state;

import io.peerlane.peer.NodeId;

/**
 * Node id to slot, in flat arrays with linear probing (at most half full) and backward-shift deletion, so no
 * entry object exists and a removal leaves no tombstone marker to skip. Ids carry a per-process seeded hash,
 * so input cannot be crafted to collide. Written by the single writer; the peer table's readers probe it
 * under its sequence lock through {@link #probe}.
 * <p>
 * Each entry keeps the id itself inline, its four 64-bit words in {@code words} beside its hash in
 * {@code hashes}, not a reference to a {@link NodeId}: a probe compares hashes, then words, and never reads
 * an id object. The ids a registry holds came with records made over the node's whole life, scattered over
 * the heap; comparing against one was a cache miss to memory on every hit (JFR put 29% of the commit
 * thread's samples on that one load, with 10,000 peers). Storing no reference also means the writer's
 * stores here are no GC write barriers.
 */
final class IdIndex
{
    /** What {@link #probe} returns when it met the arrays in the middle of a change. */
    static final int RETRY = -2;

    private static final int WORDS = 4;

    /** The id's words, {@link #WORDS} per entry. */
    private long[] words;
    private int[] hashes;
    /** The slot plus one; 0 marks an empty entry. */
    private int[] slots;
    private int size;

    IdIndex(final int capacity)
    {
        words = new long[capacity * WORDS];
        hashes = new int[capacity];
        slots = new int[capacity];
    }

    int size()
    {
        return size;
    }

    /** @return the slot of an id, or -1. */
    int get(final NodeId id)
    {
        final int[] slots = this.slots;
        final int[] hashes = this.hashes;
        final long[] words = this.words;
        final int mask = slots.length - 1;
        final int hash = id.hashCode();
        for (int i = KeyHashers.spread(hash) & mask; ; i = (i + 1) & mask)
        {
            final int slot = slots[i];
            if (0 == slot)
            {
                return -1;
            }
            if (hashes[i] == hash && holds(words, i, id))
            {
                return slot - 1;
            }
        }
    }

    /** Adds an id that is not there. */
    void put(final NodeId id, final int slot)
    {
        if (++size > (slots.length >> 1))
        {
            grow(slots.length << 1);
        }
        final int[] slots = this.slots;
        final int mask = slots.length - 1;
        int i = KeyHashers.spread(id.hashCode()) & mask;
        while (0 != slots[i])
        {
            i = (i + 1) & mask;
        }
        hashes[i] = id.hashCode();
        final int at = i * WORDS;
        for (int w = 0; w < WORDS; w++)
        {
            words[at + w] = id.word(w);
        }
        slots[i] = slot + 1;
    }

    /** Removes an id that is there. */
    void remove(final NodeId id)
    {
        final int[] slots = this.slots;
        final int[] hashes = this.hashes;
        final long[] words = this.words;
        final int mask = slots.length - 1;
        final int hash = id.hashCode();
        int hole = KeyHashers.spread(hash) & mask;
        while (hashes[hole] != hash || !holds(words, hole, id))
        {
            hole = (hole + 1) & mask;
        }
        for (int i = (hole + 1) & mask; 0 != slots[i]; i = (i + 1) & mask)
        {
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            if (((i - (KeyHashers.spread(hashes[i]) & mask)) & mask) >= ((i - hole) & mask))
            {
                System.arraycopy(words, i * WORDS, words, hole * WORDS, WORDS);
                hashes[hole] = hashes[i];
                slots[hole] = slots[i];
                hole = i;
            }
        }
        slots[hole] = 0;
        size--;
    }

    /**
     * For a reader racing the writer: the slot, -1, or {@link #RETRY} when the arrays were caught mid
     * change; the caller validates its sequence lock afterwards in every case.
     */
    int probe(final NodeId id)
    {
        final int[] slots = this.slots;
        final long[] words = this.words;
        if (words.length != slots.length * WORDS)
        {
            return RETRY;
        }
        final int mask = slots.length - 1;
        for (int n = 0, i = KeyHashers.spread(id.hashCode()) & mask; n < slots.length; n++, i = (i + 1) & mask)
        {
            final int slot = slots[i];
            if (0 == slot)
            {
                return -1;
            }
            if (holds(words, i, id))
            {
                return slot - 1;
            }
        }
        return RETRY;
    }

    /** @return whether the entry at {@code i} holds the id's four words. */
    private static boolean holds(final long[] words, final int i, final NodeId id)
    {
        final int at = i * WORDS;
        return words[at] == id.word(0) && words[at + 1] == id.word(1) && words[at + 2] == id.word(2) &&
            words[at + 3] == id.word(3);
    }

    private void grow(final int capacity)
    {
        final long[] oldWords = words;
        final int[] oldHashes = hashes;
        final int[] oldSlots = slots;
        final long[] newWords = new long[capacity * WORDS];
        final int[] newHashes = new int[capacity];
        final int[] newSlots = new int[capacity];
        final int mask = capacity - 1;
        for (int j = 0; j < oldSlots.length; j++)
        {
            if (0 != oldSlots[j])
            {
                int i = KeyHashers.spread(oldHashes[j]) & mask;
                while (0 != newSlots[i])
                {
                    i = (i + 1) & mask;
                }
                System.arraycopy(oldWords, j * WORDS, newWords, i * WORDS, WORDS);
                newHashes[i] = oldHashes[j];
                newSlots[i] = oldSlots[j];
            }
        }
        // A racing reader checks the lengths of words against slots; the sequence lock validates the rest.
        hashes = newHashes;
        words = newWords;
        slots = newSlots;
    }
}
