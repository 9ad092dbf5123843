package io.peerlane.observer;

import io.peerlane.state.Change;
import io.peerlane.state.CommitResult;

/**
 * One committed event line as observers see it: a single change (ADDED, UPDATED, REMOVED, TOUCHED), or a
 * committed batch holding its changes in order. Events are numbered from 1 in commit order by
 * {@link #seq()}.
 * <p>
 * A flyweight reused by its stage: valid only during the callback. Keep the records, not the event.
 */
public final class RegistryEvent
{
    private CommitResult result;
    private long seq;
    private int from;
    private int to;
    private boolean batch;

    /**
     * Points the flyweight at line {@code line} of a commit result.
     * <p>
     * Public for the code that delivers events without an engine, not for an observer: the engine's publish
     * lanes and best-effort relay (package {@code engine}), the trace runner of the tools, the benchmarks'
     * contenders and the subsystems' tests all drive observers with it, and none of them is in this package.
     *
     * @param result the commit result.
     * @param line   the line index, from 0 to {@link CommitResult#lineCount()} - 1.
     * @return this.
     */
    public RegistryEvent wrap(final CommitResult result, final int line)
    {
        if (this.result != result)
        {
            this.result = result;   // a reference store is a GC write barrier: skip it when nothing changes
        }
        this.seq = result.firstEventSeq() + line;
        final int batchStart = result.batchStart();
        if (batchStart >= 0 && line == batchStart)
        {
            batch = true;
            from = batchStart;
            to = result.changeCount();
        }
        else
        {
            batch = false;
            from = line;
            to = line + 1;
        }
        return this;
    }

    /** @return the event's number in commit order, from 1. */
    public long seq()
    {
        return seq;
    }

    /** @return the event time the commit stage used. */
    public long time()
    {
        return result.time();
    }

    /** @return whether this is a committed batch. */
    public boolean isBatch()
    {
        return batch;
    }

    /** @return number of changes: 1 for a single change. */
    public int changeCount()
    {
        return to - from;
    }

    /**
     * @param i from 0 to {@link #changeCount()} - 1.
     * @return the change.
     */
    public Change change(final int i)
    {
        if (i < 0 || i >= to - from)
        {
            throw new IndexOutOfBoundsException("change " + i + " of " + (to - from));
        }
        return result.change(from + i);
    }

    /** @return the only change of a single-change event (the first of a batch). */
    public Change change()
    {
        return result.change(from);
    }

    @Override
    public String toString()
    {
        return "#" + seq + (batch ? " BATCH x" + (to - from) : " " + change());
    }
}
