package io.peerlane.observer;

import org.HdrHistogram.Histogram;

/** A point-in-time copy of one observer's counters, callback times and state. */
public final class ObserverStats
{
    private final String name;
    private final ObserverRole role;
    private final String state;
    private final long delivered;
    private final long votes;
    private final long vetoes;
    private final long failures;
    private final long deadlineMisses;
    private final long lag;
    private final long overruns;
    private final Histogram voteNanos;
    private final Histogram eventNanos;
    private final String lastError;
    private final long voteRunningMs;
    private final long undeliveredAtClose;

    /**
     * Made by the engine from an observer's live counters ({@code ObserverHandle.stats}); a value, so it may be kept.
     *
     * @param name               the observer's name.
     * @param role               its role.
     * @param state              ACTIVE, QUARANTINED, OVERRUN or UNREGISTERED.
     * @param delivered          event lines delivered.
     * @param votes              votes cast.
     * @param vetoes             refusals among them.
     * @param failures           callbacks that threw.
     * @param deadlineMisses     votes past their deadline.
     * @param lag                events committed but not yet delivered to it.
     * @param overruns           times a best-effort observer fell a ring behind.
     * @param voteNanos          vote times, a copy.
     * @param eventNanos         event callback times, a copy.
     * @param lastError          the last error, or null.
     * @param voteRunningMs      how long its current vote has run, or -1.
     * @param undeliveredAtClose events still owed to it when close gave up on it.
     */
    public ObserverStats(
        final String name,
        final ObserverRole role,
        final String state,
        final long delivered,
        final long votes,
        final long vetoes,
        final long failures,
        final long deadlineMisses,
        final long lag,
        final long overruns,
        final Histogram voteNanos,
        final Histogram eventNanos,
        final String lastError,
        final long voteRunningMs,
        final long undeliveredAtClose)
    {
        this.name = name;
        this.role = role;
        this.state = state;
        this.delivered = delivered;
        this.votes = votes;
        this.vetoes = vetoes;
        this.failures = failures;
        this.deadlineMisses = deadlineMisses;
        this.lag = lag;
        this.overruns = overruns;
        this.voteNanos = voteNanos;
        this.eventNanos = eventNanos;
        this.lastError = lastError;
        this.voteRunningMs = voteRunningMs;
        this.undeliveredAtClose = undeliveredAtClose;
    }

    /** @return the observer's name. */
    public String name()
    {
        return name;
    }

    /** @return its role. */
    public ObserverRole role()
    {
        return role;
    }

    /**
     * @return ACTIVE; QUARANTINED past its {@code quarantineAfter} faults (a critical observer no longer
     * votes; every observer, whatever its role, still receives every event: see {@link ObserverRole}); OVERRUN
     * while a best-effort observer is a ring behind, until its resync; or UNREGISTERED.
     */
    public String state()
    {
        return state;
    }

    /** @return event lines delivered. */
    public long delivered()
    {
        return delivered;
    }

    /** @return votes cast. */
    public long votes()
    {
        return votes;
    }

    /** @return votes that refused. */
    public long vetoes()
    {
        return vetoes;
    }

    /** @return callbacks that threw. */
    public long failures()
    {
        return failures;
    }

    /** @return votes later than the deadline. */
    public long deadlineMisses()
    {
        return deadlineMisses;
    }

    /** @return committed event lines not yet delivered to it. */
    public long lag()
    {
        return lag;
    }

    /** @return times a best-effort observer fell a ring behind and was re-synchronised. */
    public long overruns()
    {
        return overruns;
    }

    /** @return vote times in ns since registration. */
    public Histogram voteNanos()
    {
        return voteNanos;
    }

    /** @return event callback times in ns since registration, one callback in eight sampled. */
    public Histogram eventNanos()
    {
        return eventNanos;
    }

    /** @return for how long its current vote has been running in its own thread, in ms, or -1. */
    public long voteRunningMs()
    {
        return voteRunningMs;
    }

    /**
     * @return for a best-effort observer still being given its queued events when {@code close()}'s timeout
     * ran out: how many of the events committed before the close it was not given; otherwise 0.
     */
    public long undeliveredAtClose()
    {
        return undeliveredAtClose;
    }

    /** @return the last error it threw, or null. */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public String toString()
    {
        return "'" + name + "' " + role + " " + state + ": delivered " + delivered + ", lag " + lag + ", votes " +
            votes + ", vetoes " + vetoes + (overruns > 0 ? ", overruns " + overruns : "") + ", failures " + failures + ", deadline misses " + deadlineMisses +
            ", event us p50/p99/max " + micros(eventNanos, 50) + "/" + micros(eventNanos, 99) + "/" +
            micros(eventNanos, 100) + (votes > 0 ? ", vote us p99 " + micros(voteNanos, 99) : "") +
            (voteRunningMs < 0 ? "" : ", a vote has been running for " + voteRunningMs + " ms") +
            (undeliveredAtClose > 0 ? ", " + undeliveredAtClose + " events not given by the close timeout" : "") +
            (null == lastError ? "" : ", last error " + lastError);
    }

    private static String micros(final Histogram h, final double percentile)
    {
        if (h.getTotalCount() == 0)
        {
            return "-";
        }
        final long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format("%.1f", v / 1000.0);
    }
}
