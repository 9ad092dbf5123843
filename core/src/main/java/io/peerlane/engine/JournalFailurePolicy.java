package io.peerlane.engine;

/** What the engine does when a journal write fails. */
public enum JournalFailurePolicy
{
    /** Stop accepting mutations: nothing is committed that the journal does not hold. The default. */
    STOP_PUBLISHING,
    /** Go on without the journal, with a loud error in the health report. */
    DROP_JOURNAL
}
