package io.peerlane.engine;

import io.peerlane.config.Configuration;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;


/**
 * Configuration of an engine, in two lifetimes, as Aeron's contexts. Before {@link #conclude()} (which
 * {@link PeerlaneEngine#launch} and the engine's constructor call) it is a builder: fluent setters, nothing
 * checked, and a getter of a setting not given reads its system property each time it is called.
 * {@code conclude()} runs once: every scalar setting not given by a setter is read from its system property
 * (the names, defaults and readers are in {@link Configuration}), or else takes its default; registry settings
 * not given are read from the {@code peerlane.registry.*} properties; a journal context given is concluded with
 * it; then everything is checked, and the first bad value (a property's included) is named with its value and
 * its limit. After that the context is frozen: every setter throws {@link IllegalStateException} naming the
 * setting, the lists it returns are unmodifiable and the journal context's setters throw too, so an engine that
 * reads its context can never see it change under it.
 * <p>
 * Settings that are code (admission rules, observers, the clock, the outcome listener, what to restore from)
 * have no property: they are given in code. The journal is turned on only by {@link #journal}; its directory
 * and other settings may then come from the {@code peerlane.journal.*} properties.
 */
public final class EngineContext
{
    /** @deprecated moved: {@link Configuration#RING_SIZE_PROP_NAME}. */
    @Deprecated
    public static final String RING_SIZE_PROP_NAME = Configuration.RING_SIZE_PROP_NAME;
    /** @deprecated moved: {@link Configuration#RING_SIZE_DEFAULT}. */
    @Deprecated
    public static final int RING_SIZE_DEFAULT = Configuration.RING_SIZE_DEFAULT;
    /** @deprecated moved: {@link Configuration#TOPOLOGY_PROP_NAME}. */
    @Deprecated
    public static final String TOPOLOGY_PROP_NAME = Configuration.TOPOLOGY_PROP_NAME;
    /** @deprecated moved: {@link Configuration#TOPOLOGY_DEFAULT}. */
    @Deprecated
    public static final Topology TOPOLOGY_DEFAULT = Configuration.TOPOLOGY_DEFAULT;
    /** @deprecated moved: {@link Configuration#WAIT_STRATEGY_PROP_NAME}. */
    @Deprecated
    public static final String WAIT_STRATEGY_PROP_NAME = Configuration.WAIT_STRATEGY_PROP_NAME;
    /** @deprecated moved: {@link Configuration#WAIT_STRATEGY_DEFAULT}. */
    @Deprecated
    public static final WaitStrategyKind WAIT_STRATEGY_DEFAULT = Configuration.WAIT_STRATEGY_DEFAULT;
    /** @deprecated moved: {@link Configuration#PREPARE_LANES_PROP_NAME}. */
    @Deprecated
    public static final String PREPARE_LANES_PROP_NAME = Configuration.PREPARE_LANES_PROP_NAME;
    /** @deprecated moved: {@link Configuration#PREPARE_LANES_DEFAULT}. */
    @Deprecated
    public static final int PREPARE_LANES_DEFAULT = Configuration.PREPARE_LANES_DEFAULT;
    /** @deprecated moved: {@link Configuration#PUBLISH_LANES_PROP_NAME}. */
    @Deprecated
    public static final String PUBLISH_LANES_PROP_NAME = Configuration.PUBLISH_LANES_PROP_NAME;
    /** @deprecated moved: {@link Configuration#PUBLISH_LANES_DEFAULT}. */
    @Deprecated
    public static final int PUBLISH_LANES_DEFAULT = Configuration.PUBLISH_LANES_DEFAULT;
    /** @deprecated moved: {@link Configuration#MAX_OBSERVERS_PROP_NAME}. */
    @Deprecated
    public static final String MAX_OBSERVERS_PROP_NAME = Configuration.MAX_OBSERVERS_PROP_NAME;
    /** @deprecated moved: {@link Configuration#MAX_OBSERVERS_DEFAULT}. */
    @Deprecated
    public static final int MAX_OBSERVERS_DEFAULT = Configuration.MAX_OBSERVERS_DEFAULT;
    /** @deprecated moved: {@link Configuration#TICK_INTERVAL_MS_PROP_NAME}. */
    @Deprecated
    public static final String TICK_INTERVAL_MS_PROP_NAME = Configuration.TICK_INTERVAL_MS_PROP_NAME;
    /** @deprecated moved: {@link Configuration#TICK_INTERVAL_MS_DEFAULT}. */
    @Deprecated
    public static final long TICK_INTERVAL_MS_DEFAULT = Configuration.TICK_INTERVAL_MS_DEFAULT;
    /** @deprecated moved: {@link Configuration#CLOSE_TIMEOUT_MS_PROP_NAME}. */
    @Deprecated
    public static final String CLOSE_TIMEOUT_MS_PROP_NAME = Configuration.CLOSE_TIMEOUT_MS_PROP_NAME;
    /** @deprecated moved: {@link Configuration#CLOSE_TIMEOUT_DEFAULT}. */
    @Deprecated
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Configuration.CLOSE_TIMEOUT_DEFAULT;
    /** @deprecated moved: {@link Configuration#COUNTERS_DIR_PROP_NAME}. */
    @Deprecated
    public static final String COUNTERS_DIR_PROP_NAME = Configuration.COUNTERS_DIR_PROP_NAME;
    /** @deprecated moved: {@link Configuration#JOURNAL_FAILURE_POLICY_PROP_NAME}. */
    @Deprecated
    public static final String JOURNAL_FAILURE_POLICY_PROP_NAME = Configuration.JOURNAL_FAILURE_POLICY_PROP_NAME;
    /** @deprecated moved: {@link Configuration#JOURNAL_FAILURE_POLICY_DEFAULT}. */
    @Deprecated
    public static final JournalFailurePolicy JOURNAL_FAILURE_POLICY_DEFAULT =
        Configuration.JOURNAL_FAILURE_POLICY_DEFAULT;

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
    private java.nio.file.Path countersDirectory;
    private RegistrySettings settings;
    private List<AdmissionRule> admissionRules = new ArrayList<>();
    private List<ObserverSpec> observers = new ArrayList<>();
    private LongSupplier clock = System::currentTimeMillis;
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
        return null == ringSize ? Configuration.intValue(Configuration.RING_SIZE_PROP_NAME, Configuration.RING_SIZE_DEFAULT) : ringSize;
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
        return null == topology ? Configuration.enumValue(
            Configuration.TOPOLOGY_PROP_NAME, Topology.class, Configuration.TOPOLOGY_DEFAULT) : topology;
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
            Configuration.enumValue(
            Configuration.WAIT_STRATEGY_PROP_NAME, WaitStrategyKind.class, Configuration.WAIT_STRATEGY_DEFAULT) : waitStrategy;
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
        return null == prepareLanes ? Configuration.intValue(
            Configuration.PREPARE_LANES_PROP_NAME, Configuration.PREPARE_LANES_DEFAULT) : prepareLanes;
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
        return null == publishLanes ? Configuration.intValue(
            Configuration.PUBLISH_LANES_PROP_NAME, Configuration.PUBLISH_LANES_DEFAULT) : publishLanes;
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
        return null == maxObservers ? Configuration.intValue(
            Configuration.MAX_OBSERVERS_PROP_NAME, Configuration.MAX_OBSERVERS_DEFAULT) : maxObservers;
    }

    /**
     * @param settings the rule settings of TRACE.md, or null for the {@code peerlane.registry.*} system
     *                 properties over the defaults (what a context given none uses).
     * @return this.
     */
    public EngineContext settings(final RegistrySettings settings)
    {
        checkOpen("settings");
        this.settings = settings;
        return this;
    }

    /**
     * @return the rule settings: those given, else (read here until {@link #conclude()} fixes them) the
     * {@code peerlane.registry.*} system properties over the defaults ({@link RegistrySettings#fromSystemProperties()}).
     */
    public RegistrySettings settings()
    {
        return null == settings ? RegistrySettings.fromSystemProperties().build() : settings;
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
            Configuration.longValue(
            Configuration.TICK_INTERVAL_MS_PROP_NAME, Configuration.TICK_INTERVAL_MS_DEFAULT) : tickIntervalMs;
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
        // Once concluded the answer is what conclude() resolved, null included: the property is not read again.
        return null != countersDirectory || concluded ?
            countersDirectory : Configuration.pathValue(Configuration.COUNTERS_DIR_PROP_NAME);
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
            Configuration.durationValue(
            Configuration.CLOSE_TIMEOUT_MS_PROP_NAME, Configuration.CLOSE_TIMEOUT_DEFAULT) : closeTimeout;
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
        return null == journalFailurePolicy ? Configuration.enumValue(
            Configuration.JOURNAL_FAILURE_POLICY_PROP_NAME, JournalFailurePolicy.class,
            Configuration.JOURNAL_FAILURE_POLICY_DEFAULT) :
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
     * Resolves and checks every setting once: each scalar not given by a setter from its system property
     * ({@link Configuration}), else its default; the registry settings, when none were given, from the
     * {@code peerlane.registry.*} properties; the journal's context, when there is one, is concluded too (its
     * own properties read, its setters frozen). Nothing is changed when a check fails, so the context can be
     * corrected and concluded again. Afterwards every setter, here and on the journal's context, throws
     * {@link IllegalStateException}. A second call does nothing.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting (and the property, when the value came from one),
     *                                  its value and the limit.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        final String ringSizeName =
            Configuration.label("ringSize", null != ringSize, Configuration.RING_SIZE_PROP_NAME);
        final String prepareLanesName =
            Configuration.label("prepareLanes", null != prepareLanes, Configuration.PREPARE_LANES_PROP_NAME);
        final String publishLanesName =
            Configuration.label("publishLanes", null != publishLanes, Configuration.PUBLISH_LANES_PROP_NAME);
        final String maxObserversName =
            Configuration.label("maxObservers", null != maxObservers, Configuration.MAX_OBSERVERS_PROP_NAME);
        final String tickName =
            Configuration.label("tickIntervalMs", null != tickIntervalMs, Configuration.TICK_INTERVAL_MS_PROP_NAME);
        final String closeName =
            Configuration.label("closeTimeout", null != closeTimeout, Configuration.CLOSE_TIMEOUT_MS_PROP_NAME);
        final int ringSize = ringSize();
        final Topology topology = topology();
        final WaitStrategyKind waitStrategy = waitStrategy();
        final int prepareLanes = prepareLanes();
        final int publishLanes = publishLanes();
        final int maxObservers = maxObservers();
        final long tickIntervalMs = tickIntervalMs();
        final Duration closeTimeout = closeTimeout();
        final JournalFailurePolicy journalFailurePolicy = journalFailurePolicy();
        final java.nio.file.Path countersDirectory = countersDirectory();
        final RegistrySettings settings = settings();
        require(ringSize >= 2 && Integer.bitCount(ringSize) == 1 && ringSize <= (1 << 24), ringSizeName, ringSize,
            "must be a power of two in [2, 2^24]");
        require(prepareLanes >= 0 && prepareLanes <= 64, prepareLanesName, prepareLanes, "must be in [0, 64]");
        require(publishLanes >= 1 && publishLanes <= 64, publishLanesName, publishLanes, "must be in [1, 64]");
        require(maxObservers >= 1 && maxObservers <= 4096, maxObserversName, maxObservers, "must be in [1, 4096]");
        require(tickIntervalMs >= 0, tickName, tickIntervalMs, "must be >= 0");
        require(!closeTimeout.isNegative(), closeName, closeTimeout.toMillis() + " ms", "must be >= 0");
        require(null != topology, "topology", null, "is required");
        require(null != waitStrategy, "waitStrategy", null, "is required");
        require(null != journalFailurePolicy, "journalFailurePolicy", null, "is required");
        require(null != clock, "clock", null, "is required");
        for (final AdmissionRule rule : admissionRules)
        {
            require(null != rule, "admissionRule", null, "must not be null");
        }
        if (null != journal)
        {
            journal.conclude();
        }
        this.ringSize = ringSize;
        this.topology = topology;
        this.waitStrategy = waitStrategy;
        this.prepareLanes = prepareLanes;
        this.publishLanes = publishLanes;
        this.maxObservers = maxObservers;
        this.tickIntervalMs = tickIntervalMs;
        this.closeTimeout = closeTimeout;
        this.journalFailurePolicy = journalFailurePolicy;
        this.countersDirectory = countersDirectory;
        this.settings = settings;
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
            throw Configuration.concluded(setting, "the engine was launched with this EngineContext");
        }
    }

    private static void require(final boolean ok, final String field, final Object value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(field + ": value " + value + " " + limit);
        }
    }
}
