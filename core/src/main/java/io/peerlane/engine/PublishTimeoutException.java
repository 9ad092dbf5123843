package io.peerlane.engine;

/**
 * Thrown when a publish or an awaited outcome did not complete in time. The message names the stage that
 * is behind and, when it is inside an observer's callback, that observer.
 */
public final class PublishTimeoutException extends RuntimeException
{
    private final String stage;

    PublishTimeoutException(final String message, final String stage)
    {
        super(message);
        this.stage = stage;
    }

    /** @return a description of the stage that is behind. */
    public String stage()
    {
        return stage;
    }
}
