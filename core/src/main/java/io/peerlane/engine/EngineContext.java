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
 * Configuration of an engine, in two lifetimes. Before {@link #conclude()} (which {@link PeerlaneEngine#launch}
 * calls) it is a builder: fluent setters, nothing checked. {@code conclude()} runs once: every scalar setting
 * not given by a setter is read from its {@code *_PROP_NAME} system property, or else takes its
 * {@code *_DEFAULT}; then everything is checked, and the first bad value (a property's included) is named
 * with its value and its limit. After that the context is frozen: every setter throws
 * {@link IllegalStateException}, and the lists it returns are unmodifiable, so an engine that reads its
 * context can never see it change under it.
 * <p>
 * Settings that are objects (the registry settings, admission rules, observers, the clock, the outcome
 * listener, the journal, what to restore from) have no property: they are code, given in code.
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
    /** System property for the prepare lanes of the pipelined topology. */
    public static final String PREPARE_LANES_PROP_NAME = "peerlane.prepare.lanes";
    /**
     * Default prepare lanes of the pipelined topology: none, so the commit stage runs the critical votes on its
     * own thread just before each commit, and an event pays no prepare-lane hand-off (see {@link #prepareLanes(int)}).
     */
    public static final int PREPARE_LANES_DEFAULT = 0;
    /** System property for the publish lanes of the pipelined topology. */
    public static final String PUBLISH_LANES_PROP_NAME = "peerlane.publish.lanes";
    /** Default publish lanes of the pipelined topology. */
    public static final int PUBLISH_LANES_DEFAULT = 1;
    /** System property for the limit on registered observers. */
    public static final String MAX_OBSERVERS_PROP_NAME = "peerlane.max.observers";
    /** Default limit on registered observers. */
    public static final int MAX_OBSERVERS_DEFAULT = 50;
    /** System property for the tick interval in ms (0: no ticks). */
    public static final String TICK_INTERVAL_MS_PROP_NAME = "peerlane.tick.interval.ms";
    /** Default tick interval: no ticks. */
    public static final long TICK_INTERVAL_MS_DEFAULT = 0;
    /** System property for how long close() waits, in ms. */
    public static final String CLOSE_TIMEOUT_MS_PROP_NAME = "peerlane.close.timeout.ms";
    /** Default for how long close() waits for the stages to drain. */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /** System property for the counters directory (none: the counters are in a plain buffer). */
    public static final String COUNTERS_DIR_PROP_NAME = "peerlane.counters.dir";
    /** System property for what to do when a journal write fails. */
    public static final String JOURNAL_FAILURE_POLICY_PROP_NAME = "peerlane.journal.failure.policy";
    /**
     * Default: stop publishing after a journal failure. The events already in the ring then (at most
     * {@code ringSize}, the failed one included) are still decided without being journalled; nothing published
     * afterwards is accepted (see {@link JournalFailurePolicy#STOP_PUBLISHING}).
     */
    public static final JournalFailurePolicy JOURNAL_FAILURE_POLICY_DEFAULT = JournalFailurePolicy.STOP_PUBLISHING;

    // Scalars start unset: conclude() fills each one from its property or its default.
    private Integer ringSize;
    private Topology topology;
    private WaitStrategyKind waitStrategy;
    private Integer prepareLanes;
    private Integer publishLanes;
    private Integer maxObservers;
    private Long tickIntervalMs;
    private Duration closeTimeout;
    private JournalFailurePolicy journalFailurePolicy;
    private RegistrySettings settings = RegistrySettings.defaults();
    private List<AdmissionRule> admissionRules = new ArrayList<>();
    private List<ObserverSpec> observers = new ArrayList<>();
    private LongSupplier clock = System::currentTimeMillis;
    private java.nio.file.Path countersDirectory;
    private OutcomeListener outcomeListener;
    private io.peerlane.journal.JournalWriter.Context journal;
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
        checkOpen("ringSize");
        this.ringSize = ringSize;
        return this;
    }

    /** @return slots in the ring. */
    public int ringSize()
    {
        return null == ringSize ? intProperty(RING_SIZE_PROP_NAME, RING_SIZE_DEFAULT) : ringSize;
    }

    /** @param topology compact or pipelined. @return this. */
    public EngineContext topology(final Topology topology)
    {
        checkOpen("topology");
        this.topology = topology;
        return this;
    }

    /** @return the topology. */
    public Topology topology()
    {
        return null == topology ? enumProperty(TOPOLOGY_PROP_NAME, Topology.class, TOPOLOGY_DEFAULT) : topology;
    }

    /** @param waitStrategy how idle consumers wait. @return this. */
    public EngineContext waitStrategy(final WaitStrategyKind waitStrategy)
    {
        checkOpen("waitStrategy");
        this.waitStrategy = waitStrategy;
        return this;
    }

    /** @return the wait strategy. */
    public WaitStrategyKind waitStrategy()
    {
        return null == waitStrategy ?
            enumProperty(WAIT_STRATEGY_PROP_NAME, WaitStrategyKind.class, WAIT_STRATEGY_DEFAULT) : waitStrategy;
    }

    /**
     * Prepare lanes (threads) for the critical votes in the pipelined topology; the compact topology ignores
     * it (its one thread votes). With 0, the default, no prepare lane is built: the commit stage runs the votes
     * on its own thread just before each commit, as the compact stage does, so an event pays no hand-off to a
     * prepare lane when no critical observer is registered, and a critical observer registered later (they
     * may be registered at any time) still votes, there. A vote with a deadline still runs on the observer's
     * own vote runner, so a hung vote holds the commit stage only up to its deadline. With 1 to 64, each lane
     * is a thread ahead of the commit stage and critical observers are spread over them: for votes expensive
     * enough to be worth running beside the commit stage instead of before it.
     *
     * @param lanes 0 to 64.
     * @return this.
     */
    public EngineContext prepareLanes(final int lanes)
    {
        checkOpen("prepareLanes");
        this.prepareLanes = lanes;
        return this;
    }

    /** @return prepare lanes. */
    public int prepareLanes()
    {
        return null == prepareLanes ? intProperty(PREPARE_LANES_PROP_NAME, PREPARE_LANES_DEFAULT) : prepareLanes;
    }

    /** @param lanes publish lanes (threads) for observers in the pipelined topology. @return this. */
    public EngineContext publishLanes(final int lanes)
    {
        checkOpen("publishLanes");
        this.publishLanes = lanes;
        return this;
    }

    /** @return publish lanes. */
    public int publishLanes()
    {
        return null == publishLanes ? intProperty(PUBLISH_LANES_PROP_NAME, PUBLISH_LANES_DEFAULT) : publishLanes;
    }

    /** @param maxObservers most observers registered at once. @return this. */
    public EngineContext maxObservers(final int maxObservers)
    {
        checkOpen("maxObservers");
        this.maxObservers = maxObservers;
        return this;
    }

    /** @return most observers. */
    public int maxObservers()
    {
        return null == maxObservers ? intProperty(MAX_OBSERVERS_PROP_NAME, MAX_OBSERVERS_DEFAULT) : maxObservers;
    }

    /** @param settings the rule settings of TRACE.md. @return this. */
    public EngineContext settings(final RegistrySettings settings)
    {
        checkOpen("settings");
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
        checkOpen("admissionRule");
        admissionRules.add(rule);
        return this;
    }

    /** @return the admission rules in order. */
    public List<AdmissionRule> admissionRules()
    {
        // Unmodifiable once concluded.
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
        checkOpen("observer");
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
        checkOpen("observer");
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
        checkOpen("clock");
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
        checkOpen("tickIntervalMs");
        this.tickIntervalMs = intervalMs;
        return this;
    }

    /** @return the tick interval, 0 for none. */
    public long tickIntervalMs()
    {
        return null == tickIntervalMs ?
            longProperty(TICK_INTERVAL_MS_PROP_NAME, TICK_INTERVAL_MS_DEFAULT) : tickIntervalMs;
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
        checkOpen("countersDirectory");
        this.countersDirectory = directory;
        return this;
    }

    /** @return the counters directory, or null when the counters are in a plain buffer. */
    public java.nio.file.Path countersDirectory()
    {
        if (null == countersDirectory)
        {
            final String text = System.getProperty(COUNTERS_DIR_PROP_NAME);
            return null == text || text.isBlank() ? null : java.nio.file.Path.of(text.trim());
        }
        return countersDirectory;
    }

    /** @param listener called on the commit thread after each decision. @return this. */
    public EngineContext outcomeListener(final OutcomeListener listener)
    {
        checkOpen("outcomeListener");
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
        checkOpen("closeTimeout");
        this.closeTimeout = timeout;
        return this;
    }

    /** @return the close timeout. */
    public Duration closeTimeout()
    {
        return null == closeTimeout ?
            Duration.ofMillis(longProperty(CLOSE_TIMEOUT_MS_PROP_NAME, CLOSE_TIMEOUT_DEFAULT.toMillis())) : closeTimeout;
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
        checkOpen("journal");
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
        checkOpen("journalFailurePolicy");
        this.journalFailurePolicy = policy;
        return this;
    }

    /** @return what to do when a journal write fails. */
    public JournalFailurePolicy journalFailurePolicy()
    {
        return null == journalFailurePolicy ? enumProperty(
            JOURNAL_FAILURE_POLICY_PROP_NAME, JournalFailurePolicy.class, JOURNAL_FAILURE_POLICY_DEFAULT) :
            journalFailurePolicy;
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
        checkOpen("restoreFrom");
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
        final String ringSizeName = label("ringSize", null != ringSize, RING_SIZE_PROP_NAME);
        final String prepareLanesName = label("prepareLanes", null != prepareLanes, PREPARE_LANES_PROP_NAME);
        final String publishLanesName = label("publishLanes", null != publishLanes, PUBLISH_LANES_PROP_NAME);
        final String maxObserversName = label("maxObservers", null != maxObservers, MAX_OBSERVERS_PROP_NAME);
        final String tickName = label("tickIntervalMs", null != tickIntervalMs, TICK_INTERVAL_MS_PROP_NAME);
        final String closeName = label("closeTimeout", null != closeTimeout, CLOSE_TIMEOUT_MS_PROP_NAME);
        ringSize = ringSize();
        topology = topology();
        waitStrategy = waitStrategy();
        prepareLanes = prepareLanes();
        publishLanes = publishLanes();
        maxObservers = maxObservers();
        tickIntervalMs = tickIntervalMs();
        closeTimeout = closeTimeout();
        journalFailurePolicy = journalFailurePolicy();
        countersDirectory = countersDirectory();
        require(ringSize >= 2 && Integer.bitCount(ringSize) == 1 && ringSize <= (1 << 24), ringSizeName, ringSize,
            "must be a power of two in [2, 2^24]");
        require(prepareLanes >= 0 && prepareLanes <= 64, prepareLanesName, prepareLanes, "must be in [0, 64]");
        require(publishLanes >= 1 && publishLanes <= 64, publishLanesName, publishLanes, "must be in [1, 64]");
        require(maxObservers >= 1 && maxObservers <= 4096, maxObserversName, maxObservers, "must be in [1, 4096]");
        require(tickIntervalMs >= 0, tickName, tickIntervalMs, "must be >= 0");
        require(!closeTimeout.isNegative(), closeName, closeTimeout.toMillis() + " ms", "must be >= 0");
        require(null != settings, "settings", null, "is required");
        require(null != clock, "clock", null, "is required");
        for (final AdmissionRule rule : admissionRules)
        {
            require(null != rule, "admissionRule", null, "must not be null");
        }
        admissionRules = List.copyOf(admissionRules);
        observers = List.copyOf(observers);
        concluded = true;
        return this;
    }

    /** @return true once {@link #conclude()} has run: the context is frozen. */
    public boolean isConcluded()
    {
        return concluded;
    }

    private void checkOpen(final String setting)
    {
        if (concluded)
        {
            throw new IllegalStateException(setting + ": cannot be changed after conclude() (the engine was " +
                "launched with this context); build a new EngineContext for another engine");
        }
    }

    private static int intProperty(final String name, final int defaultValue)
    {
        final long value = longProperty(name, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw badProperty(name, Long.toString(value), "must be an integer in [" + Integer.MIN_VALUE + ", " +
                Integer.MAX_VALUE + "]");
        }
        return (int)value;
    }

    private static long longProperty(final String name, final long defaultValue)
    {
        final String text = System.getProperty(name);
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw badProperty(name, text, "must be an integer");
        }
    }

    private static <E extends Enum<E>> E enumProperty(final String name, final Class<E> type, final E defaultValue)
    {
        final String text = System.getProperty(name);
        if (null == text)
        {
            return defaultValue;
        }
        for (final E constant : type.getEnumConstants())
        {
            if (constant.name().equalsIgnoreCase(text.trim()))
            {
                return constant;
            }
        }
        throw badProperty(name, text, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    private static IllegalArgumentException badProperty(final String name, final String value, final String limit)
    {
        return new IllegalArgumentException("system property " + name + ": value '" + value + "' " + limit);
    }

    private static String label(final String field, final boolean set, final String property)
    {
        return set || null == System.getProperty(property) ? field : field + " (system property " + property + ")";
    }

    private static void require(final boolean ok, final String field, final Object value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(field + ": value " + value + " " + limit);
        }
    }
}
