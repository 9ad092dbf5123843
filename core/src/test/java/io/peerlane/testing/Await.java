package io.peerlane.testing;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting on a condition with a deadline that fails loudly; never a bare sleep. */
public final class Await
{
    private Await()
    {
    }

    /**
     * @param what      what is awaited, for the failure.
     * @param seconds   the deadline.
     * @param condition the condition.
     * @param state     describes the state on failure.
     */
    public static void until(final String what, final int seconds, final BooleanSupplier condition, final Supplier<String> state)
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + seconds + " s waiting for " + what + "; " + state.get());
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
