package io.peerlane.tools.trace;

import io.peerlane.observer.RegistryEvent;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;
import io.peerlane.state.RegistryState;
import io.peerlane.trace.CanonicalJson;
import io.peerlane.trace.StateDigest;
import io.peerlane.trace.ValidatorKeyVote;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a {@link Trace} through {@link RegistryState} directly, without the engine, and writes TRACE.md's
 * outcome, event and state reports. It is the reference the golden files pin down and the engine is later
 * compared with.
 * <p>
 * The only observer that can change an outcome here is the built-in {@code validator-set}; its vote is
 * decided by {@link ValidatorKeyVote}, the same class the engine uses, so both refuse the same records.
 */
public final class TraceRunner
{
    private TraceRunner()
    {
    }

    /**
     * @param trace    the trace.
     * @param outcomes receives one outcome line per op.
     * @param events   receives one line per committed event.
     * @param state    receives the state lines and the digest line.
     * @return the state digest, as lowercase hex.
     * @throws IOException when a writer fails.
     */
    public static String run(final Trace trace, final Appendable outcomes, final Appendable events, final Appendable state)
        throws IOException
    {
        final RegistryState registry = new RegistryState(trace.settings(), List.of());
        final VotedOp voted = new VotedOp(ValidatorKeyVote.of(trace.settings()));
        final CommitResult result = new CommitResult();
        final RegistryEvent event = new RegistryEvent();
        final StringBuilder line = new StringBuilder(512);
        long sequence = 0;
        for (final TraceOp op : trace.ops())
        {
            registry.commit(voted.wrap(op), sequence++, result);
            line.setLength(0);
            outcomes.append(CanonicalJson.outcome(line, op.line(), result).append('\n'));
            for (int i = 0; i < result.lineCount(); i++)
            {
                line.setLength(0);
                events.append(CanonicalJson.event(line, event.wrap(result, i)).append('\n'));
            }
        }
        return new StateDigest().report(registry.view(), state);
    }

    /**
     * Runs a trace and writes the three reports as UTF-8 files.
     *
     * @param trace    the trace.
     * @param outcomes the outcome file.
     * @param events   the event file.
     * @param state    the state file.
     * @return the state digest, as lowercase hex.
     * @throws IOException when a file cannot be written.
     */
    public static String run(final Trace trace, final Path outcomes, final Path events, final Path state)
        throws IOException
    {
        try (Writer o = writer(outcomes); Writer e = writer(events); Writer s = writer(state))
        {
            return run(trace, o, e, s);
        }
    }

    private static Writer writer(final Path path) throws IOException
    {
        return new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
    }

    /** A trace op with the validator-set vote decided, reused for every op of a run. */
    private static final class VotedOp implements Mutation
    {
        private final ValidatorKeyVote vote;
        private TraceOp op;

        VotedOp(final ValidatorKeyVote vote)
        {
            this.vote = vote;
        }

        VotedOp wrap(final TraceOp op)
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
                return vote.refusedBy(op.record());
            }
            final Batch batch = op.batch();
            return null != batch && batch.isUpsert(index) ? vote.refusedBy(batch.record(index)) : null;
        }

        @Override
        public AbortCause refusalCause(final int index)
        {
            return null == refusedBy(index) ? null : AbortCause.VETO;
        }
    }
}
