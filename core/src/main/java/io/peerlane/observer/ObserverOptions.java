package io.peerlane.observer;

import java.time.Duration;

/**
 * Per-observer settings given at registration. Immutable: each "setter" returns a new object, so options an
 * observer was registered with can never change under it; start from {@link #defaults()}.
 * <p>
 * No system property: these are one registration's settings (a critical observer's vote deadline, how many
 * faults it is allowed), not the engine's, and a property would give every observer of every engine in the JVM
 * the same deadline. The engine-wide settings are in {@link io.peerlane.config.Configuration}.
 */
public final class ObserverOptions
{
    /** Quarantine count used when none is given: failures plus deadline misses. */
    public static final long QUARANTINE_AFTER_DEFAULT = 100;

    private static final ObserverOptions DEFAULTS = new ObserverOptions(0, QUARANTINE_AFTER_DEFAULT);

    private final long deadlineNanos;
    private final long quarantineAfter;

    private ObserverOptions(final long deadlineNanos, final long quarantineAfter)
    {
        this.deadlineNanos = deadlineNanos;
        this.quarantineAfter = quarantineAfter;
    }

    /** @return no vote deadline, quarantine after {@value #QUARANTINE_AFTER_DEFAULT} faults. */
    public static ObserverOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * @param deadline how long a critical vote may take; a later vote counts as a refusal (TIMEOUT).
     * @return options with the deadline.
     */
    public ObserverOptions voteDeadline(final Duration deadline)
    {
        if (null == deadline || deadline.isNegative() || deadline.isZero())
        {
            throw new IllegalArgumentException("voteDeadline: value " + deadline + " must be a positive duration");
        }
        return new ObserverOptions(deadline.toNanos(), quarantineAfter);
    }

    /**
     * @param count failures plus deadline misses after which the observer is quarantined, 0 never: a
     *              critical observer then no longer votes; an observer of any role still receives every
     *              event (see {@link io.peerlane.observer.ObserverRole}).
     * @return options with the count.
     */
    public ObserverOptions quarantineAfter(final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("quarantineAfter: value " + count + " must be >= 0");
        }
        return new ObserverOptions(deadlineNanos, count);
    }

    /** @return the vote deadline in nanoseconds, 0 for none. */
    public long voteDeadlineNanos()
    {
        return deadlineNanos;
    }

    /** @return the quarantine count, 0 for never. */
    public long quarantineAfter()
    {
        return quarantineAfter;
    }
}
