package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;
import io.peerlane.journal.JournalWriter;

/**
 * The optional journal stage: appends every decided mutation with its outcome (recorded vote refusals
 * included) to the mapped journal, and lets the writer force it at the end of each run of events as its
 * force policy says. In the compact topology the compact thread calls {@link #onEvent} inline after each
 * commit; in the pipelined one it is a lane of its own after commit, beside the publish lanes. A failed write is reported at once and, by the engine's policy, stops publishing or drops
 * the journal; the writer itself never leaves a torn or corrupt record behind.
 */
final class JournalStage implements EventHandler<MutationEvent>
{
    final StageActivity activity = new StageActivity("journal");
    private final JournalWriter writer;
    private final long sequenceBase;
    private final JournalFailurePolicy policy;
    private final StageErrors errors;
    private final PeerlaneEngine engine;
    private volatile Throwable failure;
    private boolean dropped;

    JournalStage(
        final JournalWriter writer,
        final long sequenceBase,
        final JournalFailurePolicy policy,
        final StageErrors errors,
        final PeerlaneEngine engine)
    {
        this.writer = writer;
        this.sequenceBase = sequenceBase;
        this.policy = policy;
        this.errors = errors;
        this.engine = engine;
    }

    /** Set when this stage gates the ring: it wakes producers waiting for room. */
    ProducerGate gate;
    /** The engine's counters; set once before the engine starts. */
    EngineMetrics metrics;

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
        if (dropped)
        {
            return;
        }
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
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.journalErrors.incrementRelease();
            final io.peerlane.metrics.JournalFailureEvent failed = new io.peerlane.metrics.JournalFailureEvent();
            if (failed.shouldCommit())
            {
                failed.sequence = sequence + sequenceBase;
                failed.policy = policy.name();
                failed.error = ex.toString();
                failed.commit();
            }
            failure = ex;
            errors.record(ex);
            dropped = true;
            engine.journalFailed(ex, policy);
        }
    }

    @Override
    public void onShutdown()
    {
        closeWriter();
    }

    synchronized void closeWriter()
    {
        if (!dropped)
        {
            try
            {
                writer.close();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
                errors.record(ex);
            }
            dropped = true;
        }
    }

    Throwable failure()
    {
        return failure;
    }
}
