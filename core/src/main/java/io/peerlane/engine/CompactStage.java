package io.peerlane.engine;

import com.lmax.disruptor.EventHandler;

/**
 * The compact topology: one consumer thread runs prepare, commit, the journal (when configured) and publish
 * for each event in turn. On a 2-core machine this is the fastest shape: no hand-off between threads, no
 * thread spinning while another works, and the same outcomes as the pipelined shape for the same input.
 * With a journal, the journal part wakes awaiting producers after its append and batch end, and this
 * thread, which owns the writer, closes it when it stops.
 */
final class CompactStage implements EventHandler<MutationEvent>
{
    final PrepareLane prepare;
    final CommitStage commit;
    final PublishLane publish;
    /** The journal appended inline after commit, or null. */
    final JournalStage journal;

    CompactStage(final PrepareLane prepare, final CommitStage commit, final PublishLane publish,
        final JournalStage journal)
    {
        this.prepare = prepare;
        this.commit = commit;
        this.publish = publish;
        this.journal = journal;
    }

    /** Set when this stage gates the ring: it wakes producers waiting for room. */
    ProducerGate gate;

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
        Thread.currentThread().setName("peerlane-compact");
    }

    @Override
    public void onEvent(final MutationEvent event, final long sequence, final boolean endOfBatch)
    {
        prepare.onEvent(event, sequence, endOfBatch);
        commit.commit(event, sequence, endOfBatch);
        if (null != journal)
        {
            journal.onEvent(event, sequence, endOfBatch);
        }
        publish.onEvent(event, sequence, endOfBatch);
    }

    @Override
    public void onShutdown()
    {
        if (null != journal)
        {
            journal.closeWriter();
        }
    }
}
