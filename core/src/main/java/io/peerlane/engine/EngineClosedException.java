package io.peerlane.engine;

/** Thrown by a publish on an engine that is closing or closed; the mutation was not accepted. */
public final class EngineClosedException extends IllegalStateException
{
    EngineClosedException(final String message)
    {
        super(message);
    }
}
