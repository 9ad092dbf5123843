package io.peerlane.engine;

import io.peerlane.observer.Vote;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.PeerRecord;

import java.util.concurrent.locks.LockSupport;

/**
 * Runs one critical observer's votes on a thread of its own, so that in the pipelined topology a prepare
 * lane can stop waiting at the observer's deadline and go on: the vote counts as a refusal (TIMEOUT) and a
 * hung observer holds up only itself. While a vote is still running, every later vote of that observer is
 * late at once. Used only for observers that have a deadline; others vote inline on their lane.
 */
final class VoteRunner implements Runnable
{
    private final ObserverHandle handle;
    private final Thread thread;
    private volatile boolean running = true;

    private volatile PeerRecord request;
    private volatile long requestToken;
    private volatile long doneToken;
    private volatile Thread waiter;
    private volatile long busySince;
    private Vote vote;
    private Throwable error;
    private long token;

    VoteRunner(final ObserverHandle handle, final java.util.concurrent.ThreadFactory threads)
    {
        this.handle = handle;
        this.thread = threads.newThread(this);
        this.thread.setName("peerlane-vote-" + handle.name);
        this.thread.start();
    }

    /** On the prepare lane: the cause of a refusal, or null when the vote accepted in time. */
    AbortCause vote(final PeerRecord record, final long deadlineNanos)
    {
        if (null != request)
        {
            return AbortCause.TIMEOUT;
        }
        final long mine = ++token;
        waiter = Thread.currentThread();
        requestToken = mine;
        busySince = System.nanoTime();
        request = record;
        LockSupport.unpark(thread);
        while (doneToken != mine)
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                return AbortCause.TIMEOUT;
            }
            LockSupport.parkNanos(this, remaining);
        }
        if (null != error)
        {
            handle.countFault(handle.failures, error);
            return AbortCause.EXCEPTION;
        }
        return vote == Vote.ACCEPT ? null : AbortCause.VETO;
    }

    /** @return for how long the running vote has been running, in ns, or -1 when none is. */
    long busyNanos()
    {
        final long since = busySince;
        return null == request ? -1 : System.nanoTime() - since;
    }

    void close()
    {
        running = false;
        LockSupport.unpark(thread);
    }

    @Override
    public void run()
    {
        while (running)
        {
            final PeerRecord record = request;
            if (null == record)
            {
                LockSupport.park(this);
                continue;
            }
            final long mine = requestToken;
            Vote result = null;
            Throwable failure = null;
            try
            {
                result = handle.observer.vote(record);
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
            vote = result;
            error = failure;
            request = null;
            doneToken = mine;
            LockSupport.unpark(waiter);
        }
    }
}
