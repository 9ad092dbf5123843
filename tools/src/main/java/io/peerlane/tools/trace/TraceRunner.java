package io.peerlane.tools.trace;

import io.peerlane.digest.CanonicalJson;
import io.peerlane.digest.StateDigest;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

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
        final VotedMutation voted = new VotedMutation(ValidatorKeyVote.of(trace.settings()));
        final CommitResult result = new CommitResult();
        final RegistryEvent event = new RegistryEvent();
        final StringBuilder line = new StringBuilder(512);
        final List<MutationValue> ops = trace.ops();
        for (int i = 0; i < ops.size(); i++)
        {
            registry.commit(voted.wrap(ops.get(i)), i, result);
            line.setLength(0);
            outcomes.append(CanonicalJson.outcome(line, trace.line(i), result).append('\n'));
            for (int e = 0; e < result.lineCount(); e++)
            {
                line.setLength(0);
                events.append(CanonicalJson.event(line, event.wrap(result, e)).append('\n'));
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
}
