package io.peerlane.config;

import io.peerlane.engine.JournalFailurePolicy;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.journal.ForcePolicy;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Every system property Peerlane reads, with its default and its typed reader, in one place, as Aeron's
 * {@code Configuration}: a {@code *_PROP_NAME} and a {@code *_DEFAULT} per setting.
 * <p>
 * Nothing reads a property when a class loads or a context is made. Each configuration object reads its
 * properties once, when it is concluded or built: {@code EngineContext.conclude()} (which the engine's launch
 * calls, and which concludes the journal context it holds and resolves the registry settings it was not given),
 * {@code JournalWriter.Context.conclude()}, {@code RegistrySettings.fromSystemProperties()} and
 * {@code KademliaSettings.fromSystemProperties()}. A value given by a setter wins over its property; a property
 * wins over its default. A property that does not parse, or parses to a value out of range, is refused with an
 * {@link IllegalArgumentException} naming the property and the value as given.
 * <p>
 * The readers are strict: an integer is decimal digits with an optional sign, an enum is a constant's name in
 * any case, a boolean is {@code true} or {@code false} in any case (never "anything else is false", as
 * {@link Boolean#getBoolean} has it), a duration is a number of milliseconds with an optional unit ({@code ns},
 * {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}), a path is any text the file system accepts, and blank
 * text means unset for a path. Surrounding spaces are ignored.
 * <p>
 * Settings that are code (clocks, observers, listeners, admission rules) have no property, nor do per-observer
 * options ({@code ObserverOptions}): they belong to one registration, not to every engine of the JVM. This class
 * imports the four enums its settings take and nothing else of Peerlane: they are leaf types, so a subsystem
 * that reads its properties here reaches no engine code.
 */
public final class Configuration
{
    // ---- the engine (EngineContext) ----

    /** Ring slots, a power of two in [2, 2^24]. */
    public static final String RING_SIZE_PROP_NAME = "peerlane.ring.size";
    /** Ring slots: large enough to absorb bursts, small enough to stay in cache. */
    public static final int RING_SIZE_DEFAULT = 8192;
    /** {@link Topology}: {@code compact} or {@code pipelined}. */
    public static final String TOPOLOGY_PROP_NAME = "peerlane.topology";
    /** Compact: right for 2 cores, where it is the fastest shape. */
    public static final Topology TOPOLOGY_DEFAULT = Topology.COMPACT;
    /** {@link WaitStrategyKind} of idle consumers. */
    public static final String WAIT_STRATEGY_PROP_NAME = "peerlane.wait.strategy";
    /** Blocking: no core burnt while idle, no collapse with more threads than cores. */
    public static final WaitStrategyKind WAIT_STRATEGY_DEFAULT = WaitStrategyKind.BLOCKING;
    /** Prepare lanes (threads) of the pipelined topology, in [0, 64]. */
    public static final String PREPARE_LANES_PROP_NAME = "peerlane.prepare.lanes";
    /**
     * None: the commit stage runs the critical votes on its own thread just before each commit, so an event pays
     * no prepare-lane hand-off (see {@code EngineContext.prepareLanes(int)}).
     */
    public static final int PREPARE_LANES_DEFAULT = 0;
    /** Publish lanes (threads) of the pipelined topology, in [1, 64]. */
    public static final String PUBLISH_LANES_PROP_NAME = "peerlane.publish.lanes";
    /** One publish lane. */
    public static final int PUBLISH_LANES_DEFAULT = 1;
    /** Most observers registered at once, in [1, 4096]. */
    public static final String MAX_OBSERVERS_PROP_NAME = "peerlane.max.observers";
    /** DESIGN.md's limit. */
    public static final int MAX_OBSERVERS_DEFAULT = 50;
    /** Interval of the engine's own ticks in ms of its clock, 0 for none. */
    public static final String TICK_INTERVAL_MS_PROP_NAME = "peerlane.tick.interval.ms";
    /** No ticks. */
    public static final long TICK_INTERVAL_MS_DEFAULT = 0;
    /** How long close() waits for the stages to drain (and unregister() for its cut): a duration. */
    public static final String CLOSE_TIMEOUT_MS_PROP_NAME = "peerlane.close.timeout.ms";
    /** 30 s. */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /** Directory of the memory-mapped counters file; unset or blank for counters in a plain buffer. */
    public static final String COUNTERS_DIR_PROP_NAME = "peerlane.counters.dir";
    /** {@link JournalFailurePolicy}: what the engine does when a journal write fails. */
    public static final String JOURNAL_FAILURE_POLICY_PROP_NAME = "peerlane.journal.failure.policy";
    /** Stop publishing after a journal failure. */
    public static final JournalFailurePolicy JOURNAL_FAILURE_POLICY_DEFAULT = JournalFailurePolicy.STOP_PUBLISHING;

    // ---- the journal writer (JournalWriter.Context) ----

    /** Directory of the journal's segments; required by a writer, from its setter or this property. */
    public static final String JOURNAL_DIR_PROP_NAME = "peerlane.journal.dir";
    /** Bound of a segment file in bytes, in [1 KiB, 1 GiB]. */
    public static final String JOURNAL_SEGMENT_LENGTH_PROP_NAME = "peerlane.journal.segment.length";
    /** 64 MiB, {@code JournalDescriptor.SEGMENT_LENGTH_DEFAULT}. */
    public static final long JOURNAL_SEGMENT_LENGTH_DEFAULT = 64L * 1024 * 1024;
    /** {@link ForcePolicy}: when the writer forces to the device. */
    public static final String JOURNAL_FORCE_POLICY_PROP_NAME = "peerlane.journal.force.policy";
    /** Force at the first batch end after the interval. */
    public static final ForcePolicy JOURNAL_FORCE_POLICY_DEFAULT = ForcePolicy.EVERY_N_MS;
    /** Least time between forces under {@link ForcePolicy#EVERY_N_MS}, in ms, at least 0. */
    public static final String JOURNAL_FORCE_INTERVAL_MS_PROP_NAME = "peerlane.journal.force.interval.ms";
    /** 1 s. */
    public static final long JOURNAL_FORCE_INTERVAL_MS_DEFAULT = 1000;
    /** Whether the next segment is created, mapped and touched ahead on a thread of its own. */
    public static final String JOURNAL_PREFAULT_PROP_NAME = "peerlane.journal.prefault";
    /** Prepared ahead. */
    public static final boolean JOURNAL_PREFAULT_DEFAULT = true;

    // ---- the registry's rules (RegistrySettings, TRACE.md), each in [0, 2^53) ----

    /** Most live peers, 0 for no limit. */
    public static final String MAX_PEERS_PROP_NAME = "peerlane.registry.max.peers";
    /** 10,000. */
    public static final long MAX_PEERS_DEFAULT = 10_000;
    /** Time a peer lives past its lastSeen, in ms. */
    public static final String PEER_TTL_MS_PROP_NAME = "peerlane.registry.peer.ttl.ms";
    /** 24 h. */
    public static final long PEER_TTL_MS_DEFAULT = 86_400_000L;
    /** Time a tombstone is kept, in ms. */
    public static final String TOMBSTONE_TTL_MS_PROP_NAME = "peerlane.registry.tombstone.ttl.ms";
    /** 1 h. */
    public static final long TOMBSTONE_TTL_MS_DEFAULT = 3_600_000L;
    /** Most tombstones, 0 for no cap. */
    public static final String MAX_TOMBSTONES_PROP_NAME = "peerlane.registry.max.tombstones";
    /** 100,000. */
    public static final long MAX_TOMBSTONES_DEFAULT = 100_000;
    /** Most live peers per DID, 0 for no limit. */
    public static final String MAX_DEVICES_PER_DID_PROP_NAME = "peerlane.registry.max.devices.per.did";
    /** 10. */
    public static final long MAX_DEVICES_PER_DID_DEFAULT = 10;
    /** Most live peers per IPv4 /24 or IPv6 /48, 0 for no limit. */
    public static final String MAX_PEERS_PER_SUBNET_PROP_NAME = "peerlane.registry.max.peers.per.subnet";
    /** No limit. */
    public static final long MAX_PEERS_PER_SUBNET_DEFAULT = 0;
    /** Most bans held, 0 for no limit. */
    public static final String MAX_BANS_PROP_NAME = "peerlane.registry.max.bans";
    /** 10,000. */
    public static final long MAX_BANS_DEFAULT = 10_000;
    /** Most upserts per second of event time, 0 for no limit. */
    public static final String GLOBAL_RATE_LIMIT_PER_SEC_PROP_NAME = "peerlane.registry.global.rate.limit.per.sec";
    /** No limit. */
    public static final long GLOBAL_RATE_LIMIT_PER_SEC_DEFAULT = 0;
    /** Most upserts per DID per minute of event time, 0 for no limit. */
    public static final String DID_RATE_LIMIT_PER_MIN_PROP_NAME = "peerlane.registry.did.rate.limit.per.min";
    /** No limit. */
    public static final long DID_RATE_LIMIT_PER_MIN_DEFAULT = 0;
    /** Keys allowed to hold a VALIDATOR record: comma-separated hex; unset or blank for any key. */
    public static final String AUTHORIZED_VALIDATOR_KEYS_PROP_NAME = "peerlane.registry.authorized.validator.keys";

    // ---- the Kademlia routing table (KademliaSettings) ----

    /** Bucket size k, at least 1. */
    public static final String KADEMLIA_K_PROP_NAME = "peerlane.kademlia.k";
    /** 20, as in the paper. */
    public static final int KADEMLIA_K_DEFAULT = 20;
    /** Most replacements one bucket remembers, at least 0; unset for k. */
    public static final String KADEMLIA_REPLACEMENT_CACHE_SIZE_PROP_NAME = "peerlane.kademlia.replacement.cache.size";
    /** Most members of one subnet in one bucket, 0 for no limit. */
    public static final String KADEMLIA_MAX_PER_SUBNET_IN_BUCKET_PROP_NAME =
        "peerlane.kademlia.max.per.subnet.in.bucket";
    /** 2. */
    public static final int KADEMLIA_MAX_PER_SUBNET_IN_BUCKET_DEFAULT = 2;
    /** Most members of one subnet in the table, 0 for no limit. */
    public static final String KADEMLIA_MAX_PER_SUBNET_IN_TABLE_PROP_NAME = "peerlane.kademlia.max.per.subnet.in.table";
    /** 10. */
    public static final int KADEMLIA_MAX_PER_SUBNET_IN_TABLE_DEFAULT = 10;
    /** Whether replacements pushed out of the cache are still remembered behind it. */
    public static final String KADEMLIA_KEEP_ALL_CANDIDATES_PROP_NAME = "peerlane.kademlia.keep.all.candidates";
    /** Off (a {@code KademliaObserver} turns it on whatever this says). */
    public static final boolean KADEMLIA_KEEP_ALL_CANDIDATES_DEFAULT = false;
    /** IPv4 prefix of one network for the per-bucket limit, in [1, 32]. */
    public static final String KADEMLIA_IPV4_BUCKET_PREFIX_PROP_NAME = "peerlane.kademlia.ipv4.bucket.prefix";
    /** IPv6 prefix of one network for the per-bucket limit, in [1, 64]. */
    public static final String KADEMLIA_IPV6_BUCKET_PREFIX_PROP_NAME = "peerlane.kademlia.ipv6.bucket.prefix";
    /** IPv4 prefix of one network for the per-table limit, in [1, 32]. */
    public static final String KADEMLIA_IPV4_TABLE_PREFIX_PROP_NAME = "peerlane.kademlia.ipv4.table.prefix";
    /** IPv6 prefix of one network for the per-table limit, in [1, 64]. */
    public static final String KADEMLIA_IPV6_TABLE_PREFIX_PROP_NAME = "peerlane.kademlia.ipv6.table.prefix";
    /** An IPv4 /24, TRACE.md's subnet. */
    public static final int KADEMLIA_IPV4_PREFIX_DEFAULT = 24;
    /** An IPv6 /48, TRACE.md's subnet. */
    public static final int KADEMLIA_IPV6_PREFIX_DEFAULT = 48;

    private Configuration()
    {
    }

    /**
     * @param name a property's name.
     * @return whether the property is set (to anything, blank included).
     */
    public static boolean isSet(final String name)
    {
        return null != System.getProperty(name);
    }

    /**
     * @param name         the property.
     * @param defaultValue the value when it is unset.
     * @return its value as an int.
     * @throws IllegalArgumentException naming the property and the value when it is not an int.
     */
    public static int intValue(final String name, final int defaultValue)
    {
        final String text = System.getProperty(name);
        if (null == text)
        {
            return defaultValue;
        }
        final long value = parseLong(name, text);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw badValue(name, text, "must be an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
        }
        return (int)value;
    }

    /**
     * @param name         the property.
     * @param defaultValue the value when it is unset.
     * @return its value as a long.
     * @throws IllegalArgumentException naming the property and the value when it is not a long.
     */
    public static long longValue(final String name, final long defaultValue)
    {
        final String text = System.getProperty(name);
        return null == text ? defaultValue : parseLong(name, text);
    }

    /**
     * @param name         the property.
     * @param defaultValue the value when it is unset.
     * @return {@code true} or {@code false}, in any case.
     * @throws IllegalArgumentException naming the property and the value when it is neither.
     */
    public static boolean booleanValue(final String name, final boolean defaultValue)
    {
        final String text = System.getProperty(name);
        if (null == text)
        {
            return defaultValue;
        }
        final String t = text.trim();
        if ("true".equalsIgnoreCase(t))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(t))
        {
            return false;
        }
        throw badValue(name, text, "must be true or false");
    }

    /**
     * @param name         the property.
     * @param type         the enum.
     * @param defaultValue the value when it is unset.
     * @param <E>          the enum.
     * @return the constant of that name, in any case.
     * @throws IllegalArgumentException naming the property, the value and the constants when none has that name.
     */
    public static <E extends Enum<E>> E enumValue(final String name, final Class<E> type, final E defaultValue)
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
        throw badValue(name, text, "must be one of " + Arrays.toString(type.getEnumConstants()));
    }

    /**
     * @param name         the property: milliseconds, or a number with a unit ({@code ns}, {@code us}, {@code ms},
     *                     {@code s}, {@code m}, {@code h}).
     * @param defaultValue the value when it is unset.
     * @return the duration.
     * @throws IllegalArgumentException naming the property and the value when it is not a duration.
     */
    public static Duration durationValue(final String name, final Duration defaultValue)
    {
        final String text = System.getProperty(name);
        if (null == text)
        {
            return defaultValue;
        }
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int end = t.length();
        while (end > 0 && Character.isLetter(t.charAt(end - 1)))
        {
            end--;
        }
        final String unit = t.substring(end);
        final long amount;
        try
        {
            amount = Long.parseLong(t.substring(0, end).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw badValue(name, text, "must be a duration: milliseconds, or a number with a unit (ns, us, ms, s, m, h)");
        }
        try
        {
            switch (unit)
            {
                case "":
                case "ms":
                    return Duration.ofMillis(amount);
                case "ns":
                    return Duration.ofNanos(amount);
                case "us":
                    return Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    throw badValue(name, text, "has the unknown unit '" + unit + "' (ns, us, ms, s, m, h)");
            }
        }
        catch (final ArithmeticException ex)
        {
            throw badValue(name, text, "is too long a duration");
        }
    }

    /**
     * @param name the property.
     * @return the path it names, or null when it is unset or blank.
     * @throws IllegalArgumentException naming the property and the value when it is not a path.
     */
    public static Path pathValue(final String name)
    {
        final String text = System.getProperty(name);
        if (null == text || text.isBlank())
        {
            return null;
        }
        try
        {
            return Path.of(text.trim());
        }
        catch (final InvalidPathException ex)
        {
            throw badValue(name, text, "is not a path: " + ex.getReason());
        }
    }

    /**
     * @param name the property.
     * @return its text, trimmed, or null when it is unset or blank.
     */
    public static String textValue(final String name)
    {
        final String text = System.getProperty(name);
        return null == text || text.isBlank() ? null : text.trim();
    }

    /**
     * Names a setting for an error: the setting alone when a setter gave it, or with its property when the value
     * came from there, so that a bad property is named as the user wrote it.
     *
     * @param setting  the setting's name ({@code ringSize}).
     * @param fromCode whether a setter gave the value.
     * @param property the setting's property.
     * @return {@code setting} or {@code setting (system property NAME)}.
     */
    public static String label(final String setting, final boolean fromCode, final String property)
    {
        return fromCode || !isSet(property) ? setting : setting + " (system property " + property + ")";
    }

    /**
     * @param name   the property.
     * @param value  its text as given.
     * @param reason what is wrong with it.
     * @return the error: {@code system property NAME: value 'TEXT' REASON}.
     */
    public static IllegalArgumentException badValue(final String name, final String value, final String reason)
    {
        return new IllegalArgumentException("system property " + name + ": value '" + value + "' " + reason);
    }

    /**
     * The error of a setter called once its object is concluded: Aeron's contexts are used once, and so are ours.
     *
     * @param setting the setting's name.
     * @param owner   what was concluded, and by what ({@code "EngineContext (the engine was launched with it)"}).
     * @return the error, naming the setting.
     */
    public static IllegalStateException concluded(final String setting, final String owner)
    {
        return new IllegalStateException(setting + ": cannot be changed after conclude() (" + owner +
            "); its value is fixed for what was built from it; make a new one for another");
    }

    private static long parseLong(final String name, final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw badValue(name, text, "must be an integer");
        }
    }
}
