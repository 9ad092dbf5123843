package io.peerlane.tools.replay;

import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.Outcome;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.tools.trace.Trace;
import io.peerlane.tools.trace.VotedMutation;

import java.util.List;

/**
 * A trace's ops. A trace records no outcomes; when asked for a reference, the outcomes the trace gets with
 * its own settings (as {@code TraceRunner} and {@code import} compute them) are taken as the recording, so
 * a replay with other settings reports what they change.
 */
public final class TraceSource implements ReplaySource
{
    private final Trace trace;
    private final RegistryState reference;
    private final VotedMutation voted;
    private final CommitResult result = new CommitResult();
    private int index = -1;
    private Outcome recorded;

    /**
     * @param trace     the trace.
     * @param reference whether to compute the outcomes under the trace's own settings to compare with.
     */
    public TraceSource(final Trace trace, final boolean reference)
    {
        this.trace = trace;
        this.reference = reference ? new RegistryState(trace.settings(), List.of()) : null;
        this.voted = new VotedMutation(ValidatorKeyVote.of(trace.settings()));
    }

    @Override
    public RegistrySettings settings()
    {
        return trace.settings();
    }

    @Override
    public boolean hasRecordedVotes()
    {
        return false;
    }

    @Override
    public long total()
    {
        return trace.ops().size();
    }

    @Override
    public boolean next()
    {
        if (++index >= trace.ops().size())
        {
            return false;
        }
        if (null != reference)
        {
            reference.commit(voted.wrap(current()), index, result);
            recorded = Outcome.of(index, result);
        }
        return true;
    }

    private MutationValue current()
    {
        return trace.ops().get(index);
    }

    @Override
    public Mutation mutation()
    {
        return current();
    }

    @Override
    public long label()
    {
        return trace.line(index);
    }

    @Override
    public Outcome recorded()
    {
        return recorded;
    }

    @Override
    public String labelName()
    {
        return "line";
    }

    @Override
    public String warning()
    {
        return null;
    }

    @Override
    public void close()
    {
    }
}
