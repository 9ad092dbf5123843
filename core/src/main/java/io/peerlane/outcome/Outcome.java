package io.peerlane.outcome;

import io.peerlane.state.CommitResult;

import java.util.Objects;

/**
 * The outcome the commit stage gave one mutation, as an immutable value: what an awaiting producer receives
 * (by then the registry's view already holds the mutation's effect: read-your-writes), and what the journal
 * records beside each op. It is the part of a {@link CommitResult} that outlives the slot; the changes are not
 * kept (replaying the op gives them again). {@link CommitResult} stays the mutable result the commit stage
 * writes into, one per ring slot.
 */
public final class Outcome
{
    private final long sequence;
    private final OutcomeCode code;
    private final String reason;
    private final AbortCause cause;
    private final int failedOp;
    private final long time;

    /**
     * @param sequence the mutation's ring sequence (a journal record's sequence).
     * @param code     the outcome.
     * @param reason   the reason, or null.
     * @param cause    the abort cause, or null.
     * @param failedOp the failed op of a batch, or -1.
     * @param time     the event time the commit stage used.
     */
    public Outcome(
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

    /**
     * @param sequence the mutation's sequence.
     * @param result   the commit stage's result for it, read now.
     * @return its outcome.
     */
    public static Outcome of(final long sequence, final CommitResult result)
    {
        return new Outcome(sequence, result.code(), result.reason(), result.cause(), result.failedOp(), result.time());
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

    /**
     * @param result an outcome a replay gave.
     * @return whether it is this one: code, reason, cause, failed op and time (the sequence is not compared: a
     *         replay may number its ops otherwise).
     */
    public boolean sameAs(final CommitResult result)
    {
        return code == result.code() && Objects.equals(reason, result.reason()) && cause == result.cause() &&
            failedOp == result.failedOp() && time == result.time();
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Outcome))
        {
            return false;
        }
        final Outcome that = (Outcome)o;
        return sequence == that.sequence && code == that.code && Objects.equals(reason, that.reason) &&
            cause == that.cause && failedOp == that.failedOp && time == that.time;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(sequence, code, reason, cause, failedOp, time);
    }

    @Override
    public String toString()
    {
        return code + (null == reason ? "" : " " + reason) + (null == cause ? "" : " " + cause) +
            (failedOp < 0 ? "" : " failedOp=" + failedOp) + " @" + sequence + " t=" + time;
    }
}
