package io.peerlane.peer;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A map from {@link NodeId} to a value, for one thread (or a caller that holds its own lock), whose probes
 * never read a key object: each entry keeps the id's hash and its four 64-bit words inline, in flat arrays,
 * with linear probing at most half full and backward-shift deletion (no tombstone marker to skip). A probe
 * compares the hash word of each entry it passes, and the id's words only where the hash matches.
 * <p>
 * Why: a map of {@code NodeId} objects (Agrona's {@code Object2ObjectHashMap}, {@code HashMap}) compares a
 * probed key by {@code equals}, a load of an id object made with some record long ago, somewhere on the heap:
 * a cache miss per lookup once the map outgrows the cache. The built-in subsystems spent 12.6% of the commit
 * thread's samples in those maps (BENCHMARKS.md, tenth session). Steady state allocates nothing: a put of a
 * new id into a map below its threshold stores into the arrays; only growth (doubling) allocates. Values may
 * not be null (a null marks an empty entry).
 *
 * @param <V> the value type.
 */
public final class NodeIdMap<V>
{
    private static final int WORDS = 4;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 28;
    /** Most ids a map holds: half its largest table, whose words still fit one array. */
    public static final int MAX_SIZE = MAX_CAPACITY >> 1;

    private int[] hashes;
    private long[] words;
    private Object[] values;
    private int size;

    /** A map sized for 8 ids before it grows. */
    public NodeIdMap()
    {
        this(MIN_CAPACITY / 2);
    }

    /**
     * @param expected ids the map holds before it first grows.
     * @throws IllegalArgumentException when {@code expected} is negative or above {@link #MAX_SIZE}.
     */
    public NodeIdMap(final int expected)
    {
        if (expected < 0 || expected > MAX_SIZE)
        {
            throw new IllegalArgumentException("expected " + expected + ": must be in [0, " + MAX_SIZE + "]");
        }
        allocate(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1));
    }

    private void allocate(final int capacity)
    {
        hashes = new int[capacity];
        words = new long[capacity * WORDS];
        values = new Object[capacity];
    }

    /** @return ids held. */
    public int size()
    {
        return size;
    }

    /** @return whether no id is held. */
    public boolean isEmpty()
    {
        return 0 == size;
    }

    /** @return the value of {@code id}, or null. */
    @SuppressWarnings("unchecked")
    public V get(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? null : (V)values[i];
    }

    /** @return whether {@code id} is held. */
    public boolean containsKey(final NodeId id)
    {
        return indexOf(id) >= 0;
    }

    /**
     * @param id    the key.
     * @param value the value, not null.
     * @return the value {@code id} had, or null.
     */
    @SuppressWarnings("unchecked")
    public V put(final NodeId id, final V value)
    {
        Objects.requireNonNull(value, "value");
        final Object[] values = this.values;
        final int mask = values.length - 1;
        final int hash = id.hashCode();
        int i = spread(hash) & mask;
        for (Object v; null != (v = values[i]); i = (i + 1) & mask)
        {
            if (hashes[i] == hash && holds(i, id))
            {
                values[i] = value;
                return (V)v;
            }
        }
        hashes[i] = hash;
        final int at = i * WORDS;
        words[at] = id.word(0);
        words[at + 1] = id.word(1);
        words[at + 2] = id.word(2);
        words[at + 3] = id.word(3);
        values[i] = value;
        if (++size > values.length >> 1)
        {
            grow();
        }
        return null;
    }

    /** @return the value {@code id} had, or null when it was not held. */
    @SuppressWarnings("unchecked")
    public V remove(final NodeId id)
    {
        int hole = indexOf(id);
        if (hole < 0)
        {
            return null;
        }
        final Object[] values = this.values;
        final Object removed = values[hole];
        final int mask = values.length - 1;
        for (int i = (hole + 1) & mask; null != values[i]; i = (i + 1) & mask)
        {
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            final int home = spread(hashes[i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                hashes[hole] = hashes[i];
                System.arraycopy(words, i * WORDS, words, hole * WORDS, WORDS);
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
        size--;
        return (V)removed;
    }

    /** Forgets every id; keeps the arrays. */
    public void clear()
    {
        Arrays.fill(values, null);
        size = 0;
    }

    /**
     * @return a view of the values, in no order, for iteration off the hot path (its iterator is an object);
     * the view follows the map, and a change to the map during an iteration ends that iteration's meaning.
     */
    public Collection<V> values()
    {
        return new AbstractCollection<>()
        {
            @Override
            public Iterator<V> iterator()
            {
                return new Iterator<>()
                {
                    private int next = advance(0);

                    private int advance(final int from)
                    {
                        int i = from;
                        while (i < values.length && null == values[i])
                        {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext()
                    {
                        return next < values.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public V next()
                    {
                        if (next >= values.length)
                        {
                            throw new NoSuchElementException();
                        }
                        final V v = (V)values[next];
                        next = advance(next + 1);
                        return v;
                    }
                };
            }

            @Override
            public int size()
            {
                return size;
            }
        };
    }

    private int indexOf(final NodeId id)
    {
        final Object[] values = this.values;
        final int mask = values.length - 1;
        final int hash = id.hashCode();
        for (int i = spread(hash) & mask; null != values[i]; i = (i + 1) & mask)
        {
            if (hashes[i] == hash && holds(i, id))
            {
                return i;
            }
        }
        return -1;
    }

    private boolean holds(final int i, final NodeId id)
    {
        final long[] words = this.words;
        final int at = i * WORDS;
        return words[at] == id.word(0) && words[at + 1] == id.word(1) && words[at + 2] == id.word(2) &&
            words[at + 3] == id.word(3);
    }

    private void grow()
    {
        final int[] oldHashes = hashes;
        final long[] oldWords = words;
        final Object[] oldValues = values;
        if (oldValues.length >= MAX_CAPACITY)
        {
            throw new IllegalStateException("a NodeIdMap holds at most " + MAX_SIZE + " ids");
        }
        allocate(oldValues.length << 1);
        final int mask = values.length - 1;
        for (int j = 0; j < oldValues.length; j++)
        {
            if (null != oldValues[j])
            {
                int i = spread(oldHashes[j]) & mask;
                while (null != values[i])
                {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[j];
                System.arraycopy(oldWords, j * WORDS, words, i * WORDS, WORDS);
                values[i] = oldValues[j];
            }
        }
    }

    private static int spread(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
