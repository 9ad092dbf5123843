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
    private static final VarHandle INSIDE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURRENT = lookup.findVarHandle(StageActivity.class, "current", ObserverHandle.class);
            SINCE = lookup.findVarHandle(StageActivity.class, "since", long.class);
            INSIDE = lookup.findVarHandle(StageActivity.class, "inside", boolean.class);
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
    @SuppressWarnings("unused") private boolean inside;

    StageActivity(final String stageName)
    {
        this.stageName = stageName;
    }

    /*
     * Entering and leaving an observer flips a primitive flag; the observer's reference is written only when
     * it differs from the last one. A reference store into this long-lived object is a GC write barrier (a
     * card to refine under G1), and this runs for every observer of every event.
     */

    void enter(final ObserverHandle observer, final long nowNanos)
    {
        SINCE.setRelease(this, nowNanos);
        if ((ObserverHandle)CURRENT.getOpaque(this) != observer)
        {
            CURRENT.setRelease(this, observer);
        }
        INSIDE.setRelease(this, true);
    }

    void exit()
    {
        INSIDE.setRelease(this, false);
    }

    ObserverHandle current()
    {
        return (boolean)INSIDE.getAcquire(this) ? (ObserverHandle)CURRENT.getAcquire(this) : null;
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
