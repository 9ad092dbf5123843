package io.peerlane.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.peerlane.state.RegistryState;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Close and drain, in one order: stop accepting mutations, publish the CLOSE marker, wait (within the close
 * timeout) until every stage has passed it, halt the stage threads, let the best-effort relays deliver what
 * they hold, let the vote runners go, and wait for the journal's own thread to close its writer. Past the
 * timeout it stops anyway, keeps what it gave up on for the health report, and names the stage behind.
 */
final class EngineCloser
{
    /** How long a close past its timeout still waits for the journal thread to close the writer. */
    private static final long JOURNAL_CLOSE_GRACE_NS = TimeUnit.SECONDS.toNanos(1);

    private final Duration closeTimeout;
    private final RegistryState registry;
    private final StageGraph graph;
    private final RingPublisher publisher;
    private final ObserverRoster roster;
    private final SideAgents agents;
    private final EngineMetrics metrics;
    private boolean metricsStopped;
    /** Observers close() gave up on at its timeout, with events still owed to them. */
    private volatile List<ObserverHandle> closeShortfall = List.of();
    /** Set when close() left the journal writer to a stage thread that did not stop in time. */
    private volatile boolean journalLeftOpen;

    EngineCloser(
        final EngineContext ctx,
        final RegistryState registry,
        final StageGraph graph,
        final RingPublisher publisher,
        final ObserverRoster roster,
        final SideAgents agents,
        final EngineMetrics metrics)
    {
        this.closeTimeout = ctx.closeTimeout();
        this.registry = registry;
        this.graph = graph;
        this.publisher = publisher;
        this.roster = roster;
        this.agents = agents;
        this.metrics = metrics;
    }

    /** See {@link PeerlaneEngine#close()}. */
    void close()
    {
        try
        {
            closeStages();
        }
        finally
        {
            stopMetrics();
        }
    }

    /** @return observers close() gave up on at its timeout, with events still owed to them. */
    List<ObserverHandle> closeShortfall()
    {
        return closeShortfall;
    }

    /** @return whether close() left the journal writer to a stage thread that did not stop in time. */
    boolean journalLeftOpen()
    {
        return journalLeftOpen;
    }

    /** The sampler's last sample, once every stage has stopped; the counters file is then marked stopped. */
    private void stopMetrics()
    {
        synchronized (roster.lock)
        {
            if (metricsStopped)
            {
                return;
            }
            metricsStopped = true;
        }
        agents.closeSampler();
        metrics.sample(true);
        metrics.counters.markStopped(System.currentTimeMillis());
    }

    private void closeStages()
    {
        synchronized (roster.lock)
        {
            if (publisher.closed)
            {
                return;
            }
            publisher.closed = true;
        }
        agents.closeTickers();
        if (!publisher.started)
        {
            return;
        }
        final long deadline = System.nanoTime() + closeTimeout.toNanos();
        final RingBuffer<MutationEvent> ring = graph.ring;
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        long sequence = -1;
        while (sequence < 0)
        {
            try
            {
                sequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                checkDrainDeadline(deadline);
                idle.idle();
            }
        }
        ring.get(sequence).close();
        ring.publish(sequence);
        idle.reset();
        while (ring.getMinimumGatingSequence() < sequence)
        {
            checkDrainDeadline(deadline);
            idle.idle();
        }
        graph.halt();
        // Every publish lane has passed CLOSE, so every relay holds a STOP after the last event it is owed.
        idle.reset();
        for (final BestEffortRelay relay : roster.relays())
        {
            while (!relay.stopped() && System.nanoTime() - deadline < 0)
            {
                idle.idle();
            }
        }
        abandonRelays();
        roster.closeVoteRunners();
        // The journal's thread stops at once unless it is inside a callback or a force: it gets the time left,
        // and at least the grace a close past its timeout gets.
        awaitJournalWriter(Math.max(deadline - System.nanoTime(),
            Math.min(closeTimeout.toNanos(), JOURNAL_CLOSE_GRACE_NS)));
    }

    /**
     * The journal's own thread closes the writer once halted (a close from here could unmap the segment under
     * a write still in progress there); this waits for it, and past the time leaves the writer to that thread
     * and says so in the health report.
     */
    private void awaitJournalWriter(final long timeoutNanos)
    {
        if (null != graph.journal && !graph.journal.awaitWriterClosed(timeoutNanos))
        {
            journalLeftOpen = true;
        }
    }

    /** Past the close timeout the engine stops anyway, naming the stage that held it up. */
    private void checkDrainDeadline(final long deadline)
    {
        if (System.nanoTime() - deadline > 0)
        {
            final String behind = graph.stageBehind();
            graph.halt();
            abandonRelays();
            roster.closeVoteRunners();
            // Past the deadline already: a short grace for a journal thread that is not the one behind.
            awaitJournalWriter(Math.min(closeTimeout.toNanos(), JOURNAL_CLOSE_GRACE_NS));
            throw new PublishTimeoutException("close: the stages did not drain within " + closeTimeout +
                "; " + behind + " is behind; stopped anyway", behind);
        }
    }

    /**
     * Stops the relays still running at the close deadline, after the callback each may be in, and keeps
     * what they were owed for the health report: the events committed up to now that they were not given.
     */
    private void abandonRelays()
    {
        final long cut = registry.publishedEventSeq();
        final List<ObserverHandle> shortfall = new ArrayList<>();
        for (final BestEffortRelay relay : roster.relays())
        {
            relay.handle.closeCut = cut;
            relay.abandon();
            if (!relay.drained())
            {
                shortfall.add(relay.handle);
            }
        }
        closeShortfall = List.copyOf(shortfall);
    }
}
