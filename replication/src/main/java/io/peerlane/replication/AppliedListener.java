package io.peerlane.replication;

import io.peerlane.mutation.MutationValue;

/**
 * Told each log entry a replica applies, in log order, on the apply thread, before its ops reach the engine:
 * an audit copy of the replicated stream, or a test's sequential model. Entries a replica skipped by loading
 * a snapshot are not told. It must be quick and must not block.
 */
@FunctionalInterface
public interface AppliedListener
{
    /**
     * @param logIndex the entry's Raft log index.
     * @param ops      its ops with their recorded votes, in order.
     */
    void onApplied(long logIndex, MutationValue[] ops);
}
