package io.peerlane.metrics;

/**
 * What each of the engine's counters measures: its Micrometer name, the one tag it carries (from a bounded
 * set: a stage, an outcome, a reason, an observer's name) and whether it only grows (a counter) or moves
 * both ways (a gauge). The type id is stored with the counter in the counters file, so a reader in another
 * process knows the kind without parsing the label; ids are part of the file's layout and never reused.
 */
public enum CounterKind
{
    /** Events a stage has finished (its ring sequence), per stage. */
    STAGE_EVENTS(101, "peerlane.stage.events", "stage", true),
    /** How far a stage is behind the ring's cursor, in slots, per stage. */
    STAGE_LAG(102, "peerlane.stage.lag", "stage", false),
    /** The ring's size. */
    RING_CAPACITY(110, "peerlane.ring.capacity", null, false),
    /** Free slots in the ring. */
    RING_REMAINING(111, "peerlane.ring.remaining", null, false),
    /** Ops decided, per outcome code. */
    OUTCOMES(120, "peerlane.outcomes", "outcome", true),
    /** Refusals, per reason of the registry's own ({@code Refusal}). */
    REFUSALS(121, "peerlane.refusals", "reason", true),
    /** Outcome listener calls that threw. */
    LISTENER_FAILURES(122, "peerlane.outcome.listener.failures", null, true),
    /** Live peers. */
    PEERS_LIVE(130, "peerlane.peers.live", null, false),
    /** Tombstones held. */
    TOMBSTONES(131, "peerlane.tombstones", null, false),
    /** Bans held. */
    BANS(132, "peerlane.bans", null, false),
    /** Event lines delivered to an observer. */
    OBSERVER_EVENTS(140, "peerlane.observer.events", "observer", true),
    /** Votes an observer cast. */
    OBSERVER_VOTES(141, "peerlane.observer.votes", "observer", true),
    /** Votes that refused. */
    OBSERVER_VETOES(142, "peerlane.observer.vetoes", "observer", true),
    /** Callbacks that threw (faults since the last readmission). */
    OBSERVER_FAILURES(143, "peerlane.observer.failures", "observer", false),
    /** Votes past the deadline (faults since the last readmission). */
    OBSERVER_DEADLINE_MISSES(144, "peerlane.observer.deadline.misses", "observer", false),
    /** Times a best-effort observer fell a ring behind. */
    OBSERVER_OVERRUNS(145, "peerlane.observer.overruns", "observer", true),
    /** Times a best-effort observer was re-synchronised from a snapshot. */
    OBSERVER_RESYNCS(146, "peerlane.observer.resyncs", "observer", true),
    /** 0 ACTIVE, 1 QUARANTINED, 2 OVERRUN, 3 UNREGISTERED. */
    OBSERVER_STATE(147, "peerlane.observer.state", "observer", false),
    /** Committed event lines not yet delivered to the observer. */
    OBSERVER_LAG(148, "peerlane.observer.lag", "observer", false),
    /** Median event callback time since registration, ns (sampled callbacks). */
    OBSERVER_CALLBACK_P50_NS(149, "peerlane.observer.callback.p50.ns", "observer", false),
    /** 99th percentile event callback time since registration, ns. */
    OBSERVER_CALLBACK_P99_NS(150, "peerlane.observer.callback.p99.ns", "observer", false),
    /** Longest sampled event callback since registration, ns. */
    OBSERVER_CALLBACK_MAX_NS(151, "peerlane.observer.callback.max.ns", "observer", false),
    /** 99th percentile vote time since registration, ns. */
    OBSERVER_VOTE_P99_NS(152, "peerlane.observer.vote.p99.ns", "observer", false),
    /** Journal records appended. */
    JOURNAL_RECORDS(160, "peerlane.journal.records", null, true),
    /** Journal bytes handed to the file. */
    JOURNAL_BYTES(161, "peerlane.journal.bytes", null, true),
    /** Time spent forcing the journal to the device, ns. */
    JOURNAL_FORCE_NS(162, "peerlane.journal.force.ns", null, true),
    /** Journal write failures. */
    JOURNAL_ERRORS(163, "peerlane.journal.errors", null, true),
    /** Errors caught in the stages' threads. */
    STAGE_ERRORS(170, "peerlane.stage.errors", null, true);

    private final int typeId;
    private final String metricName;
    private final String tagKey;
    private final boolean monotonic;

    CounterKind(final int typeId, final String metricName, final String tagKey, final boolean monotonic)
    {
        this.typeId = typeId;
        this.metricName = metricName;
        this.tagKey = tagKey;
        this.monotonic = monotonic;
    }

    /** @return the type id stored with the counter. */
    public int typeId()
    {
        return typeId;
    }

    /** @return the Micrometer meter name. */
    public String metricName()
    {
        return metricName;
    }

    /** @return the tag's key, or null when the kind has one counter only. */
    public String tagKey()
    {
        return tagKey;
    }

    /** @return whether the value only grows (a counter); otherwise it is a gauge. */
    public boolean monotonic()
    {
        return monotonic;
    }

    /**
     * @param typeId a stored type id.
     * @return its kind, or null for an id this version does not know.
     */
    public static CounterKind ofTypeId(final int typeId)
    {
        for (final CounterKind kind : values())
        {
            if (kind.typeId == typeId)
            {
                return kind;
            }
        }
        return null;
    }

    /**
     * @param tag the tag's value, or null.
     * @return the label stored with a counter of this kind: its name, then {@code key=value}.
     */
    public String label(final String tag)
    {
        return null == tagKey || null == tag ? metricName : metricName + " " + tagKey + "=" + tag;
    }
}
