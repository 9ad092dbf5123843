package io.peerlane.engine;

import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.state.CommitResult;

import java.util.concurrent.locks.LockSupport;

/**
 * A producer thread's reusable mailbox for the outcome it awaits. The commit stage fills it and unparks
 * the thread. A waiter that timed out is abandoned (its thread takes a fresh one), so a late completion
 * can never land in a later wait: each wait also carries a token the completion must match, a count of the
 * waits this waiter's thread has armed.
 */
final class OutcomeWaiter
{
    /** A deadline for {@link #await} that never passes: waits until the completion comes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Thread thread;
    private volatile long completedToken = -1;
    private OutcomeCode code;
    private String reason;
    private AbortCause cause;
    private int failedOp;
    private long time;
    private long sequence;
    /** The token of the last wait this thread began; the owning thread only. */
    private long armed;

    OutcomeWaiter(final Thread thread)
    {
        this.thread = thread;
    }

    /** By the owning thread, as it fills the slot it will wait for: @return the token of that wait. */
    long arm()
    {
        return ++armed;
    }

    /** @return the token of the last wait armed. */
    long armed()
    {
        return armed;
    }

    void complete(final long token, final long sequence, final CommitResult result)
    {
        this.sequence = sequence;
        if (null != result)
        {
            code = result.code();
            reason = result.reason();
            cause = result.cause();
            failedOp = result.failedOp();
            time = result.time();
        }
        completedToken = token;
        LockSupport.unpark(thread);
    }

    /**
     * @param token         the token the completion must carry.
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @return whether the completion came before the deadline.
     */
    boolean await(final long token, final long deadlineNanos)
    {
        while (completedToken != token)
        {
            if (deadlineNanos == NO_DEADLINE)
            {
                // Not a time: nanoTime may be negative, and MAX_VALUE less a negative time would overflow.
                LockSupport.park(this);
                continue;
            }
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                return false;
            }
            LockSupport.parkNanos(this, remaining);
        }
        return true;
    }

    Outcome outcome()
    {
        return new Outcome(sequence, code, reason, cause, failedOp, time);
    }
}
