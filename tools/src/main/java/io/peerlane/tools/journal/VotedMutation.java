package io.peerlane.tools.journal;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;
import io.peerlane.trace.ValidatorKeyVote;

/**
 * An op with the built-in {@code validator-set} vote decided by {@link ValidatorKeyVote}: what a single-threaded
 * recording commits, and what the journal then records as the op's votes. Reused for every op of a run.
 */
public final class VotedMutation implements Mutation
{
    private final ValidatorKeyVote vote;
    private Mutation op;

    /** @param vote the vote of the recording's {@code authorizedValidatorKeys}. */
    public VotedMutation(final ValidatorKeyVote vote)
    {
        this.vote = vote;
    }

    /** @param op the op to vote on. @return this, wrapping it. */
    public VotedMutation wrap(final Mutation op)
    {
        this.op = op;
        return this;
    }

    @Override
    public MutationKind kind()
    {
        return op.kind();
    }

    @Override
    public long time()
    {
        return op.time();
    }

    @Override
    public PeerRecord record()
    {
        return op.record();
    }

    @Override
    public NodeId id()
    {
        return op.id();
    }

    @Override
    public long lastSeen()
    {
        return op.lastSeen();
    }

    @Override
    public Batch batch()
    {
        return op.batch();
    }

    @Override
    public Ban ban()
    {
        return op.ban();
    }

    @Override
    public String refusedBy(final int index)
    {
        if (op.kind() == MutationKind.UPSERT)
        {
            return index == 0 ? vote.refusedBy(op.record()) : null;
        }
        final Batch batch = op.batch();
        return null != batch && index >= 0 && index < batch.size() && batch.isUpsert(index) ?
            vote.refusedBy(batch.record(index)) : null;
    }

    @Override
    public AbortCause refusalCause(final int index)
    {
        return null == refusedBy(index) ? null : AbortCause.VETO;
    }
}
