package io.peerlane.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that belong to the pipeline: the stage threads, the vote runners' and the best-effort relays'.
 * They run observer code, and the pipeline waits for them, so none of them may wait for an outcome or a cut
 * (that would be waiting for itself); a publish from one of them never waits for the ring either, except
 * from a relay's thread, which the ring never waits for (its queue drops instead).
 */
final class StageThreads
{
    /** Threads that run observer code: none of them may wait for an outcome or a cut. */
    private final Set<Thread> observerCode = ConcurrentHashMap.newKeySet();
    /** Best-effort relays' threads: the ring never waits for them, so they may wait for a slot. */
    private final Set<Thread> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger stages = new AtomicInteger();

    /** @return the factory of the Disruptor's stage threads. */
    ThreadFactory stageFactory()
    {
        return task ->
        {
            final Thread thread = new Thread(task, "peerlane-stage-" + stages.getAndIncrement());
            thread.setDaemon(true);
            observerCode.add(thread);
            return thread;
        };
    }

    /** A thread that runs observer code (a vote runner's). */
    Thread newObserverThread(final Runnable task)
    {
        final Thread thread = new Thread(task);
        thread.setDaemon(true);
        observerCode.add(thread);
        return thread;
    }

    /** A best-effort relay's thread: it runs observer code too, but the ring never waits for it. */
    Thread newRelayThread(final Runnable task)
    {
        final Thread thread = newObserverThread(task);
        relays.add(thread);
        return thread;
    }

    /** On a relay's own thread, after its last callback. */
    void relayStopped()
    {
        observerCode.remove(Thread.currentThread());
        relays.remove(Thread.currentThread());
    }

    /** @return whether the calling thread belongs to the pipeline. */
    boolean isStageThread()
    {
        return observerCode.contains(Thread.currentThread());
    }

    /** @return whether the calling thread belongs to the pipeline, but the ring never waits for it. */
    boolean isRelayThread()
    {
        return relays.contains(Thread.currentThread());
    }
}
