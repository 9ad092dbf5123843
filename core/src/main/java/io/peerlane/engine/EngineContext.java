package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.state.AdmissionRule;
import io.peerlane.state.RegistrySettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Configuration of an engine: fluent setters, then {@link #conclude()} checks everything once and names
 * the first bad setting. Each setting has a {@code *_PROP_NAME} system property and a {@code *_DEFAULT}.
 */
public final class EngineContext
{
    /** System property for the ring size. */
    public static final String RING_SIZE_PROP_NAME = "peerlane.ring.size";
    /** Ring slots: a power of two. Large enough to absorb bursts, small enough to stay in cache. */
    public static final int RING_SIZE_DEFAULT = 8192;
    /** System property for the topology. */
    public static final String TOPOLOGY_PROP_NAME = "peerlane.topology";
    /** Compact: right for 2 cores, where it is the fastest shape. */
    public static final Topology TOPOLOGY_DEFAULT = Topology.COMPACT;
    /** System property for the wait strategy. */
    public static final String WAIT_STRATEGY_PROP_NAME = "peerlane.wait.strategy";
    /** Blocking: no core burnt while idle, no collapse with more threads than cores. */
    public static final WaitStrategyKind WAIT_STRATEGY_DEFAULT = WaitStrategyKind.BLOCKING;
    /** Default prepare lanes of the pipelined topology. */
    public static final int PREPARE_LANES_DEFAULT = 1;
    /** Default publish lanes of the pipelined topology. */
    public static final int PUBLISH_LANES_DEFAULT = 1;
    /** Default limit on registered observers. */
    public static final int MAX_OBSERVERS_DEFAULT = 50;
    /** Default for how long close() waits for the stages to drain. */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    private int ringSize = Integer.getInteger(RING_SIZE_PROP_NAME, RING_SIZE_DEFAULT);
    private Topology topology = Topology.valueOf(System.getProperty(TOPOLOGY_PROP_NAME, TOPOLOGY_DEFAULT.name()));
    private WaitStrategyKind waitStrategy =
        WaitStrategyKind.valueOf(System.getProperty(WAIT_STRATEGY_PROP_NAME, WAIT_STRATEGY_DEFAULT.name()));
    private int prepareLanes = PREPARE_LANES_DEFAULT;
    private int publishLanes = PUBLISH_LANES_DEFAULT;
    private int maxObservers = MAX_OBSERVERS_DEFAULT;
    private RegistrySettings settings = RegistrySettings.defaults();
    private final List<AdmissionRule> admissionRules = new ArrayList<>();
    private final List<ObserverSpec> observers = new ArrayList<>();
    private LongSupplier clock = System::currentTimeMillis;
    private long tickIntervalMs;
    private java.nio.file.Path countersDirectory;
    private OutcomeListener outcomeListener;
    private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;
    private io.peerlane.journal.JournalWriter.Context journal;
    private JournalFailurePolicy journalFailurePolicy = JournalFailurePolicy.STOP_PUBLISHING;
    private java.nio.file.Path restoreSnapshot;
    private java.nio.file.Path restoreJournal;
    private boolean concluded;

    /** An observer given when the engine is built; registered through the ring at start. */
    static final class ObserverSpec
    {
        final String name;
        final ObserverRole role;
        final PeerObserver observer;
        final ObserverOptions options;

        ObserverSpec(final String name, final ObserverRole role, final PeerObserver observer, final ObserverOptions options)
        {
            this.name = name;
            this.role = role;
            this.observer = observer;
            this.options = options;
        }
    }

    /** @param ringSize slots in the ring, a power of two. @return this. */
    public EngineContext ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    /** @return slots in the ring. */
    public int ringSize()
    {
        return ringSize;
    }

    /** @param topology compact or pipelined. @return this. */
    public EngineContext topology(final Topology topology)
    {
        this.topology = topology;
        return this;
    }

    /** @return the topology. */
    public Topology topology()
    {
        return topology;
    }

    /** @param waitStrategy how idle consumers wait. @return this. */
    public EngineContext waitStrategy(final WaitStrategyKind waitStrategy)
    {
        this.waitStrategy = waitStrategy;
        return this;
    }

    /** @return the wait strategy. */
    public WaitStrategyKind waitStrategy()
    {
        return waitStrategy;
    }

    /** @param lanes prepare lanes (threads) for critical votes in the pipelined topology. @return this. */
    public EngineContext prepareLanes(final int lanes)
    {
        this.prepareLanes = lanes;
        return this;
    }

    /** @return prepare lanes. */
    public int prepareLanes()
    {
        return prepareLanes;
    }

    /** @param lanes publish lanes (threads) for observers in the pipelined topology. @return this. */
    public EngineContext publishLanes(final int lanes)
    {
        this.publishLanes = lanes;
        return this;
    }

    /** @return publish lanes. */
    public int publishLanes()
    {
        return publishLanes;
    }

    /** @param maxObservers most observers registered at once. @return this. */
    public EngineContext maxObservers(final int maxObservers)
    {
        this.maxObservers = maxObservers;
        return this;
    }

    /** @return most observers. */
    public int maxObservers()
    {
        return maxObservers;
    }

    /** @param settings the rule settings of TRACE.md. @return this. */
    public EngineContext settings(final RegistrySettings settings)
    {
        this.settings = settings;
        return this;
    }

    /** @return the rule settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /** @param rule an admission rule, run after the built-in ones in the order added. @return this. */
    public EngineContext admissionRule(final AdmissionRule rule)
    {
        admissionRules.add(rule);
        return this;
    }

    /** @return the admission rules in order. */
    public List<AdmissionRule> admissionRules()
    {
        return admissionRules;
    }

    /**
     * @param name     unique name.
     * @param role     its role.
     * @param observer the observer.
     * @return this.
     */
    public EngineContext observer(final String name, final ObserverRole role, final PeerObserver observer)
    {
        return observer(name, role, observer, ObserverOptions.defaults());
    }

    /**
     * @param name     unique name.
     * @param role     its role.
     * @param observer the observer.
     * @param options  its options.
     * @return this.
     */
    public EngineContext observer(
        final String name, final ObserverRole role, final PeerObserver observer, final ObserverOptions options)
    {
        observers.add(new ObserverSpec(name, role, observer, options));
        return this;
    }

    List<ObserverSpec> observers()
    {
        return observers;
    }

    /** @param clock the event-time source for publishes that give no time, ms since the epoch. @return this. */
    public EngineContext clock(final LongSupplier clock)
    {
        this.clock = clock;
        return this;
    }

    /** @return the event-time source. */
    public LongSupplier clock()
    {
        return clock;
    }

    /** @param intervalMs publish a tick every this many ms of the clock; 0 for none. @return this. */
    public EngineContext tickIntervalMs(final long intervalMs)
    {
        this.tickIntervalMs = intervalMs;
        return this;
    }

    /** @return the tick interval, 0 for none. */
    public long tickIntervalMs()
    {
        return tickIntervalMs;
    }

    /**
     * Keeps the engine's counters in {@code directory}/{@code peerlane-counters.dat}, a memory-mapped file that
     * another process reads live ({@code ./peerlane stat DIR}); by default they are in a plain buffer of this
     * process only. Either way they feed {@code observerStats()}, {@code healthReport()} and the Micrometer
     * binder ({@link io.peerlane.metrics.PeerlaneMeterBinder}). The file stays after the engine stops, marked so.
     *
     * @param directory the counters directory (created if missing), or null for a plain buffer.
     * @return this.
     */
    public EngineContext countersDirectory(final java.nio.file.Path directory)
    {
        this.countersDirectory = directory;
        return this;
    }

    /** @return the counters directory, or null when the counters are in a plain buffer. */
    public java.nio.file.Path countersDirectory()
    {
        return countersDirectory;
    }

    /** @param listener called on the commit thread after each decision. @return this. */
    public EngineContext outcomeListener(final OutcomeListener listener)
    {
        this.outcomeListener = listener;
        return this;
    }

    /** @return the outcome listener, or null. */
    public OutcomeListener outcomeListener()
    {
        return outcomeListener;
    }

    /**
     * @param timeout how long close() waits for the stages to drain and best-effort observers to be given
     *                what they hold, and how long unregister() waits for an observer to be given its events
     *                up to its cut.
     * @return this.
     */
    public EngineContext closeTimeout(final Duration timeout)
    {
        this.closeTimeout = timeout;
        return this;
    }

    /** @return the close timeout. */
    public Duration closeTimeout()
    {
        return closeTimeout;
    }

    /**
     * Turns the journal stage on: every decided mutation is appended with its outcome. When the directory
     * already holds a journal, the engine goes on after its last sequence.
     *
     * @param journal the journal writer's settings (directory, segment length, force policy).
     * @return this.
     */
    public EngineContext journal(final io.peerlane.journal.JournalWriter.Context journal)
    {
        this.journal = journal;
        return this;
    }

    /** @return the journal settings, or null for no journal. */
    public io.peerlane.journal.JournalWriter.Context journal()
    {
        return journal;
    }

    /** @param policy what to do when a journal write fails. @return this. */
    public EngineContext journalFailurePolicy(final JournalFailurePolicy policy)
    {
        this.journalFailurePolicy = policy;
        return this;
    }

    /** @return what to do when a journal write fails. */
    public JournalFailurePolicy journalFailurePolicy()
    {
        return journalFailurePolicy;
    }

    /**
     * Starts the engine with the registry a recording engine had: from a state snapshot (or empty, when
     * null) plus every journal entry after the snapshot's sequence (none, when the journal is null). Each
     * entry is applied with its recorded votes; an outcome that differs from the recording (other settings
     * or rules) stops the start with an error naming the entry.
     *
     * @param snapshot a snapshot file from {@link PeerlaneEngine#snapshot}, or null.
     * @param journal  a journal directory, or null.
     * @return this.
     */
    public EngineContext restoreFrom(final java.nio.file.Path snapshot, final java.nio.file.Path journal)
    {
        this.restoreSnapshot = snapshot;
        this.restoreJournal = journal;
        return this;
    }

    java.nio.file.Path restoreSnapshot()
    {
        return restoreSnapshot;
    }

    java.nio.file.Path restoreJournal()
    {
        return restoreJournal;
    }

    /**
     * Checks every setting once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, its value and the limit.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1 || ringSize > (1 << 24))
        {
            throw new IllegalArgumentException("ringSize: value " + ringSize + " must be a power of two in [2, 2^24]");
        }
        require(null != topology, "topology", null, "is required");
        require(null != waitStrategy, "waitStrategy", null, "is required");
        require(prepareLanes >= 1 && prepareLanes <= 64, "prepareLanes", prepareLanes, "must be in [1, 64]");
        require(publishLanes >= 1 && publishLanes <= 64, "publishLanes", publishLanes, "must be in [1, 64]");
        require(maxObservers >= 1 && maxObservers <= 4096, "maxObservers", maxObservers, "must be in [1, 4096]");
        require(null != settings, "settings", null, "is required");
        require(null != clock, "clock", null, "is required");
        require(tickIntervalMs >= 0, "tickIntervalMs", tickIntervalMs, "must be >= 0");
        require(null != closeTimeout && !closeTimeout.isNegative(), "closeTimeout", closeTimeout, "must be >= 0");
        require(null != journalFailurePolicy, "journalFailurePolicy", null, "is required");
        for (final AdmissionRule rule : admissionRules)
        {
            require(null != rule, "admissionRule", null, "must not be null");
        }
        concluded = true;
        return this;
    }

    private static void require(final boolean ok, final String field, final Object value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(field + ": value " + value + " " + limit);
        }
    }
}
