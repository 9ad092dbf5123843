package io.peerlane.outcome;

/** The outcome of one input op, as TRACE.md names it. */
public enum OutcomeCode
{
    ADDED, UPDATED, REMOVED, NOT_FOUND, STALE, TOUCHED, BATCH_COMMITTED, BATCH_FAILED, TICKED, BAN_SET, BAN_LIFTED, REJECTED, ABORTED
}
