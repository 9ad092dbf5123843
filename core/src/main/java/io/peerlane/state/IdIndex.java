package io.peerlane.state;

import io.peerlane.peer.NodeId;

import java.util.Arrays;

/**
 * Node id to slot, in flat arrays with linear probing (at most half full) and backward-shift deletion, so no
 * entry object exists and a removal leaves no tombstone marker to skip. Ids carry a per-process seeded hash,
 * so input cannot be crafted to collide. Written by the single writer; the peer table's readers probe it
 * under its sequence lock through {@link #probe}.
 * <p>
 * Each entry is one {@code long} in {@code entries}, the id's hash in the high half and the slot plus one in
 * the low half (0: empty), and the id itself is kept inline, its four 64-bit words in {@code words}, not as a
 * reference to a {@link NodeId}. A probe reads one word per entry it passes and the id's words only where the
 * hash matches, and never reads an id object: the ids a registry holds came with records made over the
 * node's whole life, scattered over the heap, and comparing against one was a cache miss to memory on every
 * hit (JFR put 29% of the commit thread's samples on that load, with 10,000 peers; the hash, slot and key in
 * three arrays were three misses per hit, now two). Storing no reference also means the writer's stores here
 * are no GC write barriers. The price is memory: 40 bytes an entry (8 for the entry, 32 for the words) against
 * 12 before (key reference, slot, hash), at a load between a quarter and a half, so some 56 to 112 bytes more
 * per indexed id; the {@link NodeId} objects themselves stay alive in the records either way.
 */
final class IdIndex
{
    /** What {@link #probe} returns when it met the arrays in the middle of a change. */
    static final int RETRY = -2;

    private static final int WORDS = 4;

    /** Per entry: hash in the high 32 bits, slot plus one in the low 32; 0 for an empty entry. */
    private long[] entries;
    /** The id's words, {@link #WORDS} per entry. */
    private long[] words;
    private int size;

    IdIndex(final int capacity)
    {
        entries = new long[capacity];
        words = new long[capacity * WORDS];
    }

    int size()
    {
        return size;
    }

    /** @return the slot of an id, or -1. */
    int get(final NodeId id)
    {
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        final int hash = id.hashCode();
        for (int i = KeyHashers.spread(hash) & mask; ; i = (i + 1) & mask)
        {
            final long entry = entries[i];
            if (0 == entry)
            {
                return -1;
            }
            if ((int)(entry >>> 32) == hash && holds(words, i, id))
            {
                return slotOf(entry);
            }
        }
    }

    /** Adds an id that is not there. */
    void put(final NodeId id, final int slot)
    {
        if (++size > (entries.length >> 1))
        {
            grow(entries.length << 1);
        }
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        final int hash = id.hashCode();
        int i = KeyHashers.spread(hash) & mask;
        while (0 != entries[i])
        {
            i = (i + 1) & mask;
        }
        store(i, id, hash, slot);
    }

    private void store(final int i, final NodeId id, final int hash, final int slot)
    {
        final int at = i * WORDS;
        for (int w = 0; w < WORDS; w++)
        {
            words[at + w] = id.word(w);
        }
        entries[i] = ((long)hash << 32) | (slot + 1L);
    }

    /**
     * Adds an id unless it is there.
     *
     * @param slot the slot to give the id when it is new.
     * @return the slot the id already had, or -1 when it was added with {@code slot}.
     */
    int putIfAbsent(final NodeId id, final int slot)
    {
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        final int hash = id.hashCode();
        int i = KeyHashers.spread(hash) & mask;
        for (long entry; 0 != (entry = entries[i]); i = (i + 1) & mask)
        {
            if ((int)(entry >>> 32) == hash && holds(words, i, id))
            {
                return slotOf(entry);
            }
        }
        if (size + 1 > (entries.length >> 1))
        {
            put(id, slot);
        }
        else
        {
            size++;
            store(i, id, hash, slot);
        }
        return -1;
    }

    /** @return the slot of the id removed, or -1 when it was not there. */
    int remove(final NodeId id)
    {
        final long[] entries = this.entries;
        final long[] words = this.words;
        final int mask = entries.length - 1;
        final int hash = id.hashCode();
        int hole = KeyHashers.spread(hash) & mask;
        while (true)
        {
            final long entry = entries[hole];
            if (0 == entry)
            {
                return -1;
            }
            if ((int)(entry >>> 32) == hash && holds(words, hole, id))
            {
                break;
            }
            hole = (hole + 1) & mask;
        }
        final int removed = slotOf(entries[hole]);
        for (int i = (hole + 1) & mask; 0 != entries[i]; i = (i + 1) & mask)
        {
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            final int home = KeyHashers.spread((int)(entries[i] >>> 32)) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                System.arraycopy(words, i * WORDS, words, hole * WORDS, WORDS);
                entries[hole] = entries[i];
                hole = i;
            }
        }
        entries[hole] = 0;
        size--;
        return removed;
    }

    /** Forgets every id; keeps the arrays. */
    void clear()
    {
        Arrays.fill(entries, 0);
        size = 0;
    }

    /**
     * For a reader racing the writer: the slot, -1, or {@link #RETRY} when the arrays were caught mid
     * change; the caller validates its sequence lock afterwards in every case.
     */
    int probe(final NodeId id)
    {
        final long[] entries = this.entries;
        final long[] words = this.words;
        if (words.length != entries.length * WORDS)
        {
            return RETRY;
        }
        final int mask = entries.length - 1;
        final int hash = id.hashCode();
        for (int n = 0, i = KeyHashers.spread(hash) & mask; n < entries.length; n++, i = (i + 1) & mask)
        {
            final long entry = entries[i];
            if (0 == entry)
            {
                return -1;
            }
            if ((int)(entry >>> 32) == hash && holds(words, i, id))
            {
                return slotOf(entry);
            }
        }
        return RETRY;
    }

    private static int slotOf(final long entry)
    {
        return (int)entry - 1;
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
        final long[] oldEntries = entries;
        final long[] oldWords = words;
        final long[] newEntries = new long[capacity];
        final long[] newWords = new long[capacity * WORDS];
        final int mask = capacity - 1;
        for (int j = 0; j < oldEntries.length; j++)
        {
            final long entry = oldEntries[j];
            if (0 != entry)
            {
                int i = KeyHashers.spread((int)(entry >>> 32)) & mask;
                while (0 != newEntries[i])
                {
                    i = (i + 1) & mask;
                }
                System.arraycopy(oldWords, j * WORDS, newWords, i * WORDS, WORDS);
                newEntries[i] = entry;
            }
        }
        // A racing reader checks the lengths of words against entries; the sequence lock validates the rest.
        words = newWords;
        entries = newEntries;
    }
}
