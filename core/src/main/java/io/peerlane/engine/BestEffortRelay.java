package io.peerlane.engine;

import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryView;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Carries committed events to a best-effort observer on a thread of its own, through a bounded queue a
 * ring long, so that it never slows the publish stage or the producers.
 * <p>
 * The queue has one producer, the observer's publish lane, and one consumer, the relay's thread; nothing
 * else touches it. Data leaves its last slot free, so a control item (a snapshot, STOP) always fits and
 * the producer never has to make room: when a data item would take that slot the observer has fallen a
 * ring behind, the publish lane drops its events and marks it overrun. Once the relay has drained what was
 * queued, it publishes a RESYNC control event into the ring, the same mechanism as a registration: the
 * commit stage takes the registry's view at that sequence and the publish lane queues it and stops
 * dropping. The observer is told of the overrun, gets the fresh snapshot, and goes on from the next event:
 * nothing after the snapshot is missed, nothing is given twice.
 * <p>
 * At its cut (an UNREGISTER control event, or the engine's CLOSE) the publish lane queues STOP after the
 * last event the observer is owed. The relay delivers everything before it, tells the observer of an
 * overrun it could not recover from any more, and then stops its own thread: nothing ever has to join the
 * relay's thread, so an observer may unregister itself from its own callback.
 * <p>
 * Committed events are copied, since the ring slot is reused as soon as the stages pass it, into copies
 * the relay owns and reuses: copy {@code n} is reused for item {@code n + capacity}, and the free slot the
 * queue keeps means that item can only be offered once the relay has polled past item {@code n}. A copy is
 * made the first time its place is reached, so steady-state delivery allocates nothing and the memory kept
 * grows only with the deepest backlog the observer has had.
 */
final class BestEffortRelay implements Agent
{
    private static final Object STOP = new Object();
    private static final Object STOP_AFTER_OVERRUN = new Object();
    /** Ends the relay's duty cycle; marked expected (no stack trace), so the runner does not report it. */
    private static final AgentTerminationException STOPPED =
        new AgentTerminationException("best-effort relay stopped", null, true, false, false);

    private static final int RUNNING = 0;
    private static final int DRAINED = 1;
    private static final int ABANDONED = 2;

    final ObserverHandle handle;
    private final OneToOneConcurrentArrayQueue<Object> queue;
    private final CommitResult[] copies;
    private final int copyMask;
    private final RegistryEvent flyweight = new RegistryEvent();
    private final AgentRunner runner;
    private final Predicate<ObserverHandle> resyncPublisher;
    private final Consumer<BestEffortRelay> onStopped;

    /** Written by the publish lane only. */
    private long offered;
    private long seenSeq;
    private boolean stopOffered;
    /** The seq of the last event it is owed, set when its STOP is queued. */
    private volatile long cut = -1;

    private volatile boolean overrunPending;
    private volatile boolean resyncRequested;
    private volatile boolean abandon;
    private volatile int status = RUNNING;

    /** The relay's thread only. */
    private long lastSeq;

    /** A snapshot to hand over: the first one, or one after an overrun. */
    private static final class Snapshot
    {
        final RegistryView view;
        final boolean afterOverrun;

        Snapshot(final RegistryView view, final boolean afterOverrun)
        {
            this.view = view;
            this.afterOverrun = afterOverrun;
        }
    }

    BestEffortRelay(
        final ObserverHandle handle,
        final int capacity,
        final StageErrors errors,
        final Predicate<ObserverHandle> resyncPublisher,
        final Consumer<BestEffortRelay> onStopped)
    {
        this.handle = handle;
        this.resyncPublisher = resyncPublisher;
        this.onStopped = onStopped;
        this.queue = new OneToOneConcurrentArrayQueue<>(capacity);
        this.copies = new CommitResult[queue.capacity()];
        this.copyMask = copies.length - 1;
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000), errors::record, null, this);
    }

    void start(final ThreadFactory threads)
    {
        AgentRunner.startOnThread(runner, threads);
    }

    /** @return whether the relay's thread has stopped, at its cut or abandoned. */
    boolean stopped()
    {
        return status != RUNNING;
    }

    /** @return the event seq of the last event it is owed, once its STOP is queued; else -1. */
    long cut()
    {
        return cut;
    }

    /** @return whether the relay stopped at its cut, having delivered everything before it. */
    boolean drained()
    {
        return status == DRAINED;
    }

    /**
     * Tells the relay to stop before its next item, whatever is still queued; for a close whose timeout
     * ran out. A callback that is running finishes first.
     */
    void abandon()
    {
        abandon = true;
    }

    // Publish-lane side (one thread).

    void registered(final RegistryView snapshot)
    {
        seenSeq = snapshot.eventSeq();
        // A new relay's queue is empty.
        if (!queue.offer(new Snapshot(snapshot, false)))
        {
            throw new IllegalStateException("best-effort queue of '" + handle.name + "' is full at registration");
        }
    }

    /**
     * At the observer's cut (its UNREGISTER, or the engine's CLOSE): the relay delivers what it holds and
     * stops. The slot data leaves free takes the STOP.
     */
    void stop()
    {
        if (stopOffered)
        {
            return;
        }
        stopOffered = true;
        cut = seenSeq;
        if (!queue.offer(overrunPending ? STOP_AFTER_OVERRUN : STOP))
        {
            throw new IllegalStateException("best-effort queue of '" + handle.name + "' has no room for STOP");
        }
    }

    /** At the RESYNC control event: the view as of it; events from the next one on are delivered again. */
    void resync(final RegistryView snapshot)
    {
        if (stopOffered)
        {
            return;
        }
        // The relay asked for this only once it had drained the queue, and nothing is queued while overrun.
        if (!queue.offer(new Snapshot(snapshot, true)))
        {
            resyncRequested = false;
            return;
        }
        overrunPending = false;
        resyncRequested = false;
        handle.state = ObserverHandle.State.ACTIVE;
        ObserverHandle.increment(handle.resyncs);
        bestEffortEvent(false, snapshot.eventSeq());
    }

    /**
     * A JFR event for an overrun or a resync, when a recording asks for it: the enabled check comes first, so an
     * observer that overruns again and again with no recording allocates nothing here.
     */
    private void bestEffortEvent(final boolean overrun, final long eventSeq)
    {
        if (!io.peerlane.metrics.BestEffortEvent.enabled())
        {
            return;
        }
        final io.peerlane.metrics.BestEffortEvent event = new io.peerlane.metrics.BestEffortEvent();
        if (event.shouldCommit())
        {
            event.observer = handle.name;
            event.overrun = overrun;
            event.eventSeq = eventSeq;
            event.commit();
        }
    }

    void offer(final MutationEvent event)
    {
        final CommitResult result = event.result;
        final int lines = result.lineCount();
        if (lines == 0)
        {
            return;
        }
        seenSeq = result.firstEventSeq() + lines - 1;
        if (overrunPending)
        {
            return;
        }
        if (queue.remainingCapacity() <= 1)
        {
            overrun();
            return;
        }
        final int index = (int)(offered & copyMask);
        CommitResult copy = copies[index];
        if (null == copy)
        {
            copy = new CommitResult();
            copies[index] = copy;
        }
        copy.copyFrom(result);
        if (!queue.offer(copy))
        {
            overrun();
            return;
        }
        offered++;
    }

    private void overrun()
    {
        overrunPending = true;
        handle.state = ObserverHandle.State.OVERRUN;
        ObserverHandle.increment(handle.overruns);
        bestEffortEvent(true, handle.lastEventSeq.get());
    }

    // The relay's own thread.

    @Override
    public int doWork()
    {
        if (abandon)
        {
            finish(ABANDONED);
        }
        final Object item = queue.poll();
        if (null == item)
        {
            if (overrunPending && !resyncRequested)
            {
                // Set before the RESYNC is published: its publish lane may take it, and clear the flag, before
                // the publish returns here.
                resyncRequested = true;
                boolean published = false;
                try
                {
                    published = resyncPublisher.test(handle);
                }
                finally
                {
                    if (!published)
                    {
                        resyncRequested = false;
                    }
                }
            }
            return 0;
        }
        if (item == STOP || item == STOP_AFTER_OVERRUN)
        {
            if (item == STOP_AFTER_OVERRUN)
            {
                try
                {
                    handle.observer.onOverrun(lastSeq);
                }
                catch (final Throwable ex)
                {
                    handle.countFault(handle.failures, ex);
                }
            }
            handle.cutDelivered = true;
            finish(DRAINED);
        }
        if (item instanceof Snapshot)
        {
            final Snapshot snapshot = (Snapshot)item;
            try
            {
                if (snapshot.afterOverrun)
                {
                    handle.observer.onOverrun(lastSeq);
                }
                handle.observer.onSnapshot(snapshot.view);
            }
            catch (final Throwable ex)
            {
                handle.countFault(handle.failures, ex);
            }
            lastSeq = snapshot.view.eventSeq();
            handle.lastEventSeq.lazySet(lastSeq);
            return 1;
        }
        final CommitResult result = (CommitResult)item;
        long start = System.nanoTime();
        for (int line = 0, lines = result.lineCount(); line < lines; line++)
        {
            flyweight.wrap(result, line);
            try
            {
                handle.observer.onEvent(flyweight);
            }
            catch (final Throwable ex)
            {
                handle.countFault(handle.failures, ex);
            }
            final long end = System.nanoTime();
            handle.eventNanos.recordValue(end - start);
            start = end;
            lastSeq = flyweight.seq();
        }
        handle.delivered.getAndAddRelease(result.lineCount());
        handle.lastEventSeq.lazySet(lastSeq);
        return 1;
    }

    private void finish(final int how)
    {
        status = how;
        onStopped.accept(this);
        throw STOPPED;
    }

    @Override
    public String roleName()
    {
        return "peerlane-best-effort-" + handle.name;
    }
}
