package io.peerlane.state;

import io.peerlane.peer.NodeId;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A map from {@link NodeId} to a value, for one thread (or a caller that holds its own lock), whose lookups
 * never read a key object: the registry's own {@link IdIndex} (ids inline, hash-filtered linear probing,
 * backward-shift deletion) maps each id to a slot, and the values sit in an array by slot, the slots of removed
 * ids kept on a free stack for the next new id.
 * <p>
 * Why: a map of {@code NodeId} objects (Agrona's {@code Object2ObjectHashMap}, {@code HashMap}) compares a
 * probed key by {@code equals}, a load of an id object made with some record long ago, somewhere on the heap:
 * a cache miss per lookup once the map outgrows the cache. The built-in subsystems spent 12.6% of the commit
 * thread's samples in those maps (BENCHMARKS.md, tenth session). Steady state allocates nothing: a new id takes
 * a free slot and an index entry below the index's threshold; only growth (doubling) allocates. Values may not
 * be null.
 *
 * @param <V> the value type.
 */
public final class NodeIdMap<V>
{
    /** Most ids a map holds: half the largest index whose id words still fit one array. */
    public static final int MAX_SIZE = 1 << 27;

    private static final int MIN_SLOTS = 8;

    private final IdIndex index;
    /** The value of each slot in use, null for a free slot. */
    private Object[] values;
    /** Slots below {@code highWater} that are free, a stack. */
    private int[] free;
    private int freeCount;
    /** Slots ever handed out: every slot at or above it is free. */
    private int highWater;

    /** A map sized for 8 ids before it grows. */
    public NodeIdMap()
    {
        this(MIN_SLOTS);
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
        final int slots = Math.max(MIN_SLOTS, expected);
        index = new IdIndex(Integer.highestOneBit(slots * 2 - 1) << 1);
        values = new Object[slots];
        free = new int[slots];
    }

    /** @return ids held. */
    public int size()
    {
        return index.size();
    }

    /** @return whether no id is held. */
    public boolean isEmpty()
    {
        return 0 == index.size();
    }

    /** @return the value of {@code id}, or null. */
    @SuppressWarnings("unchecked")
    public V get(final NodeId id)
    {
        final int slot = index.get(id);
        return slot < 0 ? null : (V)values[slot];
    }

    /** @return whether {@code id} is held. */
    public boolean containsKey(final NodeId id)
    {
        return index.get(id) >= 0;
    }

    /**
     * @param id    the key.
     * @param value the value, not null.
     * @return the value {@code id} had, or null.
     * @throws IllegalStateException when the map holds {@link #MAX_SIZE} ids and {@code id} is new.
     */
    @SuppressWarnings("unchecked")
    public V put(final NodeId id, final V value)
    {
        Objects.requireNonNull(value, "value");
        if (0 == freeCount && highWater == values.length)
        {
            growValues();
        }
        final int candidate = freeCount > 0 ? free[freeCount - 1] : highWater;
        final int existing = index.putIfAbsent(id, candidate);
        if (existing >= 0)
        {
            final Object previous = values[existing];
            values[existing] = value;
            return (V)previous;
        }
        if (freeCount > 0)
        {
            freeCount--;
        }
        else
        {
            highWater++;
        }
        values[candidate] = value;
        return null;
    }

    /** @return the value {@code id} had, or null when it was not held. */
    @SuppressWarnings("unchecked")
    public V remove(final NodeId id)
    {
        final int slot = index.remove(id);
        if (slot < 0)
        {
            return null;
        }
        final Object removed = values[slot];
        values[slot] = null;
        free[freeCount++] = slot;
        return (V)removed;
    }

    /** Forgets every id; keeps the arrays. */
    public void clear()
    {
        index.clear();
        Arrays.fill(values, 0, highWater, null);
        freeCount = 0;
        highWater = 0;
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
                        while (i < highWater && null == values[i])
                        {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext()
                    {
                        return next < highWater;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public V next()
                    {
                        if (next >= highWater)
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
                return index.size();
            }
        };
    }

    private void growValues()
    {
        if (values.length >= MAX_SIZE)
        {
            throw new IllegalStateException("a NodeIdMap holds at most " + MAX_SIZE + " ids");
        }
        final int slots = Math.min(MAX_SIZE, values.length << 1);
        values = Arrays.copyOf(values, slots);
        free = Arrays.copyOf(free, slots);
    }
}
