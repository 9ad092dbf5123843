package io.peerlane.journal;

/** When a {@link JournalWriter} forces written records to the storage device. */
public enum ForcePolicy
{
    /** Never: the operating system writes back when it likes; a power cut can lose recent records. */
    NEVER,
    /**
     * At every end of batch: nothing acknowledged at a batch end is lost, at the cost of an fsync each. In the
     * engine an awaited outcome is handed back only after its batch's force.
     */
    EVERY_BATCH,
    /**
     * At the first end of batch after an interval has passed since the last force: bounds the loss in time. In
     * the engine an idle journal is still forced: a tick through the ring every interval gives the journal
     * stage a batch end.
     */
    EVERY_N_MS
}
