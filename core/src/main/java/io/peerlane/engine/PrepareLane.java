package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.PeerRecord;

/**
 * The prepare stage for one lane of critical observers: each observer votes on every upsert of the
 * mutation (every upsert op of a batch) and the lane writes, per observer, the first op it refused and
 * why. Lanes write disjoint entries of the slot, and the commit stage reads them after its barrier.
 * <p>
 * A vote depends on the record alone, never on registry state, so lanes may run ahead of commit.
 * <p>
 * A lane is a thread of its own only in the pipelined topology with {@code prepareLanes > 0}. In the compact
 * topology the compact stage runs the one lane, and in a pipelined engine with no prepare lanes (the
 * default) the commit stage runs it on its own thread just before each commit: an event then pays no
 * hand-off for votes that nobody casts, and a critical observer registered later still votes there.
 */
final class PrepareLane implements EventHandler<MutationEvent>
{
    final StageActivity activity;
    final int lane;
    /** This lane's voters; changed only by the thread that runs the lane, at a roster change. */
    volatile ObserverHandle[] voters = ObserverHandle.NONE;

    PrepareLane(final int lane, final String name)
    {
        this(lane, new StageActivity(name));
    }

    /**
     * A lane run by another stage's thread (the compact stage's, or the commit stage's in a pipelined engine
     * without prepare lanes), reporting through that stage's activity.
     */
    PrepareLane(final int lane, final StageActivity activity)
    {
        this.lane = lane;
        this.activity = activity;
    }

    @Override
    public void onStart()
    {
        Thread.currentThread().setName("peerlane-" + activity.stageName);
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type == MutationEvent.CONTROL)
        {
            event.control.onPrepare(this);
            return;
        }
        if (event.type != MutationEvent.DATA || event.recordedVotes)
        {
            return;
        }
        vote(event, voters, activity);
    }

    /** Runs the votes of {@code voters} on the event's upserts. */
    private static void vote(final MutationEvent event, final ObserverHandle[] voters, final StageActivity activity)
    {
        final MutationKind kind = event.kind();
        if (kind != MutationKind.UPSERT && kind != MutationKind.BATCH)
        {
            return;
        }
        for (final ObserverHandle voter : voters)
        {
            int refused = MutationEvent.NO_REFUSAL;
            AbortCause cause = null;
            if (voter.state == ObserverHandle.State.ACTIVE)
            {
                if (kind == MutationKind.UPSERT)
                {
                    cause = voteOne(voter, event.record(), activity);
                    refused = null == cause ? MutationEvent.NO_REFUSAL : 0;
                }
                else
                {
                    final Batch batch = event.batch();
                    for (int op = 0, n = batch.size(); op < n; op++)
                    {
                        if (batch.isUpsert(op))
                        {
                            cause = voteOne(voter, batch.record(op), activity);
                            if (null != cause)
                            {
                                refused = op;
                                break;
                            }
                        }
                    }
                }
            }
            event.refusedOp[voter.voteIndex] = refused;
            event.refusalCause[voter.voteIndex] = cause;
        }
    }

    private static AbortCause voteOne(final ObserverHandle voter, final PeerRecord record, final StageActivity activity)
    {
        final long start = System.nanoTime();
        activity.enter(voter, start);
        AbortCause cause = null;
        final VoteRunner runner = voter.voteRunner;
        if (null != runner)
        {
            cause = runner.vote(record, start + voter.deadlineNanos);
        }
        else
        {
            try
            {
                if (voter.observer.vote(record) != Vote.ACCEPT)
                {
                    cause = AbortCause.VETO;
                }
            }
            catch (final Throwable ex)
            {
                cause = AbortCause.EXCEPTION;
                voter.countFault(voter.failures, ex);
            }
        }
        activity.exit();
        final long elapsed = System.nanoTime() - start;
        voter.voteNanos.recordValue(elapsed);
        ObserverHandle.increment(voter.votes);
        if (cause != AbortCause.EXCEPTION &&
            (cause == AbortCause.TIMEOUT || (voter.deadlineNanos > 0 && elapsed > voter.deadlineNanos)))
        {
            // A late vote counts as a refusal, whatever it said: in the compact topology it is judged
            // when it returns, in the pipelined one its runner gave up at the deadline.
            cause = AbortCause.TIMEOUT;
            voter.countFault(voter.deadlineMisses, null);
            if (io.peerlane.metrics.VoteDeadlineEvent.enabled())
            {
                final io.peerlane.metrics.VoteDeadlineEvent late = new io.peerlane.metrics.VoteDeadlineEvent();
                late.observer = voter.name;
                late.elapsed = elapsed;
                late.deadline = voter.deadlineNanos;
                late.commit();
            }
        }
        else if (cause == AbortCause.VETO)
        {
            ObserverHandle.increment(voter.vetoes);
        }
        return cause;
    }
}
