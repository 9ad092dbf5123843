package io.peerlane.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.peerlane.metrics.ProducerHeldUpEvent;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.Outcome;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The producers' side of the ring: claim a slot, fill it, publish it. Every kind of mutation and every control
 * event goes through one method ({@link #publish(SlotFill, long, Object, long, int, long, OutcomeWaiter)}),
 * in one of four modes: block while the ring is full, try and return {@link PeerlaneEngine#RING_FULL},
 * wait for a slot at most a timeout, or publish and await the outcome.
 * <p>
 * Between claim and publish only the {@link SlotFill} (stores, which cannot fail) and the engine's clock
 * run, and the slot is published in a {@code finally}: if the clock throws, or the engine closed meanwhile,
 * it is published as {@link MutationEvent#CANCELLED}, which every stage skips, so the ring never waits for a
 * sequence that nobody will publish (the Disruptor's own rule: claim, then publish in every case). Lock-free
 * and allocation-free while the ring has room; a producer that finds it full sleeps at the
 * {@link ProducerGate}. A stage thread never waits for the ring, since the ring waits
 * for it, and never awaits an outcome, since its own pipeline decides it.
 */
final class RingPublisher
{
    static final int BLOCK = 0;
    static final int TRY = 1;
    static final int TIMEOUT = 2;
    /** The event time of a mutation stamped with the engine's clock. */
    static final long NO_TIME = Long.MIN_VALUE;
    /** A control event's time: no stage reads it, and it keeps the user's clock off the control paths. */
    private static final long CONTROL_TIME = 0;

    private final RingBuffer<MutationEvent> ring;
    private final StageGraph graph;
    private final StageThreads threads;
    private final LongSupplier clock;
    private final long sequenceBase;
    private final BooleanSupplier ringHasRoom;
    private final ThreadLocal<OutcomeWaiter> waiters = new ThreadLocal<>();
    private final ThreadLocal<MutationCopy> copies = ThreadLocal.withInitial(MutationCopy::new);
    /** Set by the journal stage under STOP_PUBLISHING: every later claim throws. */
    private volatile RuntimeException journalFailure;
    /** Set by start() and close(), under the engine's lifecycle lock ({@link ObserverRoster#lock}). */
    volatile boolean started;
    volatile boolean closed;

    RingPublisher(final StageGraph graph, final StageThreads threads, final LongSupplier clock,
        final long sequenceBase)
    {
        this.ring = graph.ring;
        this.graph = graph;
        this.threads = threads;
        this.clock = clock;
        this.sequenceBase = sequenceBase;
        this.ringHasRoom = () -> ring.hasAvailableCapacity(1);
    }

    /**
     * Publishes a mutation without awaiting its outcome.
     *
     * @param fill         the kind.
     * @param time         the event time, or {@link #NO_TIME} for the clock's.
     * @param input        the kind's input.
     * @param value        the kind's number (a touch's lastSeen), else 0.
     * @param mode         {@link #BLOCK}, {@link #TRY} or {@link #TIMEOUT}.
     * @param timeoutNanos for {@link #TIMEOUT}: how long to wait for a slot.
     * @return the mutation's sequence, or {@link PeerlaneEngine#RING_FULL} in mode {@link #TRY}.
     */
    <A> long publish(
        final SlotFill<A> fill, final long time, final A input, final long value, final int mode,
        final long timeoutNanos)
    {
        final long sequence = publish(fill, time, input, value, mode, timeoutNanos, null);
        return sequence == PeerlaneEngine.RING_FULL ? sequence : sequence + sequenceBase;
    }

    /** Publishes a mutation and awaits its outcome: read-your-writes once this returns. */
    <A> Outcome publishAndWait(
        final SlotFill<A> fill, final long time, final A input, final long value, final Duration timeout)
    {
        final long timeoutNanos = InputChecks.checkTimeout(timeout);
        if (threads.isStageThread())
        {
            throw new IllegalStateException("an observer callback cannot await an outcome: it is decided by the " +
                "pipeline the callback is running on; publish without waiting instead");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        final OutcomeWaiter waiter = waiter();
        final long sequence = publish(fill, time, input, value, TIMEOUT, timeoutNanos, waiter);
        if (!await(waiter, deadline))
        {
            final String behind = graph.stageBehind();
            throw new PublishTimeoutException("outcome of sequence " + (sequence + sequenceBase) + " not decided " +
                "within " + timeout + "; " + behind + " is behind", behind);
        }
        return waiter.outcome();
    }

    /**
     * Publishes any op (one read from a trace or a journal), its inputs (user code) read once and checked before
     * the claim.
     */
    long publishMutation(final Mutation m, final MutationKind kind, final long time, final boolean recordedVotes)
    {
        final MutationCopy copy = copies.get();
        try
        {
            return publish(SlotFill.MUTATION, time, copy.read(m, kind, time, recordedVotes), 0, BLOCK, 0);
        }
        finally
        {
            copy.clear();
        }
    }

    /**
     * Puts a control event into the ring.
     *
     * @param waiter the caller's waiter, armed here, or null when nobody waits for the event to be taken.
     */
    void publishControl(final ControlEvent control, final int mode, final long timeoutNanos,
        final OutcomeWaiter waiter)
    {
        publish(SlotFill.CONTROL, CONTROL_TIME, control, 0, mode, timeoutNanos, waiter);
    }

    /**
     * For side threads (a relay asking for a resync, the journal ticker): a control event, skipped when the
     * ring is full or publishing has stopped.
     *
     * @return whether it is in the ring.
     */
    boolean tryPublishControl(final ControlEvent control)
    {
        try
        {
            return publish(SlotFill.CONTROL, CONTROL_TIME, control, 0, TRY, 0, null) != PeerlaneEngine.RING_FULL;
        }
        catch (final IllegalStateException ex)
        {
            // Closed, or publishing stopped by a journal failure: the side thread asks again while it can.
            return false;
        }
    }

    /** For the tick publisher: a tick at the clock's time, skipped when the ring is full. */
    long tryTick()
    {
        return publish(SlotFill.TICK, NO_TIME, null, 0, TRY, 0);
    }

    /** @return the calling thread's waiter, or null on a stage thread, which must not wait on its pipeline. */
    OutcomeWaiter waiterOrNull()
    {
        return threads.isStageThread() ? null : waiter();
    }

    /**
     * Awaits the event the waiter was armed for.
     *
     * @return false past the deadline; the waiter is then abandoned (a late completion cannot reach a later wait).
     */
    boolean await(final OutcomeWaiter waiter, final long deadlineNanos)
    {
        if (waiter.await(waiter.armed(), deadlineNanos))
        {
            return true;
        }
        waiters.remove();
        return false;
    }

    /** Called by the journal stage when a write failed. */
    void journalFailed(final RuntimeException error, final JournalFailurePolicy policy)
    {
        if (policy == JournalFailurePolicy.STOP_PUBLISHING)
        {
            journalFailure = error;
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /** @return the ring's cursor: the highest sequence claimed by a producer. */
    long cursor()
    {
        return ring.getCursor();
    }

    /**
     * The one way into the ring: claim, fill, publish; or cancel the slot when the clock throws or the engine
     * closed meanwhile.
     *
     * @return the ring sequence (without the engine's base), or {@link PeerlaneEngine#RING_FULL}.
     */
    private <A> long publish(
        final SlotFill<A> fill, final long time, final A input, final long value, final int mode,
        final long timeoutNanos, final OutcomeWaiter waiter)
    {
        final long sequence = claim(mode, timeoutNanos);
        if (sequence == PeerlaneEngine.RING_FULL)
        {
            return sequence;
        }
        final MutationEvent slot = ring.get(sequence);
        boolean accepted = false;
        try
        {
            fill.fill(slot, input, value);
            slot.time = time == NO_TIME ? readClock() : time;
            slot.waiter = waiter;
            slot.waiterToken = null == waiter ? 0 : waiter.arm();
            // close() may have passed this slot's place already: nothing after its CLOSE is owed an outcome.
            accepted = !closed;
        }
        finally
        {
            if (!accepted)
            {
                slot.cancel();
            }
            ring.publish(sequence);
        }
        if (!accepted)
        {
            throw new EngineClosedException("engine is closed: mutation not accepted");
        }
        return sequence;
    }

    /** The engine's clock: the only user code run between claim and publish. */
    private long readClock()
    {
        try
        {
            return clock.getAsLong();
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("the engine's clock threw " + ex + ": mutation not published (the " +
                "engine goes on)", ex);
        }
    }

    private long claim(final int mode, final long timeoutNanos)
    {
        if (closed || !started)
        {
            throw new EngineClosedException(closed ? "engine is closed: mutation not accepted" : "engine not started");
        }
        final RuntimeException journalError = journalFailure;
        if (null != journalError)
        {
            throw new IllegalStateException("the journal failed, publishing stopped (journalFailurePolicy " +
                "STOP_PUBLISHING): " + journalError.getMessage(), journalError);
        }
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            if (mode == TRY)
            {
                return PeerlaneEngine.RING_FULL;
            }
        }
        return claimSlow(mode, timeoutNanos);
    }

    private long claimSlow(final int mode, final long timeoutNanos)
    {
        if (threads.isStageThread() && !threads.isRelayThread())
        {
            throw new IllegalStateException("re-entrant publish from an observer callback found the ring full: a " +
                "stage thread never waits for the ring, since the ring waits for it; use try* and drop or retry later");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        // Off the fast path already (the ring was full); the JFR event exists only while a recording wants it.
        final ProducerHeldUpEvent heldUp = ProducerHeldUpEvent.enabled() ? new ProducerHeldUpEvent() : null;
        if (null != heldUp)
        {
            heldUp.begin();
        }
        // A producer that finds the ring full sleeps at the gate until the last stages free slots: on a
        // machine with few cores a spinning or polling producer takes the very CPU the stages need.
        while (true)
        {
            if (closed)
            {
                throw new EngineClosedException("engine is closed: mutation not accepted");
            }
            if (Thread.currentThread().isInterrupted())
            {
                // Nothing is claimed yet; the interrupt stays set for the caller.
                throw new PublishInterruptedException("interrupted while waiting for room in the ring: mutation " +
                    "not published");
            }
            try
            {
                final long claimed = ring.tryNext();
                if (null != heldUp)
                {
                    heldUp.end();
                    if (heldUp.shouldCommit())
                    {
                        heldUp.stage = graph.stageBehind();
                        heldUp.commit();
                    }
                }
                return claimed;
            }
            catch (final InsufficientCapacityException ex)
            {
                if (mode == TIMEOUT && System.nanoTime() - deadline >= 0)
                {
                    final String behind = graph.stageBehind();
                    throw new PublishTimeoutException(
                        "ring full for " + Duration.ofNanos(timeoutNanos) + ": " + behind + " is behind", behind);
                }
                graph.gate.await(ringHasRoom);
            }
        }
    }

    private OutcomeWaiter waiter()
    {
        OutcomeWaiter waiter = waiters.get();
        if (null == waiter)
        {
            waiter = new OutcomeWaiter(Thread.currentThread());
            waiters.set(waiter);
        }
        return waiter;
    }
}
