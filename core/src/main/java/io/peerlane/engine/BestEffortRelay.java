package io.peerlane.engine;

import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryView;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * Carries committed events to a best-effort observer on a thread of its own, through a bounded queue a
 * ring long, so that it never slows the publish stage or the producers.
 * <p>
 * When the queue is full the observer has fallen a ring behind: the publish stage drops its events and
 * marks it overrun. Once its thread has drained what was queued, it publishes a RESYNC control event into
 * the ring, the same mechanism as a registration: the commit stage takes the registry's view at that
 * sequence and the publish stage queues it and stops dropping. The observer is told of the overrun, gets
 * the fresh snapshot, and goes on from the next event: nothing after the snapshot is missed, nothing is
 * given twice.
 * <p>
 * Copies of the committed events are made only for best-effort observers, since the slot is reused as
 * soon as the stages pass it.
 */
final class BestEffortRelay implements Agent
{
    private static final Object STOP = new Object();

    private final ObserverHandle handle;
    private final OneToOneConcurrentArrayQueue<Object> queue;
    private final RegistryEvent flyweight = new RegistryEvent();
    private final AgentRunner runner;
    private volatile boolean overrunPending;
    private volatile boolean resyncRequested;
    private long lastSeq;
    private boolean stopped;

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

    private final java.util.function.Predicate<ObserverHandle> resyncPublisher;

    BestEffortRelay(
        final ObserverHandle handle,
        final int capacity,
        final StageErrors errors,
        final java.util.function.Predicate<ObserverHandle> resyncPublisher)
    {
        this.handle = handle;
        this.resyncPublisher = resyncPublisher;
        this.queue = new OneToOneConcurrentArrayQueue<>(capacity);
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000), errors::record, null, this);
    }

    void start(final java.util.concurrent.ThreadFactory threads)
    {
        AgentRunner.startOnThread(runner, threads);
    }

    void close()
    {
        runner.close();
    }

    // Publish-stage side (one thread).

    void registered(final RegistryView snapshot)
    {
        if (!queue.offer(new Snapshot(snapshot, false)))
        {
            throw new IllegalStateException("best-effort queue of '" + handle.name + "' is full at registration");
        }
    }

    void unregistered()
    {
        while (!queue.offer(STOP))
        {
            queue.clear();
        }
    }

    /** At the RESYNC control event: the view as of it; events from the next one on are delivered again. */
    void resync(final RegistryView snapshot)
    {
        while (!queue.offer(new Snapshot(snapshot, true)))
        {
            queue.clear();
        }
        resyncRequested = false;
        overrunPending = false;
        handle.state = ObserverHandle.State.ACTIVE;
    }

    void offer(final MutationEvent event)
    {
        if (overrunPending)
        {
            return;
        }
        final CommitResult result = event.result;
        if (result.lineCount() == 0)
        {
            return;
        }
        final CommitResult copy = new CommitResult();
        copy.copyFrom(result);
        if (!queue.offer(copy))
        {
            overrunPending = true;
            handle.state = ObserverHandle.State.OVERRUN;
            ObserverHandle.increment(handle.overruns);
        }
    }

    // The relay's own thread.

    @Override
    public int doWork()
    {
        if (stopped)
        {
            return 0;
        }
        final Object item = queue.poll();
        if (null == item)
        {
            if (overrunPending && !resyncRequested && resyncPublisher.test(handle))
            {
                resyncRequested = true;
            }
            return 0;
        }
        if (item == STOP)
        {
            stopped = true;
            return 1;
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
        handle.delivered.lazySet(handle.delivered.get() + result.lineCount());
        handle.lastEventSeq.lazySet(lastSeq);
        return 1;
    }

    @Override
    public String roleName()
    {
        return "peerlane-best-effort-" + handle.name;
    }
}
