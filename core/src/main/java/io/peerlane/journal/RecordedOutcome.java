package io.peerlane.journal;

import io.peerlane.state.AbortCause;
import io.peerlane.state.CommitResult;
import io.peerlane.state.OutcomeCode;

import java.util.Objects;

/**
 * The outcome the engine gave a journaled op, as recorded: the parts of a {@link CommitResult} that a
 * replay compares. The changes are not recorded; replaying the op gives them again.
 */
public final class RecordedOutcome
{
    private final OutcomeCode code;
    private final String reason;
    private final AbortCause cause;
    private final int failedOp;
    private final long time;

    /**
     * @param code     the outcome.
     * @param reason   the reason, or null.
     * @param cause    the abort cause, or null.
     * @param failedOp the failed op of a batch, or -1.
     * @param time     the event time the commit stage used.
     */
    public RecordedOutcome(
        final OutcomeCode code, final String reason, final AbortCause cause, final int failedOp, final long time)
    {
        this.code = code;
        this.reason = reason;
        this.cause = cause;
        this.failedOp = failedOp;
        this.time = time;
    }

    /** @return the outcome. */
    public OutcomeCode code()
    {
        return code;
    }

    /** @return the reason of REJECTED, ABORTED and BATCH_FAILED, null otherwise. */
    public String reason()
    {
        return reason;
    }

    /** @return the abort cause, or null. */
    public AbortCause cause()
    {
        return cause;
    }

    /** @return the index of the op that failed a batch, or -1. */
    public int failedOp()
    {
        return failedOp;
    }

    /** @return the event time the commit stage used. */
    public long time()
    {
        return time;
    }

    /**
     * @param result an outcome a replay gave.
     * @return whether it is the recorded one: code, reason, cause, failed op and time.
     */
    public boolean sameAs(final CommitResult result)
    {
        return code == result.code() && Objects.equals(reason, result.reason()) && cause == result.cause() &&
            failedOp == result.failedOp() && time == result.time();
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof RecordedOutcome))
        {
            return false;
        }
        final RecordedOutcome that = (RecordedOutcome)o;
        return code == that.code && Objects.equals(reason, that.reason) && cause == that.cause &&
            failedOp == that.failedOp && time == that.time;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(code, reason, cause, failedOp, time);
    }

    @Override
    public String toString()
    {
        return code + (null == reason ? "" : " " + reason) + (null == cause ? "" : " " + cause) +
            (failedOp < 0 ? "" : " op " + failedOp) + " at " + time;
    }
}
