package io.peerlane.observer;

/** How an observer takes part in the pipeline. */
public enum ObserverRole
{
    /** Votes before commit (a refusal makes the upsert ABORTED), then receives committed events. */
    CRITICAL,
    /** Receives committed events; a slow one slows producers (back-pressure). */
    STANDARD,
    /** Receives committed events but never slows producers; overrun, it is told so and re-synchronised. */
    BEST_EFFORT
}
