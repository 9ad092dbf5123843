package io.peerlane.journal;

import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.state.CommitResult;

import java.lang.reflect.Method;

/**
 * Makes a {@link CommitResult} with any outcome. Its setters belong to the commit stage (package-private in
 * state), so a test outside that package reaches them by reflection rather than widening the API.
 */
final class Outcomes
{
    private static final Method RESET;
    private static final Method OUTCOME;
    private static final Method FAILED_OP;

    static
    {
        try
        {
            RESET = CommitResult.class.getDeclaredMethod("reset", long.class);
            OUTCOME = CommitResult.class.getDeclaredMethod("outcome", OutcomeCode.class, String.class, AbortCause.class);
            FAILED_OP = CommitResult.class.getDeclaredMethod("failedOp", int.class);
            RESET.setAccessible(true);
            OUTCOME.setAccessible(true);
            FAILED_OP.setAccessible(true);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private Outcomes()
    {
    }

    static CommitResult of(
        final OutcomeCode code, final String reason, final AbortCause cause, final int failedOp, final long time)
    {
        final CommitResult r = new CommitResult();
        try
        {
            RESET.invoke(r, time);
            OUTCOME.invoke(r, code, reason, cause);
            FAILED_OP.invoke(r, failedOp);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
        return r;
    }
}
