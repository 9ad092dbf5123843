package io.peerlane.engine;

import io.peerlane.mutation.Batch;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.CommitResult;

/**
 * The references that change with almost every event (the record of an upsert, the id of a touch or a
 * removal, the batch of a batch, the records of the first
 * {@link CommitResult#SHARED_CHANGES} changes it commits), kept for the whole ring in one array each, indexed by slot, instead of in fields of the slots.
 * <p>
 * Why: the ring's slots are long-lived, and under G1 each reference store into an old object dirties the
 * 512-byte card that holds the field; a card the refinement threads have cleaned since is queued again and
 * scanned concurrently. Spread over the slots (several hundred bytes each with their vote arrays and commit
 * result), every event dirties a fresh card, and on 2 cores the refinement thread took half a core at
 * 290 k ops/s (per-thread CPU from {@code /proc} during {@code ./peerlane bench}). Packed 128 to a card (64 without compressed references), 128
 * consecutive events share one card, which is still dirty when the next one stores into it, so almost no
 * store queues a card: the same reason a lock around one mutable registry, whose stores land in a few
 * compact tables, costs no refinement at all.
 */
final class SlotReferences
{
    final PeerRecord[] records;
    final NodeId[] ids;
    /** The records of each slot's first changes ({@link CommitResult#SHARED_CHANGES} a slot), for the same reason. */
    final PeerRecord[] changeRecords;
    /** The batch of each slot's batch event, for the same reason. */
    final Batch[] batches;

    SlotReferences(final int ringSize)
    {
        records = new PeerRecord[ringSize];
        ids = new NodeId[ringSize];
        changeRecords = new PeerRecord[ringSize * CommitResult.SHARED_CHANGES];
        batches = new Batch[ringSize];
    }
}
