package io.peerlane.state;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The live peers: one slot per peer (the producer's record by reference, the registry's {@code lastSeen}
 * and {@code firstSeen} beside it) and an open-addressing index from node id to slot, all in flat arrays
 * owned by the single writer. A change writes a few array elements in place: nothing is allocated unless
 * the table grows (by doubling), so a population that churns at a constant size makes no garbage.
 * <p>
 * Readers on other threads read the same arrays under a sequence lock: the writer makes the sequence odd
 * before it changes anything and even again once the whole op (a batch included) is done; a reader takes
 * the sequence, reads, and retries if it moved. Readers write nothing shared, so they never slow the
 * writer, and they never see half an op. Chosen by measurement on 2 cores (BENCHMARKS.md): a {@code get}
 * under a busy writer takes 71 to 82 ns at p50 (ReadPathBenchmark) and the whole commit path allocates
 * nothing, where the persistent map it replaces cost 177 to 233 bytes of path copies per mutation and
 * young-generation pauses of 14 to 19 ms every 1.3 s at 100 k ops/s. What readers give up: a view to keep
 * is now a copy made on demand ({@link RegistryState#readView()}) instead of a free by-product.
 * <p>
 * Slots are reused through a free list, so an id and its slot are bound only while the peer is live; the
 * order heaps ({@link SlotHeap}) hold slots, not records.
 */
final class PeerTable
{
    private static final VarHandle SEQ;
    private static final int MIN_CAPACITY = 64;

    static
    {
        try
        {
            SEQ = MethodHandles.lookup().findVarHandle(PeerTable.class, "seq", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // through SEQ
    private volatile long seq;

    // Slots.
    private PeerRecord[] records = new PeerRecord[MIN_CAPACITY];
    private long[] lastSeen = new long[MIN_CAPACITY];
    private long[] firstSeen = new long[MIN_CAPACITY];
    private int[] nextFree = new int[MIN_CAPACITY];
    private int freeHead = -1;
    private int highWater;
    private int size;

    private final IdIndex index = new IdIndex(MIN_CAPACITY * 2);

    // What the last finished op left, for readers.
    private long sequence = -1;
    private long eventSeq;
    private volatile long publishedSequence = -1;
    private volatile long publishedEventSeq;
    private volatile int publishedSize;

    // -----------------------------------------------------------------------------------------------------
    // The writer.

    /** Before the first change of an op. */
    void beginWrite()
    {
        SEQ.setOpaque(this, (long)SEQ.getOpaque(this) + 1);
        VarHandle.storeStoreFence();
    }

    /** After the op's last change: readers may read again, and see all of it. */
    void endWrite(final long sequence, final long eventSeq)
    {
        this.sequence = sequence;
        this.eventSeq = eventSeq;
        publishedSequence = sequence;
        publishedEventSeq = eventSeq;
        publishedSize = size;
        SEQ.setRelease(this, (long)SEQ.getOpaque(this) + 1);
    }

    int size()
    {
        return size;
    }

    /** @return one past the highest slot ever used: slots below it may hold a peer. */
    int slotLimit()
    {
        return highWater;
    }

    long sequence()
    {
        return sequence;
    }

    long eventSeq()
    {
        return eventSeq;
    }

    PeerRecord record(final int slot)
    {
        return records[slot];
    }

    long lastSeen(final int slot)
    {
        return lastSeen[slot];
    }

    long firstSeen(final int slot)
    {
        return firstSeen[slot];
    }

    /** @return the slot of a live peer, or -1. */
    int slotOf(final NodeId id)
    {
        return index.get(id);
    }

    /** Adds a peer that is not live; returns its slot. */
    int insert(final PeerRecord record, final long lastSeen, final long firstSeen)
    {
        int slot = freeHead;
        if (slot >= 0)
        {
            freeHead = nextFree[slot];
        }
        else
        {
            if (highWater == records.length)
            {
                growSlots(records.length << 1);
            }
            slot = highWater++;
        }
        records[slot] = record;
        this.lastSeen[slot] = lastSeen;
        this.firstSeen[slot] = firstSeen;
        size++;
        index.put(record.id(), slot);
        return slot;
    }

    /** Replaces a live peer's record (same id) and its {@code lastSeen}; {@code firstSeen} stays. */
    void replace(final int slot, final PeerRecord record, final long lastSeen)
    {
        records[slot] = record;
        this.lastSeen[slot] = lastSeen;
    }

    void lastSeen(final int slot, final long lastSeen)
    {
        this.lastSeen[slot] = lastSeen;
    }

    /** Removes a live peer; its slot goes back to the free list. */
    void remove(final int slot)
    {
        index.remove(records[slot].id());
        records[slot] = null;
        nextFree[slot] = freeHead;
        freeHead = slot;
        size--;
    }

    private void growSlots(final int capacity)
    {
        records = Arrays.copyOf(records, capacity);
        lastSeen = Arrays.copyOf(lastSeen, capacity);
        firstSeen = Arrays.copyOf(firstSeen, capacity);
        nextFree = Arrays.copyOf(nextFree, capacity);
    }

    // -----------------------------------------------------------------------------------------------------
    // Readers on any thread.

    /** @return the sequence of the last finished op. */
    long publishedSequence()
    {
        return publishedSequence;
    }

    /** @return the live peers after the last finished op. */
    int publishedSize()
    {
        return publishedSize;
    }

    /** @return the event seq of the last finished op. */
    long publishedEventSeq()
    {
        return publishedEventSeq;
    }

    /**
     * A lock-free lookup from any thread: the record as of one finished op, never half of one.
     *
     * @param id a node id.
     * @return the live record, or null.
     */
    PeerRecord read(final NodeId id)
    {
        for (int tries = 1; ; tries++)
        {
            final long before = (long)SEQ.getAcquire(this);
            if ((before & 1) == 0)
            {
                final PeerRecord[] records = this.records;
                final int slot = index.probe(id);
                final boolean inRange = slot < records.length;
                final PeerRecord found = slot >= 0 && inRange ? records[slot] : null;
                VarHandle.loadLoadFence();
                if ((long)SEQ.getOpaque(this) == before && slot != IdIndex.RETRY && inRange)
                {
                    return found;
                }
            }
            // An op takes a microsecond or so; a writer that was descheduled in the middle of one takes a
            // time slice, and on a small machine a spinning reader would hold the core it needs.
            if ((tries & 63) == 0)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /** A consistent copy of the live peers, or null when a change overlapped every try. */
    Copy tryCopy(final int attempts)
    {
        for (int a = 0; a < attempts; a++)
        {
            final long before = (long)SEQ.getAcquire(this);
            if ((before & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            final int limit = highWater;
            final PeerRecord[] records = this.records;
            final long[] lastSeen = this.lastSeen;
            final long[] firstSeen = this.firstSeen;
            final long sequence = this.sequence;
            final long eventSeq = this.eventSeq;
            if (limit > records.length || limit > lastSeen.length || limit > firstSeen.length)
            {
                continue;
            }
            final Copy copy = new Copy(Arrays.copyOf(records, limit), Arrays.copyOf(lastSeen, limit),
                Arrays.copyOf(firstSeen, limit), sequence, eventSeq);
            VarHandle.loadLoadFence();
            if ((long)SEQ.getOpaque(this) == before)
            {
                return copy;
            }
        }
        return null;
    }

    /** For the writer: a copy of the live peers as they are now. */
    Copy copy()
    {
        return new Copy(Arrays.copyOf(records, highWater), Arrays.copyOf(lastSeen, highWater),
            Arrays.copyOf(firstSeen, highWater), sequence, eventSeq);
    }

    /** The slot arrays as of one finished op: null records are free slots. */
    static final class Copy
    {
        final PeerRecord[] records;
        final long[] lastSeen;
        final long[] firstSeen;
        final long sequence;
        final long eventSeq;

        Copy(final PeerRecord[] records, final long[] lastSeen, final long[] firstSeen, final long sequence,
            final long eventSeq)
        {
            this.records = records;
            this.lastSeen = lastSeen;
            this.firstSeen = firstSeen;
            this.sequence = sequence;
            this.eventSeq = eventSeq;
        }
    }
}
