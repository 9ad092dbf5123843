package io.peerlane.subsystem.validator;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PublicKey;

import java.util.Arrays;

/**
 * The validator updates of one consensus step, for {@link ValidatorSet#apply}: each entry sets one
 * validator's power (and, optionally, its key); a power of 0 removes it, as in CometBFT's
 * {@code ValidatorUpdate}. Entries are kept as given, unchecked: {@link ValidatorSet#apply} checks them all
 * and refuses the whole set, naming the entry, when one is wrong.
 * <p>
 * Reusable: {@link #clear()} and refill it for the next step. The entries live in parallel arrays that grow
 * only past the largest change set seen, so a node that applies a change set per block allocates nothing
 * for it in steady state. Not thread-safe: one producer fills it, then hands it to {@code apply}.
 */
public final class ValidatorChangeSet
{
    private NodeId[] ids;
    private PublicKey[] keys;
    private long[] powers;
    private int size;

    /** An empty change set. */
    public ValidatorChangeSet()
    {
        this(16);
    }

    /** @param capacity entries held before the arrays grow, at least 1. */
    public ValidatorChangeSet(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ids = new NodeId[capacity];
        keys = new PublicKey[capacity];
        powers = new long[capacity];
    }

    /**
     * Sets a validator's power: it joins (a key is required), changes power, or leaves (power 0).
     *
     * @param id        the validator's node id.
     * @param publicKey its key: required for a validator that joins; for a known one, null keeps its key.
     * @param power     its new voting power; 0 removes it.
     * @return this.
     */
    public ValidatorChangeSet set(final NodeId id, final PublicKey publicKey, final long power)
    {
        if (size == ids.length)
        {
            final int capacity = size * 2;
            ids = Arrays.copyOf(ids, capacity);
            keys = Arrays.copyOf(keys, capacity);
            powers = Arrays.copyOf(powers, capacity);
        }
        ids[size] = id;
        keys[size] = publicKey;
        powers[size] = power;
        size++;
        return this;
    }

    /**
     * @param id a validator that leaves: {@code set(id, null, 0)}.
     * @return this.
     */
    public ValidatorChangeSet remove(final NodeId id)
    {
        return set(id, null, 0);
    }

    /** @return this, empty, keeping its arrays. */
    public ValidatorChangeSet clear()
    {
        Arrays.fill(ids, 0, size, null);
        Arrays.fill(keys, 0, size, null);
        size = 0;
        return this;
    }

    /** @return number of entries. */
    public int size()
    {
        return size;
    }

    /** @param i entry index, 0 to size - 1. @return its id. */
    public NodeId id(final int i)
    {
        check(i);
        return ids[i];
    }

    /** @param i entry index, 0 to size - 1. @return its key, or null. */
    public PublicKey publicKey(final int i)
    {
        check(i);
        return keys[i];
    }

    /** @param i entry index, 0 to size - 1. @return its power. */
    public long power(final int i)
    {
        check(i);
        return powers[i];
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("ValidatorChangeSet[");
        for (int i = 0; i < size; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(powers[i]);
        }
        return sb.append(']').toString();
    }

    private void check(final int i)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException("entry " + i + " of " + size);
        }
    }
}
