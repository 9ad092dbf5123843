package io.peerlane.subsystem.kademlia;

/**
 * A doubly linked list of entries in least-recently-seen order: the head is the least recently seen, the
 * tail the most recently seen. An entry is in at most one list at a time.
 * <p>
 * The links live in the entries themselves (intrusive), so adding, moving and removing allocate nothing
 * and walking the list needs no iterator.
 */
final class EntryList
{
    private Entry head;
    private Entry tail;
    private int size;

    int size()
    {
        return size;
    }

    Entry head()
    {
        return head;
    }

    Entry tail()
    {
        return tail;
    }

    void addLast(final Entry e)
    {
        e.prev = tail;
        e.next = null;
        if (null == tail)
        {
            head = e;
        }
        else
        {
            tail.next = e;
        }
        tail = e;
        size++;
    }

    void remove(final Entry e)
    {
        if (null == e.prev)
        {
            head = e.next;
        }
        else
        {
            e.prev.next = e.next;
        }
        if (null == e.next)
        {
            tail = e.prev;
        }
        else
        {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
        size--;
    }

    void moveToEnd(final Entry e)
    {
        if (tail != e)
        {
            remove(e);
            addLast(e);
        }
    }

    void clear()
    {
        head = null;
        tail = null;
        size = 0;
    }
}
