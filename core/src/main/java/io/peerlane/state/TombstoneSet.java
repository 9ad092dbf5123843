package io.peerlane.state;

import io.peerlane.peer.NodeId;

import java.util.Arrays;

/**
 * Removed peers' last versions, so that replays of older records stay STALE (TRACE.md): per tombstone a
 * slot holding the id, the version and when it was made, an {@link IdIndex} from id to slot, and a
 * {@link SlotHeap} in TRACE.md's order of leaving (oldest first, then lowest id) for the time to live and
 * the cap. All flat arrays with a free list: making, replacing and dropping a tombstone allocate nothing.
 * Owned by the single writer.
 */
final class TombstoneSet
{
    private NodeId[] ids = new NodeId[64];
    private long[] versions = new long[64];
    private long[] madeAt = new long[64];
    private int[] nextFree = new int[64];
    private int freeHead = -1;
    private int highWater;
    private final IdIndex index = new IdIndex(128);
    private final SlotHeap order = new SlotHeap()
    {
        @Override
        long key(final int slot)
        {
            return madeAt[slot];
        }

        @Override
        long tie(final int slot)
        {
            return ids[slot].word(0);
        }

        @Override
        boolean tieBefore(final int a, final int b)
        {
            return ids[a].compareTo(ids[b]) < 0;
        }
    };

    int size()
    {
        return order.size();
    }

    /** @return the slot of an id's tombstone, or -1. */
    int slotOf(final NodeId id)
    {
        return index.get(id);
    }

    /** @return the version an id's tombstone holds, or -1. */
    long version(final NodeId id)
    {
        final int slot = index.get(id);
        return slot < 0 ? -1 : versions[slot];
    }

    NodeId id(final int slot)
    {
        return ids[slot];
    }

    long version(final int slot)
    {
        return versions[slot];
    }

    long madeAt(final int slot)
    {
        return madeAt[slot];
    }

    /** @return the slot of the tombstone that leaves first, or -1. */
    int oldest()
    {
        return order.peek();
    }

    /** Makes or replaces an id's tombstone. */
    void put(final NodeId id, final long version, final long madeAt)
    {
        put(index.get(id), id, version, madeAt);
    }

    /**
     * Makes or replaces an id's tombstone, for a caller that has just looked the id up.
     *
     * @param current the id's tombstone slot, {@link #slotOf} as it stands now: -1 when it has none.
     */
    void put(final int current, final NodeId id, final long version, final long madeAt)
    {
        if (current >= 0)
        {
            versions[current] = version;
            this.madeAt[current] = madeAt;
            order.changed(current);
            return;
        }
        int slot = freeHead;
        if (slot >= 0)
        {
            freeHead = nextFree[slot];
        }
        else
        {
            if (highWater == ids.length)
            {
                final int n = ids.length << 1;
                ids = Arrays.copyOf(ids, n);
                versions = Arrays.copyOf(versions, n);
                this.madeAt = Arrays.copyOf(this.madeAt, n);
                nextFree = Arrays.copyOf(nextFree, n);
            }
            slot = highWater++;
        }
        ids[slot] = id;
        versions[slot] = version;
        this.madeAt[slot] = madeAt;
        index.put(id, slot);
        order.add(slot);
    }

    /** Drops the tombstone in a slot. */
    void removeSlot(final int slot)
    {
        order.remove(slot);
        index.remove(ids[slot]);
        ids[slot] = null;
        nextFree[slot] = freeHead;
        freeHead = slot;
    }

    /** For snapshots: the slots in order of leaving. */
    int[] slotsInOrder()
    {
        final Integer[] boxed = new Integer[order.size()];
        int n = 0;
        for (int slot = 0; slot < highWater; slot++)
        {
            if (null != ids[slot])
            {
                boxed[n++] = slot;
            }
        }
        Arrays.sort(boxed, (a, b) -> order.before(a, b) ? -1 : order.before(b, a) ? 1 : 0);
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = boxed[i];
        }
        return out;
    }
}
