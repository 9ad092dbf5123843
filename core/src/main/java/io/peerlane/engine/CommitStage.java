package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.state.RegistryState;

/**
 * The single writer. It is the only code that changes registry state: it applies TRACE.md's rules to each
 * mutation with the votes the prepare stage wrote, stamps the outcome into the slot, publishes the new
 * read view, and then, when no journal is configured, wakes the producer that awaits this outcome (so the
 * producer reads its own write). With a journal the journal stage wakes it instead, after the record is
 * appended and the batch end forced as the force policy says (see {@link WaiterBatch}).
 * <p>
 * In a pipelined engine without prepare lanes this stage also runs the critical votes, on its own thread,
 * just before each commit ({@link #inlinePrepare()}), as the compact stage does; a vote with a deadline then
 * goes through its {@link VoteRunner}, so a hung vote holds this stage only up to the deadline.
 */
final class CommitStage implements EventHandler<MutationEvent>
{
    /** Most events decided between two publications of the read view, so that readers never lag far. */
    static final int PUBLISH_EVERY = 256;

    final StageActivity activity = new StageActivity("commit");
    /** The engine's counters; set once before the engine starts. */
    EngineMetrics metrics;
    /** The registry this stage alone writes; control events read it here ({@link ControlEvent#onCommit}). */
    final RegistryState registry;
    private final OutcomeListener listener;
    /** Critical observers in registration order, for naming a veto; changed at roster changes, here only. */
    ObserverHandle[] voters = ObserverHandle.NONE;
    /** The votes this thread runs before each commit (a pipelined engine without prepare lanes), or null. */
    private final PrepareLane prepare;
    /** The waiters this stage completes, or null when the journal stage completes them. */
    private final WaiterBatch waiters;
    private int sincePublish;

    private final long sequenceBase;

    /**
     * @param votesInline true to run the critical votes on this stage's thread just before each commit,
     *                    when the pipeline has no prepare lane ahead of this stage.
     */
    CommitStage(final RegistryState registry, final OutcomeListener listener, final long sequenceBase,
        final boolean completesWaiters, final boolean votesInline)
    {
        this.prepare = votesInline ? new PrepareLane(0, activity) : null;
        this.waiters = completesWaiters ? new WaiterBatch() : null;
        this.registry = registry;
        this.listener = listener;
        this.sequenceBase = sequenceBase;
    }

    @Override
    public void onStart()
    {
        Thread.currentThread().setName("peerlane-commit");
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        if (null != prepare)
        {
            prepare.onEvent(event, sequence, endOfBatch);
        }
        commit(event, sequence, endOfBatch);
    }

    /** @return the prepare lane this stage runs itself, or null when prepare lanes run ahead of it. */
    PrepareLane inlinePrepare()
    {
        return prepare;
    }

    /**
     * Decides one event. Each op is one write section of the state's sequence lock, so readers see it as soon
     * as it is decided; without a journal, producers awaiting an outcome are woken at the end of each run of
     * events (and at least every {@link #PUBLISH_EVERY} events), after their op's write section, so they
     * always read their own write.
     */
    void commit(final MutationEvent event, final long ringSequence, final boolean endOfBatch)
    {
        final long sequence = ringSequence + sequenceBase;
        switch (event.type)
        {
            case MutationEvent.DATA:
                if (event.voters != voters)
                {
                    event.voters = voters;   // a GC write barrier per event otherwise
                }
                registry.commit(event, sequence, event.result);
                metrics.outcome(event.result);
                if (null != listener)
                {
                    try
                    {
                        listener.onCommit(sequence, event, event.result);
                    }
                    catch (final Throwable ex)
                    {
                        ObserverHandle.increment(metrics.listenerFailures);
                    }
                }
                break;
            case MutationEvent.CONTROL:
                event.control.onCommit(this);
                break;
            default:
                break;
        }
        if (null != waiters && null != event.waiter)
        {
            waiters.add(event, sequence);
        }
        if (endOfBatch || ++sincePublish >= PUBLISH_EVERY)
        {
            publish();
        }
    }

    private void publish()
    {
        sincePublish = 0;
        metrics.registrySize();
        if (null != waiters)
        {
            waiters.completeAll();
        }
    }
}
