package io.peerlane.tools.journal;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.RegistrySettings;
import io.peerlane.state.RegistryState;
import io.peerlane.state.RegistryView;
import io.peerlane.journal.JournalException;
import io.peerlane.tools.ExitCodes;
import io.peerlane.tools.ToolException;
import io.peerlane.tools.output.OutputDirectory;
import io.peerlane.tools.output.WriteFailure;
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
    private final OutputDirectory output;
    private long records;
    private long time;

    private JournalRecorder(final OutputDirectory output, final RegistrySettings settings, final long segmentLength)
    {
        this.output = output;
        registry = new RegistryState(settings, List.of());
        voted = new VotedMutation(ValidatorKeyVote.of(settings));
        writer = JournalWriter.open(new JournalWriter.Context()
            .directory(output.temporary())
            .segmentLength(segmentLength)
            .forcePolicy(ForcePolicy.EVERY_BATCH)
            .epochClock(() -> time));
    }

    /**
     * @param directory     where the journal goes: missing or empty.
     * @param settings      the settings to record with.
     * @param segmentLength bound of a segment file in bytes.
     * @return the recorder, writing into a temporary directory beside {@code directory} until {@link #commit()}.
     * @throws ToolException a usage error when the directory is not empty or is a file; a failure (exit 1)
     *                       when it cannot be written.
     */
    public static JournalRecorder create(final Path directory, final RegistrySettings settings, final long segmentLength)
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
            catch (final IOException ex)
            {
                throw new ToolException(ExitCodes.FAILURE, WriteFailure.of(directory, ex).getMessage());
            }
        }
        final OutputDirectory output;
        try
        {
            output = OutputDirectory.create(directory);
        }
        catch (final WriteFailure ex)
        {
            throw new ToolException(ExitCodes.FAILURE, ex.getMessage());
        }
        try
        {
            JournalConfig.write(output.temporary(), settings);
            return new JournalRecorder(output, settings, segmentLength);
        }
        catch (final IOException ex)
        {
            output.close();
            throw new ToolException(ExitCodes.FAILURE, WriteFailure.of(directory, ex).getMessage());
        }
        catch (final RuntimeException ex)
        {
            output.close();
            throw ex;
        }
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
        try
        {
            writer.append(sequence, result.time(), voted, result);
        }
        catch (final JournalException ex)
        {
            throw failure(ex);
        }
        records++;
        return result;
    }

    /** @return the registry as the ops recorded so far left it. */
    public RegistryView view()
    {
        return registry.view();
    }

    /** @return ops recorded so far. */
    public long records()
    {
        return records;
    }

    /**
     * Writes what is pending, forces it to the device, closes the journal (a journal of no op gets a segment
     * holding only its header) and renames it into place.
     *
     * @throws ToolException a failure (exit 1), {@code DIR: cannot write: REASON}; the target is then untouched.
     */
    public void commit()
    {
        try
        {
            writer.close();   // a writer that appended nothing leaves a header-only segment
        }
        catch (final JournalException ex)
        {
            throw failure(ex);
        }
        try
        {
            output.commit();
        }
        catch (final WriteFailure ex)
        {
            throw new ToolException(ExitCodes.FAILURE, ex.getMessage());
        }
    }

    private ToolException failure(final JournalException ex)
    {
        final Throwable cause = ex.getCause();
        final String reason = cause instanceof IOException ? WriteFailure.reason((IOException)cause) : ex.getMessage();
        return new ToolException(ExitCodes.FAILURE, output.target() + ": cannot write: " + reason);
    }

    /** Without a commit: lets go of the files and deletes the unfinished journal; the target is untouched. */
    @Override
    public void close()
    {
        try
        {
            writer.close();
        }
        catch (final JournalException ignore)
        {
            // Being dropped; the error that stopped the run is the one to report.
        }
        output.close();
    }
}
