package io.peerlane.engine;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/**
 * One preallocated slot of the ring. A producer copies its mutation in (references to immutable records,
 * never a copy of their fields), the prepare stage writes the critical votes, the commit stage writes the
 * outcome and changes into {@link #result}, and the publish stage reads them. Nothing here is allocated
 * per mutation.
 */
final class MutationEvent implements Mutation
{
    /** A mutation of the registry. */
    static final byte DATA = 0;
    /** A slot claimed by a producer that found the engine closed: skipped by every stage. */
    static final byte CANCELLED = 1;
    /** The closing marker: close() waits until every stage has passed it. */
    static final byte CLOSE = 2;
    /**
     * A control event (see {@link #control}): an observer registration, removal or resync
     * ({@link RosterChange}), a {@link SnapshotRequest}, or a {@link JournalTick} for the journal stage.
     */
    static final byte CONTROL = 3;

    static final int NO_REFUSAL = Integer.MAX_VALUE;

    byte type;
    MutationKind kind;
    long time;
    PeerRecord record;
    NodeId id;
    long lastSeen;
    Batch batch;
    Ban ban;
    OutcomeWaiter waiter;
    long waiterToken;
    Object control;

    /** Per critical observer (by vote index): the first upsert op it refused, or {@link #NO_REFUSAL}. */
    final int[] refusedOp;
    final AbortCause[] refusalCause;
    /**
     * Critical observers in registration order, as the commit stage's roster stood when it decided this slot
     * (written by the commit stage, read by the publish stage to name a veto). Prepare lanes keep their own
     * roster and write only {@link #refusedOp} and {@link #refusalCause}.
     */
    ObserverHandle[] voters = ObserverHandle.NONE;

    boolean recordedVotes;
    int recordedOp;
    String recordedName;
    AbortCause recordedCause;

    final CommitResult result = new CommitResult();

    MutationEvent(final int maxObservers)
    {
        refusedOp = new int[maxObservers];
        refusalCause = new AbortCause[maxObservers];
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    @Override
    public long time()
    {
        return time;
    }

    @Override
    public PeerRecord record()
    {
        return record;
    }

    @Override
    public NodeId id()
    {
        return id;
    }

    @Override
    public long lastSeen()
    {
        return lastSeen;
    }

    @Override
    public Batch batch()
    {
        return batch;
    }

    @Override
    public Ban ban()
    {
        return ban;
    }

    @Override
    public String refusedBy(final int op)
    {
        if (recordedVotes)
        {
            return recordedOp == op ? recordedName : null;
        }
        final ObserverHandle[] voters = this.voters;
        for (final ObserverHandle voter : voters)
        {
            if (refusedOp[voter.voteIndex] == op)
            {
                return voter.name;
            }
        }
        return null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        if (recordedVotes)
        {
            return recordedOp == op ? recordedCause : null;
        }
        final ObserverHandle[] voters = this.voters;
        for (final ObserverHandle voter : voters)
        {
            if (refusedOp[voter.voteIndex] == op)
            {
                return refusalCause[voter.voteIndex];
            }
        }
        return null;
    }
}
