package io.peerlane.state;

import java.util.Arrays;

/**
 * The inverse of every change a batch made, in order, so that a failed batch is undone by walking it
 * backwards: this is what makes a batch all or nothing (evictions, tombstones and rate counts included)
 * without copying the state. Entries are kept in parallel arrays that are reused from batch to batch, so
 * logging allocates nothing once the arrays have grown to the largest batch seen.
 */
final class UndoLog
{
    /** A peer was added: the entry holds its id. */
    static final byte ADDED = 1;
    /** A peer was removed: the record, its lastSeen and firstSeen. */
    static final byte REMOVED = 2;
    /** A live peer's record or lastSeen changed: the previous record and lastSeen. */
    static final byte REPLACED = 3;
    /** A tombstone was made, replaced or dropped: the id, and the previous version and madeAt (-1: none). */
    static final byte TOMBSTONE = 4;
    /** The global rate window's count changed: its previous count. */
    static final byte GLOBAL_RATE = 5;
    /** A DID's rate window count changed: the DID and its previous count. */
    static final byte DID_RATE = 6;

    private boolean active;
    private byte[] kinds = new byte[64];
    private Object[] refs = new Object[64];
    private long[] first = new long[64];
    private long[] second = new long[64];
    private int size;

    /** Starts logging, for one batch. */
    void open()
    {
        active = true;
        size = 0;
    }

    /** Stops logging and lets go of what the log referenced. */
    void close()
    {
        active = false;
        Arrays.fill(refs, 0, size, null);
        size = 0;
    }

    boolean isActive()
    {
        return active;
    }

    void log(final byte kind, final Object ref, final long first, final long second)
    {
        if (!active)
        {
            return;
        }
        if (size == kinds.length)
        {
            final int n = size << 1;
            kinds = Arrays.copyOf(kinds, n);
            refs = Arrays.copyOf(refs, n);
            this.first = Arrays.copyOf(this.first, n);
            this.second = Arrays.copyOf(this.second, n);
        }
        kinds[size] = kind;
        refs[size] = ref;
        this.first[size] = first;
        this.second[size] = second;
        size++;
    }

    /** Stops logging, so that undoing logs nothing; entries stay readable until {@link #close()}. */
    void suspend()
    {
        active = false;
    }

    int size()
    {
        return size;
    }

    byte kind(final int i)
    {
        return kinds[i];
    }

    Object ref(final int i)
    {
        return refs[i];
    }

    long first(final int i)
    {
        return first[i];
    }

    long second(final int i)
    {
        return second[i];
    }
}
