package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.state.RegistryState;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The single writer. It is the only code that changes registry state: it applies TRACE.md's rules to each
 * mutation with the votes the prepare stage wrote, stamps the outcome into the slot, publishes the new
 * read view, and then wakes the producer that awaits this outcome (so the producer reads its own write).
 */
final class CommitStage implements EventHandler<MutationEvent>
{
    final StageActivity activity = new StageActivity("commit");
    final AtomicLong listenerFailures = new AtomicLong();
    private final RegistryState registry;
    private final OutcomeListener listener;
    private ObserverHandle[] voters = ObserverHandle.NONE;

    CommitStage(final RegistryState registry, final OutcomeListener listener)
    {
        this.registry = registry;
        this.listener = listener;
    }

    @Override
    public void onStart()
    {
        Thread.currentThread().setName("peerlane-commit");
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        commit(event, sequence);
    }

    void commit(final MutationEvent event, final long sequence)
    {
        switch (event.type)
        {
            case MutationEvent.DATA:
                event.voters = voters;
                registry.commit(event, sequence, event.result);
                event.view = registry.view();
                if (null != listener)
                {
                    try
                    {
                        listener.onCommit(sequence, event, event.result);
                    }
                    catch (final Throwable ex)
                    {
                        ObserverHandle.increment(listenerFailures);
                    }
                }
                break;
            case MutationEvent.CONTROL:
                final RosterChange change = (RosterChange)event.control;
                change.snapshot = registry.view();
                if (change.handle.isCritical())
                {
                    voters = change.apply(voters);
                }
                break;
            default:
                break;
        }
        final OutcomeWaiter waiter = event.waiter;
        if (null != waiter)
        {
            waiter.complete(event.waiterToken, sequence, event.type == MutationEvent.DATA ? event.result : null);
        }
    }
}
