package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
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

    private ObserverStats(final ObserverHandle h, final long eventSeq)
    {
        name = h.name;
        role = h.role;
        state = h.state.name();
        delivered = h.delivered.get();
        votes = h.votes.get();
        vetoes = h.vetoes.get();
        failures = h.failures.get();
        deadlineMisses = h.deadlineMisses.get();
        lag = Math.max(0, eventSeq - h.lastEventSeq.get());
        overruns = h.overruns.get();
        voteNanos = h.accumulatedVoteNanos();
        eventNanos = h.accumulatedEventNanos();
        lastError = h.lastError;
        final long busy = null == h.voteRunner ? -1 : h.voteRunner.busyNanos();
        voteRunningMs = busy < 0 ? -1 : busy / 1_000_000;
        undeliveredAtClose = h.undeliveredAtClose();
    }

    static ObserverStats of(final ObserverHandle handle, final long eventSeq)
    {
        return new ObserverStats(handle, eventSeq);
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
