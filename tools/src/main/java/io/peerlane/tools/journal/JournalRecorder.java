package io.peerlane.tools.journal;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.RegistrySettings;
import io.peerlane.state.RegistryState;
import io.peerlane.state.RegistryView;
import io.peerlane.tools.ToolException;
import io.peerlane.trace.ValidatorKeyVote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records ops into a new journal the way a single-threaded engine would: each op goes through
 * {@link RegistryState} with the {@code validator-set} vote of {@link ValidatorKeyVote}, and is appended with
 * the outcome it got. The settings go to {@link JournalConfig#FILE_NAME} beside the segments.
 * <p>
 * Segment headers carry a creation time; here it is the event time of the op that opens the segment, not the
 * wall clock, so the same ops always give byte-identical files.
 */
public final class JournalRecorder implements AutoCloseable
{
    private final RegistryState registry;
    private final VotedMutation voted;
    private final CommitResult result = new CommitResult();
    private final JournalWriter writer;
    private long time;

    private JournalRecorder(final Path directory, final RegistrySettings settings, final long segmentLength)
    {
        registry = new RegistryState(settings, List.of());
        voted = new VotedMutation(ValidatorKeyVote.of(settings));
        writer = JournalWriter.open(new JournalWriter.Context()
            .directory(directory)
            .segmentLength(segmentLength)
            .forcePolicy(ForcePolicy.EVERY_BATCH)
            .epochClock(() -> time));
    }

    /**
     * @param directory     where the journal goes: missing or empty.
     * @param settings      the settings to record with.
     * @param segmentLength bound of a segment file in bytes.
     * @return the recorder.
     * @throws ToolException a usage error when the directory is not empty or cannot be made.
     */
    public static JournalRecorder create(final Path directory, final RegistrySettings settings, final long segmentLength)
    {
        try
        {
            if (Files.exists(directory))
            {
                if (!Files.isDirectory(directory))
                {
                    throw ToolException.usage(directory + ": exists and is not a directory");
                }
                try (Stream<Path> entries = Files.list(directory))
                {
                    if (entries.findAny().isPresent())
                    {
                        throw ToolException.usage(directory + ": is not empty; a new journal needs an empty directory");
                    }
                }
            }
            Files.createDirectories(directory);
            JournalConfig.write(directory, settings);
        }
        catch (final IOException ex)
        {
            throw ToolException.usage(directory + ": cannot create the journal directory: " + ex.getMessage());
        }
        return new JournalRecorder(directory, settings, segmentLength);
    }

    /**
     * Commits one op and appends it with its outcome.
     *
     * @param sequence greater than the previous one.
     * @param op       the op.
     * @return the outcome, valid until the next call.
     */
    public CommitResult record(final long sequence, final Mutation op)
    {
        time = op.time();
        registry.commit(voted.wrap(op), sequence, result);
        writer.append(sequence, result.time(), voted, result);
        return result;
    }

    /** @return the registry as the ops recorded so far left it. */
    public RegistryView view()
    {
        return registry.view();
    }

    /** Writes what is pending, forces it to the device and closes the journal. */
    @Override
    public void close()
    {
        writer.close();
    }
}
