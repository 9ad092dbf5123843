package io.peerlane.engine;

import io.peerlane.state.AbortCause;
import io.peerlane.state.OutcomeCode;

/**
 * The outcome the commit stage gave one mutation, as an awaiting producer receives it. By the time a
 * producer holds it, the registry's view already holds the mutation's effect (read-your-writes).
 */
public final class Outcome
{
    private final long sequence;
    private final OutcomeCode code;
    private final String reason;
    private final AbortCause cause;
    private final int failedOp;
    private final long time;

    Outcome(
        final long sequence,
        final OutcomeCode code,
        final String reason,
        final AbortCause cause,
        final int failedOp,
        final long time)
    {
        this.sequence = sequence;
        this.code = code;
        this.reason = reason;
        this.cause = cause;
        this.failedOp = failedOp;
        this.time = time;
    }

    /** @return the mutation's ring sequence. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the outcome. */
    public OutcomeCode code()
    {
        return code;
    }

    /** @return the reason code (REJECTED), the observer's name (ABORTED), or the failed op's reason (BATCH_FAILED). */
    public String reason()
    {
        return reason;
    }

    /** @return VETO, EXCEPTION or TIMEOUT for an ABORTED outcome (or a batch failed by one), else null. */
    public AbortCause cause()
    {
        return cause;
    }

    /** @return index of the op that failed a batch, or -1. */
    public int failedOp()
    {
        return failedOp;
    }

    /** @return the event time the commit stage used. */
    public long time()
    {
        return time;
    }

    @Override
    public String toString()
    {
        return code + (null == reason ? "" : " " + reason) + (null == cause ? "" : " " + cause) +
            (failedOp < 0 ? "" : " failedOp=" + failedOp) + " @" + sequence;
    }
}
