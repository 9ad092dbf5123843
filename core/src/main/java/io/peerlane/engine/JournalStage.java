package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalWriter;
import io.peerlane.mutation.Batch;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.PeerRecord;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The optional journal stage: appends every decided mutation with its outcome (recorded vote refusals
 * included) to the mapped journal, and lets the writer force it at the end of each run of events as its
 * force policy says. In the compact topology the compact thread calls {@link #onEvent} inline after each
 * commit; in the pipelined one it is a lane of its own after commit, beside the publish lanes.
 * <p>
 * With a journal this stage, not the commit stage, wakes the producers awaiting outcomes: at the end of each
 * run of events, after the run's records are appended and the writer's end of batch (its force, as the
 * policy says) is done, so an awaited outcome is in the journal when its producer gets it. Runs are bounded
 * by the ring size. After a journal failure producers are still woken (their ops were decided).
 * <p>
 * A failed write, or a record the layout cannot hold (a string over
 * {@link JournalDescriptor#MAX_STRING_BYTES} UTF-8 bytes, such as a long refusal reason), is a journal
 * failure: reported at once and, by the engine's {@link JournalFailurePolicy}, it stops publishing or drops
 * the journal; the writer itself never leaves a torn or corrupt record behind, and a writer that did not
 * fail itself is closed here, so its segment is forced, cut and unmapped.
 * <p>
 * Only the thread that runs this stage touches the writer, closing it included ({@link #onShutdown}, or
 * the compact stage's); close() waits for that ({@link #awaitWriterClosed}) and never closes it from outside.
 */
final class JournalStage implements EventHandler<MutationEvent>
{
    final StageActivity activity = new StageActivity("journal");
    private final JournalWriter writer;
    private final long sequenceBase;
    private final JournalFailurePolicy policy;
    private final StageErrors errors;
    /** Where the journal goes; named by a failure before the first segment exists. */
    java.nio.file.Path journalDirectory;
    private final WaiterBatch waiters = new WaiterBatch();
    private final CountDownLatch writerClosed = new CountDownLatch(1);
    /** The writer's force count as of its last end of batch, for other threads (tests, reports). */
    private final AtomicLong forces = new AtomicLong();
    private volatile Throwable failure;
    /** The writer is no longer used: failed, dropped or closed. This stage's thread only. */
    private boolean dropped;

    JournalStage(
        final JournalWriter writer,
        final long sequenceBase,
        final JournalFailurePolicy policy,
        final StageErrors errors)
    {
        this.writer = writer;
        this.sequenceBase = sequenceBase;
        this.policy = policy;
        this.errors = errors;
    }

    /** Set when this stage gates the ring: it wakes producers waiting for room. */
    ProducerGate gate;
    /** The engine's counters; set once before the engine starts. */
    EngineMetrics metrics;
    /** Told of a failure (it may stop publishing, by the policy); set once before the engine starts. */
    RingPublisher publisher;

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        final ProducerGate gate = this.gate;
        if (null != gate)
        {
            gate.released(batchSize);
        }
    }

    @Override
    public void onStart()
    {
        Thread.currentThread().setName("peerlane-journal");
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!dropped)
        {
            try
            {
                if (event.type == MutationEvent.DATA)
                {
                    writer.append(sequence + sequenceBase, event.result.time(), event, event.result);
                    metrics.journalRecords.incrementRelease();
                }
                if (endOfBatch)
                {
                    writer.endOfBatch();
                    metrics.journalBytes.setRelease(writer.bytesWritten());
                    metrics.journalForceNanos.setRelease(writer.forceNanos());
                    forces.lazySet(writer.forceCount());
                }
            }
            catch (final RuntimeException ex)
            {
                failed(event, sequence + sequenceBase, ex);
            }
        }
        if (null != event.waiter)
        {
            waiters.add(event, sequence + sequenceBase);
        }
        if (endOfBatch)
        {
            waiters.completeAll();
        }
    }

    private void failed(final MutationEvent event, final long sequence, final RuntimeException cause)
    {
        final RuntimeException ex = cause instanceof IllegalArgumentException ?
            new JournalException("sequence " + sequence + " cannot be journalled: " + oversized(event) + " (" +
                cause.getMessage() + ")", null != writer.currentFile() ? writer.currentFile() : journalDirectory, -1,
                cause) : cause;
        metrics.journalErrors.incrementRelease();
        final io.peerlane.metrics.JournalFailureEvent failed = new io.peerlane.metrics.JournalFailureEvent();
        if (failed.shouldCommit())
        {
            failed.sequence = sequence;
            failed.policy = policy.name();
            failed.error = ex.toString();
            failed.commit();
        }
        dropped = true;
        if (!writer.failed())
        {
            // Not stopped by its own failure: force, cut and unmap what it holds, here on its own thread.
            try
            {
                writer.close();
            }
            catch (final RuntimeException closing)
            {
                ex.addSuppressed(closing);
            }
        }
        failure = ex;
        errors.record(ex);
        publisher.journalFailed(ex, policy);
    }

    /** Off the hot path: names the string of the record that the layout cannot hold. */
    private static String oversized(final MutationEvent event)
    {
        final int limit = JournalDescriptor.MAX_STRING_BYTES;
        final String reason = event.result.reason();
        if (utf8(reason) > limit)
        {
            return "the outcome's reason is " + utf8(reason) + " UTF-8 bytes, over the limit of " + limit;
        }
        if (null != event.ban && utf8(event.ban.value()) > limit)
        {
            return "the ban's value is " + utf8(event.ban.value()) + " UTF-8 bytes, over the limit of " + limit;
        }
        String found = oversized(event.record(), limit);
        final Batch batch = event.batch();
        if (null == found && null != batch)
        {
            for (int i = 0; i < batch.size() && null == found; i++)
            {
                found = batch.isUpsert(i) ? oversized(batch.record(i), limit) : null;
            }
        }
        return null != found ? found : "a string (a refusing observer's name, say) is over the limit of " + limit +
            " UTF-8 bytes";
    }

    private static String oversized(final PeerRecord r, final int limit)
    {
        if (null == r)
        {
            return null;
        }
        if (utf8(r.did()) > limit)
        {
            return "the record's did is " + utf8(r.did()) + " UTF-8 bytes, over the limit of " + limit;
        }
        if (utf8(r.device()) > limit)
        {
            return "the record's device is " + utf8(r.device()) + " UTF-8 bytes, over the limit of " + limit;
        }
        for (final Endpoint e : r.endpoints())
        {
            if (utf8(e.address()) > limit)
            {
                return "an endpoint's address is " + utf8(e.address()) + " UTF-8 bytes, over the limit of " + limit;
            }
        }
        return null;
    }

    private static int utf8(final String s)
    {
        return null == s ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void onShutdown()
    {
        closeWriter();
    }

    /** On the stage's own thread only, once it has stopped: closes the writer and lets close() go on. */
    void closeWriter()
    {
        try
        {
            waiters.completeAll();   // none in practice: halting waits for a run's end
            if (!dropped)
            {
                dropped = true;
                try
                {
                    writer.close();
                }
                catch (final RuntimeException ex)
                {
                    failure = ex;
                    errors.record(ex);
                }
                forces.lazySet(writer.forceCount());
            }
        }
        finally
        {
            writerClosed.countDown();
        }
    }

    /**
     * For close(): waits until the stage's thread has closed the writer.
     *
     * @return false when it has not within the time; the writer is then left to that thread.
     */
    boolean awaitWriterClosed(final long timeoutNanos)
    {
        try
        {
            return writerClosed.await(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return writerClosed.getCount() == 0;
        }
    }

    /** @return the writer's force count as of its last end of batch. */
    long forceCount()
    {
        return forces.get();
    }

    Throwable failure()
    {
        return failure;
    }
}
