package io.peerlane.tools.trace;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.ValidatorKeyVote;

/**
 * An op with the built-in {@code validator-set} vote decided by {@link ValidatorKeyVote}: what a single-threaded
 * recording commits, and what the journal then records as the op's votes. Reused for every op of a run.
 * <p>
 * Each op's votes are asked several times (by the commit, then by the encoder for the frame's bound and for its
 * refusals), and a vote is a lookup of the record's key; so each op's answer is worked out once per
 * {@link #wrap} and remembered, stamped with the wrap's number so that nothing is cleared between ops.
 */
public final class VotedMutation implements Mutation
{
    private final ValidatorKeyVote vote;
    private final String[] refused = new String[Limits.MAX_BATCH_OPS];
    private final int[] stamps = new int[Limits.MAX_BATCH_OPS];
    private int stamp;
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
        if (++stamp == 0)
        {
            java.util.Arrays.fill(stamps, 0);
            stamp = 1;
        }
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
        if (index >= 0 && index < stamps.length)
        {
            if (stamps[index] != stamp)
            {
                refused[index] = vote(index);
                stamps[index] = stamp;
            }
            return refused[index];
        }
        return vote(index);
    }

    private String vote(final int index)
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
