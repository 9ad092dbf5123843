package io.peerlane.state;

import io.peerlane.peer.PeerRecord;

import java.util.Arrays;

/**
 * A binary min-heap of records with lazy deletion, for the two orders the commit stage needs: which peer
 * expires first (oldest {@code lastSeen}, then lowest id) and which peer a newcomer may evict (worst tier,
 * then oldest {@code lastSeen}, then lowest id).
 * <p>
 * Replacing a peer's record with one of another ordering key pushes the new record and leaves the old one in
 * place (a record with the same key pushes nothing: its old entry still stands for it); the owner skips
 * entries whose key no longer matches the live record when they reach the top, and rebuilds the heap when
 * stale entries outnumber live ones. A change therefore costs one push, which for a fresh {@code lastSeen} is one
 * comparison, instead of a remove and an insert in a balanced tree with a node allocated for each.
 */
final class RecordHeap
{
    private final boolean victimOrder;
    private PeerRecord[] heap = new PeerRecord[64];
    private int size;

    RecordHeap(final boolean victimOrder)
    {
        this.victimOrder = victimOrder;
    }

    int size()
    {
        return size;
    }

    void clear()
    {
        Arrays.fill(heap, 0, size, null);
        size = 0;
    }

    PeerRecord peek()
    {
        return size == 0 ? null : heap[0];
    }

    void push(final PeerRecord record)
    {
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(record, heap[parent]))
            {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = record;
    }

    PeerRecord poll()
    {
        final PeerRecord top = heap[0];
        final PeerRecord last = heap[--size];
        heap[size] = null;
        if (size > 0)
        {
            int i = 0;
            while (true)
            {
                final int left = 2 * i + 1;
                if (left >= size)
                {
                    break;
                }
                final int right = left + 1;
                final int child = right < size && before(heap[right], heap[left]) ? right : left;
                if (!before(heap[child], last))
                {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }

    /** @return whether two records of one peer sort at the same place in this heap. */
    boolean sameKey(final PeerRecord a, final PeerRecord b)
    {
        return a.lastSeen() == b.lastSeen() && (!victimOrder || a.tier() == b.tier());
    }

    private boolean before(final PeerRecord a, final PeerRecord b)
    {
        if (victimOrder)
        {
            final int ta = a.tier().ordinal();
            final int tb = b.tier().ordinal();
            if (ta != tb)
            {
                return ta > tb;
            }
        }
        if (a.lastSeen() != b.lastSeen())
        {
            return a.lastSeen() < b.lastSeen();
        }
        return a.id().compareTo(b.id()) < 0;
    }
}
