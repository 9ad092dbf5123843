package io.peerlane.replication;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.Topology;
import io.peerlane.observer.PeerObserver;
import io.peerlane.registry.RegistrySettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The configuration of one replica, in the engine's {@code Context} style: fluent setters, then
 * {@link #conclude()} (which {@link ReplicatedRegistry#launch} calls) checks everything once, after which every
 * setter throws {@link IllegalStateException} naming the setting. Its settings have no system property: a
 * replica's id, peers and storage differ per replica of one JVM (the tests and {@code replicate-bench} run
 * three), so a JVM-wide value would be wrong for all but one. Every replica of a group must be given the same peers, group
 * id and registry settings (the rules must be the same for the replicas to agree).
 */
public final class ReplicaContext
{
    /** Default most ops in one log entry. */
    public static final int MAX_BATCH_OPS_DEFAULT = 2048;
    /** Default most log entries submitted and not yet applied. */
    public static final int MAX_IN_FLIGHT_ENTRIES_DEFAULT = 16;
    /** Default log entries between snapshots. */
    public static final long SNAPSHOT_THRESHOLD_DEFAULT = 10_000;
    /** Default lower bound of the election timeout. */
    public static final Duration ELECTION_TIMEOUT_DEFAULT = Duration.ofMillis(1000);

    private String id;
    private final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    private UUID groupId = UUID.fromString("7065e372-6c61-4e65-8000-000000000001");
    private Path storageDirectory;
    private RegistrySettings settings = RegistrySettings.builder().build();
    private int ringSize = 8192;
    private int maxBatchOps = MAX_BATCH_OPS_DEFAULT;
    private int maxInFlightEntries = MAX_IN_FLIGHT_ENTRIES_DEFAULT;
    private long snapshotThreshold = SNAPSHOT_THRESHOLD_DEFAULT;
    private boolean purgeLogToSnapshot = true;
    private Duration electionTimeout = ELECTION_TIMEOUT_DEFAULT;
    private final List<Map.Entry<String, PeerObserver>> votes = new ArrayList<>();
    private AppliedListener appliedListener;
    private final Map<String, String> raftProperties = new LinkedHashMap<>();
    private boolean concluded;

    /** @param id this replica's id, one of {@link #peer}'s. @return this. */
    public ReplicaContext id(final String id)
    {
        checkOpen("id");
        this.id = id;
        return this;
    }

    /**
     * @param peerId  a replica of the group (this one included).
     * @param address where its Raft transport listens (gRPC).
     * @return this.
     */
    public ReplicaContext peer(final String peerId, final InetSocketAddress address)
    {
        checkOpen("peer");
        peers.put(peerId, address);
        return this;
    }

    /** @param groupId the Raft group's id, the same on every replica. @return this. */
    public ReplicaContext groupId(final UUID groupId)
    {
        checkOpen("groupId");
        this.groupId = groupId;
        return this;
    }

    /** @param directory where this replica keeps its Raft log and snapshots (its own). @return this. */
    public ReplicaContext storageDirectory(final Path directory)
    {
        checkOpen("storageDirectory");
        this.storageDirectory = directory;
        return this;
    }

    /** @param settings the registry's rules, the same on every replica. @return this. */
    public ReplicaContext settings(final RegistrySettings settings)
    {
        checkOpen("settings");
        this.settings = settings;
        return this;
    }

    /** @param ringSize the replica engine's ring size (a power of two). @return this. */
    public ReplicaContext ringSize(final int ringSize)
    {
        checkOpen("ringSize");
        this.ringSize = ringSize;
        return this;
    }

    /** @param ops most ops the leader puts in one log entry. @return this. */
    public ReplicaContext maxBatchOps(final int ops)
    {
        checkOpen("maxBatchOps");
        this.maxBatchOps = ops;
        return this;
    }

    /** @param entries most entries the leader has submitted and not yet applied. @return this. */
    public ReplicaContext maxInFlightEntries(final int entries)
    {
        checkOpen("maxInFlightEntries");
        this.maxInFlightEntries = entries;
        return this;
    }

    /** @param entries log entries applied between automatic snapshots. @return this. */
    public ReplicaContext snapshotThreshold(final long entries)
    {
        checkOpen("snapshotThreshold");
        this.snapshotThreshold = entries;
        return this;
    }

    /**
     * @param purge whether the log is purged up to each snapshot (a replica further behind is then sent
     *              the snapshot); true by default.
     * @return this.
     */
    public ReplicaContext purgeLogToSnapshot(final boolean purge)
    {
        checkOpen("purgeLogToSnapshot");
        this.purgeLogToSnapshot = purge;
        return this;
    }

    /** @param timeout the election timeout's lower bound; the upper is twice it. @return this. */
    public ReplicaContext electionTimeout(final Duration timeout)
    {
        checkOpen("electionTimeout");
        this.electionTimeout = timeout;
        return this;
    }

    /**
     * A critical observer's vote, taken on this replica while it is the leader, before an upsert enters the
     * log; its decision travels in the entry. Register the same votes on every replica, so a new leader votes
     * as the old one did. Only {@link PeerObserver#vote} is called; to follow events, register the observer
     * with {@link ReplicatedRegistry#register} as well, in a non-critical role.
     *
     * @param name     the name a refusal records.
     * @param observer the voter.
     * @return this.
     */
    public ReplicaContext vote(final String name, final PeerObserver observer)
    {
        checkOpen("vote");
        votes.add(Map.entry(name, observer));
        return this;
    }

    /**
     * A Ratis property ({@code RaftServerConfigKeys}, {@code GrpcConfigKeys}), set after Peerlane's own, so it
     * overrides them. For tuning and experiments; a property that weakens the log's durability (such as
     * {@code raft.server.log.unsafe-flush.enabled}) weakens the guarantees README states.
     *
     * @param key   the property's name, such as {@code raft.server.log.write.buffer.size}.
     * @param value its value, as Ratis parses it ({@code 8MB}, {@code 10ms}, {@code true}).
     * @return this.
     */
    public ReplicaContext raftProperty(final String key, final String value)
    {
        checkOpen("raftProperty");
        raftProperties.put(key, value);
        return this;
    }

    /** @return the Ratis properties set with {@link #raftProperty}, in order. */
    public Map<String, String> raftProperties()
    {
        return Collections.unmodifiableMap(raftProperties);
    }

    /** @param listener told every entry this replica applies, or null. @return this. */
    public ReplicaContext appliedListener(final AppliedListener listener)
    {
        checkOpen("appliedListener");
        this.appliedListener = listener;
        return this;
    }

    /** @return the applied-entry listener, or null. */
    public AppliedListener appliedListener()
    {
        return appliedListener;
    }

    /**
     * Checks every setting once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, its value and its limit.
     */
    public ReplicaContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(null != id && peers.containsKey(id), "id", id, "must be one of the peers " + peers.keySet());
        require(peers.size() >= 1, "peers", peers.size(), "must be at least 1");
        require(null != storageDirectory, "storageDirectory", null, "is required");
        require(null != settings, "settings", null, "is required");
        require(null != groupId, "groupId", null, "is required");
        require(maxBatchOps >= 1 && maxBatchOps <= 65_535, "maxBatchOps", maxBatchOps, "must be in [1, 65535]");
        require(maxInFlightEntries >= 1 && maxInFlightEntries <= 1024, "maxInFlightEntries", maxInFlightEntries,
            "must be in [1, 1024]");
        require(snapshotThreshold >= 1, "snapshotThreshold", snapshotThreshold, "must be >= 1");
        require(null != electionTimeout && electionTimeout.toMillis() >= 50, "electionTimeout", electionTimeout,
            "must be >= 50 ms");
        for (final Map.Entry<String, String> p : raftProperties.entrySet())
        {
            require(null != p.getKey() && p.getKey().startsWith("raft."), "raftProperty", p.getKey(),
                "must be a Ratis property (raft.*)");
            require(null != p.getValue() && !p.getValue().isEmpty(), "raftProperty " + p.getKey(), p.getValue(),
                "needs a value");
        }
        concluded = true;
        return this;
    }

    private void checkOpen(final String setting)
    {
        if (concluded)
        {
            throw io.peerlane.config.Configuration.concluded(setting,
                "a replica was launched with this ReplicaContext");
        }
    }

    private static void require(final boolean ok, final String name, final Object value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(name + " = " + value + ": " + limit);
        }
    }

    /** A fresh engine context for this replica's engine: no ticks of its own, no journal (the log is one). */
    EngineContext engineContext()
    {
        return new EngineContext().settings(settings).ringSize(ringSize).topology(Topology.COMPACT)
            .tickIntervalMs(0);
    }

    boolean isConcluded()
    {
        return concluded;
    }

    /** @return this replica's id. */
    public String id()
    {
        return id;
    }

    /** @return the group's replicas and their addresses, in the order given. */
    public Map<String, InetSocketAddress> peers()
    {
        return Collections.unmodifiableMap(peers);
    }

    /** @return the group id. */
    public UUID groupId()
    {
        return groupId;
    }

    /** @return this replica's storage directory. */
    public Path storageDirectory()
    {
        return storageDirectory;
    }

    /** @return the registry settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /** @return most ops per entry. */
    public int maxBatchOps()
    {
        return maxBatchOps;
    }

    /** @return most entries in flight. */
    public int maxInFlightEntries()
    {
        return maxInFlightEntries;
    }

    /** @return entries between snapshots. */
    public long snapshotThreshold()
    {
        return snapshotThreshold;
    }

    /** @return whether the log is purged up to snapshots. */
    public boolean purgeLogToSnapshot()
    {
        return purgeLogToSnapshot;
    }

    /** @return the election timeout's lower bound. */
    public Duration electionTimeout()
    {
        return electionTimeout;
    }

    /** @return the critical votes, in registration order. */
    List<Map.Entry<String, PeerObserver>> votes()
    {
        return votes;
    }
}
