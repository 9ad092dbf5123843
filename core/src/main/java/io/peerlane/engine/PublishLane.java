package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryView;

/**
 * The publish stage for one lane of observers: hands every committed event line to each of its observers
 * in commit order. An observer that throws is counted and skipped; the lane goes on.
 */
final class PublishLane implements EventHandler<MutationEvent>
{
    final StageActivity activity;
    final int lane;
    private final RegistryEvent flyweight = new RegistryEvent();
    /** This lane's observers; changed only by this lane's thread, at a roster change ({@link RosterChange}). */
    volatile ObserverHandle[] observers = ObserverHandle.NONE;

    PublishLane(final int lane, final String name)
    {
        this.lane = lane;
        this.activity = new StageActivity(name);
    }

    /** Set when this stage gates the ring: it wakes producers waiting for room. */
    ProducerGate gate;

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        final ProducerGate gate = this.gate;
        if (null != gate)
        {
            gate.released(batchSize);
        }
    }

    @Override
    public void onStart()
    {
        Thread.currentThread().setName("peerlane-" + activity.stageName);
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type == MutationEvent.DATA)
        {
            deliver(event);
        }
        else if (event.type == MutationEvent.CONTROL)
        {
            event.control.onPublish(this);
        }
        else if (event.type == MutationEvent.CLOSE)
        {
            // The engine's last event: each relay delivers what it holds and stops; close() waits for them.
            for (final ObserverHandle handle : observers)
            {
                if (null != handle.relay)
                {
                    handle.relay.stop();
                }
            }
        }
    }

    /** Hands a new observer its snapshot, before any later event. */
    void snapshot(final ObserverHandle handle, final RegistryView snapshot)
    {
        activity.enter(handle, System.nanoTime());
        try
        {
            handle.observer.onSnapshot(snapshot);
        }
        catch (final Throwable ex)
        {
            handle.countFault(handle.failures, ex);
        }
        activity.exit();
        handle.lastEventSeq.lazySet(snapshot.eventSeq());
    }

    private void deliver(final MutationEvent slot)
    {
        final CommitResult result = slot.result;
        final int lines = result.lineCount();
        final ObserverHandle[] observers = this.observers;
        final RegistryEvent event = flyweight;
        // One clock read per event marks when each callback began, for a hung observer's report; the
        // callback time itself is measured on a sample of events (ObserverHandle.timeThisCallback).
        final long eventStart = System.nanoTime();
        for (final ObserverHandle handle : observers)
        {
            if (null != handle.relay)
            {
                handle.relay.offer(slot);
                continue;
            }
            if (lines == 0)
            {
                continue;
            }
            activity.enter(handle, eventStart);
            final boolean timed = handle.timeThisCallback();
            final long start = timed ? System.nanoTime() : 0;
            for (int line = 0; line < lines; line++)
            {
                event.wrap(result, line);
                try
                {
                    handle.observer.onEvent(event);
                }
                catch (final Throwable ex)
                {
                    handle.countFault(handle.failures, ex);
                }
            }
            if (timed)
            {
                handle.eventNanos.recordValue(System.nanoTime() - start);
            }
            activity.exit();
            handle.delivered.getAndAddRelease(lines);
            handle.lastEventSeq.lazySet(event.seq());
        }
    }
}
