package io.peerlane.tools.journal;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalWriter;
import io.peerlane.mutation.Mutation;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.state.RegistryView;
import io.peerlane.tools.ExitCodes;
import io.peerlane.tools.ToolException;
import io.peerlane.tools.output.OutputDirectory;
import io.peerlane.tools.output.WriteFailure;
import io.peerlane.tools.trace.VotedMutation;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
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
    /** Slots of {@link #recordAll}'s ring: ops made, committed or encoded but not yet both. */
    private static final int RING = 4096;
    private static final int MAKE_BATCH = 64;
    /** The counters of {@link #recordAll}, each on a cache line (and more) of its own. */
    private static final int COUNTER_STRIDE = 16;
    private static final int MADE = 0;
    private static final int COMMITTED = 1;
    private static final int STOP = 2;
    private static final int FAILED = 3;

    private final RegistryState registry;
    private final VotedMutation voted;
    private final CommitResult result = new CommitResult();
    private final JournalWriter writer;
    private final OutputDirectory output;
    private final ValidatorKeyVote vote;
    private long records;
    private long time;

    private JournalRecorder(final OutputDirectory output, final RegistrySettings settings, final long segmentLength)
    {
        this.output = output;
        registry = new RegistryState(settings, List.of());
        vote = ValidatorKeyVote.of(settings);
        voted = new VotedMutation(vote);
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

    /**
     * Records {@code count} ops from a source on two threads, with exactly the bytes and outcomes that
     * {@link #record} for each op in turn gives. This thread commits every op through the registry, in order;
     * a second thread makes the ops ahead of it (at most {@value #RING} ahead) and encodes each one into the
     * journal once it is committed. The split is the balance of the work: making and encoding an op each read
     * the op's objects, which the second thread built and still has in its cache, while the rules, the only
     * part that needs the state, run here. The ops, their outcomes and votes pass through a ring of
     * {@value #RING} slots, each reused only after its op was encoded; three counters (ops made, committed,
     * encoded), each written by one thread with an ordered store, hand the slots over.
     *
     * @param source      the ops, in order; called on the second thread only, once per op.
     * @param firstLine   the sequence (trace line) of the first op; each later op has the next.
     * @param count       ops to record.
     * @param done        set to the ops encoded so far, for the progress line.
     * @throws ToolException a write failure, as {@link #record} throws it; whatever the source throws, thrown
     *                       again here.
     */
    public void recordAll(final Supplier<? extends Mutation> source, final int firstLine, final long count,
        final AtomicLong done)
    {
        final Mutation[] ops = new Mutation[RING];
        final CommitResult[] results = new CommitResult[RING];
        final VotedMutation[] votes = new VotedMutation[RING];
        for (int i = 0; i < RING; i++)
        {
            results[i] = new CommitResult();
            votes[i] = new VotedMutation(vote);
        }
        final AtomicLongArray counters = new AtomicLongArray(4 * COUNTER_STRIDE);
        final Throwable[] failure = new Throwable[1];
        final Thread maker = new Thread(() ->
        {
            try
            {
                makeAndEncode(source, firstLine, count, ops, results, votes, counters, done);
            }
            catch (final Throwable ex)
            {
                failure[0] = ex;
                counters.set(FAILED * COUNTER_STRIDE, 1); // Releases the failure with it.
            }
        }, "peerlane-generate");
        maker.setDaemon(true);
        maker.start();
        try
        {
            final IdleStrategy idle = idle();
            for (long c = 0; c < count; c++)
            {
                if (counters.get(MADE * COUNTER_STRIDE) <= c)
                {
                    idle.reset();
                    while (counters.get(MADE * COUNTER_STRIDE) <= c)
                    {
                        failed(counters, failure);
                        idle.idle();
                    }
                }
                final int slot = (int)c & (RING - 1);
                registry.commit(votes[slot].wrap(ops[slot]), firstLine + c, results[slot]);
                counters.lazySet(COMMITTED * COUNTER_STRIDE, c + 1);
            }
            idle.reset();
            while (maker.isAlive())
            {
                failed(counters, failure);
                idle.idle();
            }
            failed(counters, failure);
        }
        finally
        {
            counters.set(STOP * COUNTER_STRIDE, 1);
            boolean interrupted = false;
            while (maker.isAlive())
            {
                try
                {
                    maker.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The second thread of {@link #recordAll}: makes ops into free slots, encodes the committed ones. */
    private void makeAndEncode(final Supplier<? extends Mutation> source, final int firstLine, final long count,
        final Mutation[] ops, final CommitResult[] results, final VotedMutation[] votes, final AtomicLongArray counters,
        final AtomicLong done)
    {
        final IdleStrategy idle = idle();
        long made = 0;
        long encoded = 0;
        while (encoded < count)
        {
            if (counters.get(STOP * COUNTER_STRIDE) != 0)
            {
                return;
            }
            boolean worked = false;
            final long committed = counters.get(COMMITTED * COUNTER_STRIDE);
            if (encoded < committed)
            {
                do
                {
                    final int slot = (int)encoded & (RING - 1);
                    final Mutation op = ops[slot];
                    time = op.time();
                    try
                    {
                        writer.append(firstLine + encoded, results[slot].time(), votes[slot], results[slot]);
                    }
                    catch (final JournalException ex)
                    {
                        throw failure(ex);
                    }
                    ops[slot] = null;
                    records++;
                    encoded++;
                }
                while (encoded < committed);
                done.lazySet(encoded);
                worked = true;
            }
            // Make at most a batch before looking for committed ops again, so encoding keeps up.
            int batch = 0;
            while (made < count && made - encoded < RING && batch < MAKE_BATCH)
            {
                ops[(int)made & (RING - 1)] = source.get();
                made++;
                batch++;
            }
            if (batch > 0)
            {
                counters.lazySet(MADE * COUNTER_STRIDE, made);
                worked = true;
            }
            if (worked)
            {
                idle.reset();
            }
            else
            {
                idle.idle();
            }
        }
    }

    private static void failed(final AtomicLongArray counters, final Throwable[] failure)
    {
        if (counters.get(FAILED * COUNTER_STRIDE) != 0)
        {
            final Throwable ex = failure[0];
            if (ex instanceof Error)
            {
                throw (Error)ex;
            }
            if (ex instanceof RuntimeException)
            {
                throw (RuntimeException)ex;
            }
            throw new IllegalStateException(ex);
        }
    }

    private static IdleStrategy idle()
    {
        return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
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
