package io.peerlane.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * What one stage thread is doing now: which observer's callback it is in and since when. Written with
 * release stores by the stage's own thread (no fence on the hot path), read by the health report and by
 * the error of a publish that timed out, so that a hung observer is named while it hangs.
 */
final class StageActivity
{
    private static final VarHandle CURRENT;
    private static final VarHandle SINCE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURRENT = lookup.findVarHandle(StageActivity.class, "current", ObserverHandle.class);
            SINCE = lookup.findVarHandle(StageActivity.class, "since", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final String stageName;
    LongSupplier sequence;
    @SuppressWarnings("unused") private ObserverHandle current;
    @SuppressWarnings("unused") private long since;

    StageActivity(final String stageName)
    {
        this.stageName = stageName;
    }

    void enter(final ObserverHandle observer, final long nowNanos)
    {
        SINCE.setRelease(this, nowNanos);
        CURRENT.setRelease(this, observer);
    }

    void exit()
    {
        CURRENT.setRelease(this, (ObserverHandle)null);
    }

    ObserverHandle current()
    {
        return (ObserverHandle)CURRENT.getAcquire(this);
    }

    long since()
    {
        return (long)SINCE.getAcquire(this);
    }

    long sequenceValue()
    {
        return null == sequence ? -1 : sequence.getAsLong();
    }

    /** A line for people: the stage, its sequence, and the observer it is in, if any. */
    String describe(final long nowNanos)
    {
        final ObserverHandle observer = current();
        final StringBuilder sb = new StringBuilder(stageName).append(" at sequence ").append(sequenceValue());
        if (null != observer)
        {
            sb.append(", in observer '").append(observer.name).append("' for ")
                .append((nowNanos - since()) / 1_000_000).append(" ms");
        }
        return sb.toString();
    }
}
