package io.peerlane.engine;

/**
 * What the engine does when a journal write fails, or a record cannot be journalled at all (a string longer
 * than {@link io.peerlane.journal.JournalDescriptor#MAX_STRING_BYTES} UTF-8 bytes, such as a long refusal
 * reason from an admission rule): either is a journal failure, reported in the health report with the cause
 * (for an oversized record, the field and the limit). The writer is closed by the journal's own thread.
 */
public enum JournalFailurePolicy
{
    /**
     * Stop accepting mutations. The default. The op whose record failed, and the events already in the ring
     * at the failure (at most {@code ringSize}), are still decided, and their producers given their outcomes,
     * without being journalled: the journal holds every outcome committed up to the one before the failure,
     * and nothing published after publishing stopped is committed.
     */
    STOP_PUBLISHING,
    /** Go on without the journal, with a loud error in the health report; producers still get their outcomes. */
    DROP_JOURNAL
}
