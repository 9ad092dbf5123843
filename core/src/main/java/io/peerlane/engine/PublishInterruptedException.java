package io.peerlane.engine;

/**
 * Thrown to a producer interrupted while it waited for room in the ring. Nothing was published and no slot
 * is held; the thread's interrupt status stays set.
 */
public final class PublishInterruptedException extends RuntimeException
{
    PublishInterruptedException(final String message)
    {
        super(message);
    }
}
