package io.peerlane.state;

import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * Counts per key (live peers per DID, upserts per DID in a rate window) in one open-addressing table with
 * linear probing and backward-shift deletion: no node per entry, no boxing, and keys hashed with the
 * per-process seed of {@link KeyHashers}, so that crafted DIDs cannot pile onto one probe run. Used by the
 * commit thread alone (its one-key hash memo is unsynchronised). A count
 * that falls to zero removes its key, so the table holds only what is live; it grows by doubling and
 * shrinks on {@link #clear()} after a burst, so memory stays bounded by what input keeps alive.
 * Owned by the single writer.
 */
final class CountIndex<K>
{
    private static final int MIN_CAPACITY = 16;

    private final KeyHashers.KeyHasher<K> hasher;
    private Object[] keys;
    private int[] counts;
    /** Each key's hash beside it: a probe dereferences a key only when the hashes match. */
    private int[] hashes;
    private int size;
    private Object lastKey;
    private int lastHash;

    CountIndex(final KeyHashers.KeyHasher<K> hasher)
    {
        this.hasher = hasher;
        this.keys = new Object[MIN_CAPACITY];
        this.counts = new int[MIN_CAPACITY];
        this.hashes = new int[MIN_CAPACITY];
    }

    int size()
    {
        return size;
    }

    /**
     * The key's hash, remembered for the last key asked: one upsert asks about the same DID object (the
     * record's) several times in a row (the device limit, then the count's get and set), and hashing a DID
     * is a loop over its characters. The same object is the same immutable key, so its hash is too.
     */
    private int hashOf(final K key)
    {
        if (key == lastKey)
        {
            return lastHash;
        }
        final int hash = hasher.hash(key);
        lastKey = key;
        lastHash = hash;
        return hash;
    }

    int get(final K key)
    {
        final int i = find(key);
        return i < 0 ? 0 : counts[i];
    }

    /** @return the key's place, or -1 - the empty place where it would go. */
    private int find(final K key)
    {
        final Object[] keys = this.keys;
        final int[] hashes = this.hashes;
        final int mask = keys.length - 1;
        final int hash = hashOf(key);
        for (int i = KeyHashers.spread(hash) & mask; ; i = (i + 1) & mask)
        {
            final Object k = keys[i];
            if (null == k)
            {
                return -1 - i;
            }
            if (hashes[i] == hash && k.equals(key))
            {
                return i;
            }
        }
    }

    /** Sets a key's count; 0 removes the key. */
    void set(final K key, final int count)
    {
        setAt(find(key), key, count);
    }

    void add(final K key, final int delta)
    {
        final int i = find(key);
        setAt(i, key, (i < 0 ? 0 : counts[i]) + delta);
    }

    /** @param i what {@link #find} gave for the key. */
    private void setAt(final int i, final K key, final int count)
    {
        if (i >= 0)
        {
            if (count == 0)
            {
                removeAt(i);
            }
            else
            {
                counts[i] = count;
            }
            return;
        }
        if (count == 0)
        {
            return;
        }
        final int empty = -1 - i;
        keys[empty] = key;
        counts[empty] = count;
        hashes[empty] = hashOf(key);
        if (++size > (keys.length >> 1))
        {
            resize(keys.length << 1);
        }
    }

    /** Drops every key; a table grown by a burst goes back to its smallest size. */
    void clear()
    {
        if (size == 0)
        {
            return;
        }
        if (keys.length > MIN_CAPACITY << 4 && size < keys.length >> 3)
        {
            keys = new Object[MIN_CAPACITY];
            counts = new int[MIN_CAPACITY];
            hashes = new int[MIN_CAPACITY];
        }
        else
        {
            Arrays.fill(keys, null);
        }
        size = 0;
    }

    /** For snapshots: every key with its count, in no order. */
    @SuppressWarnings("unchecked")
    void forEach(final ObjIntConsumer<K> visitor)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (null != keys[i])
            {
                visitor.accept((K)keys[i], counts[i]);
            }
        }
    }

    private void removeAt(final int slot)
    {
        final Object[] keys = this.keys;
        final int mask = keys.length - 1;
        int hole = slot;
        for (int i = (hole + 1) & mask; null != keys[i]; i = (i + 1) & mask)
        {
            final int home = KeyHashers.spread(hashes[i]) & mask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                keys[hole] = keys[i];
                counts[hole] = counts[i];
                hashes[hole] = hashes[i];
                hole = i;
            }
        }
        keys[hole] = null;
        counts[hole] = 0;
        size--;
    }

    private void resize(final int capacity)
    {
        final Object[] oldKeys = keys;
        final int[] oldCounts = counts;
        final int[] oldHashes = hashes;
        keys = new Object[capacity];
        counts = new int[capacity];
        hashes = new int[capacity];
        final int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++)
        {
            if (null != oldKeys[j])
            {
                int i = KeyHashers.spread(oldHashes[j]) & mask;
                while (null != keys[i])
                {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
                hashes[i] = oldHashes[j];
            }
        }
    }
}
