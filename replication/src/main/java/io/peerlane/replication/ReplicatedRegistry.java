package io.peerlane.replication;

import io.peerlane.digest.StateDigest;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.RegistryView;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One replica of a replicated registry: a Raft server (Apache Ratis, gRPC transport) whose state machine is
 * a Peerlane engine, and, while it is the leader, the front producers publish through.
 * <p>
 * <b>Write path (leader only).</b> {@link #submit} takes the critical votes on the producer's thread
 * ({@link ReplicaContext#vote}), fixes them in the op, and queues it; one batching thread puts up to
 * {@code maxBatchOps} queued ops in one log entry (the journal's frames, {@link LogEntryCodec}) and submits it
 * to the local Raft server. The future completes with the op's {@link OutcomeCode} once the entry is
 * committed (on a majority) and applied by this replica's engine. A replica that is not the leader refuses at
 * once with {@link NotLeaderException} naming the leader; it does not forward, because the leader's observers
 * vote. An op that entered the log but was not acknowledged (the leader stepped down or closed) fails with
 * {@link UnknownOutcomeException}: it may or may not be applied, and is never re-sent.
 * <p>
 * <b>Apply (every replica).</b> Entries are applied in log order by {@code publish(op, true)}: every replica
 * commits the same ops with the same recorded votes through the same rules, so every replica has the same
 * registry and {@link #digest()}. Reads ({@link #get}, {@link #view}) are the engine's lock-free reads of this
 * replica's applied state (a follower's may lag the leader's by the entries in flight); observers registered
 * with {@link #register} are given the same committed events on every replica.
 */
public final class ReplicatedRegistry implements AutoCloseable
{
    private final ReplicaContext ctx;
    private final RaftGroupId groupId;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final RegistryStateMachine stateMachine;
    private final LeaderVotes votes;
    private final EntryBatcher batcher;
    private final Thread batcherThread;
    private volatile boolean closed;

    private ReplicatedRegistry(final ReplicaContext ctx) throws IOException
    {
        this.ctx = ctx;
        groupId = RaftGroupId.valueOf(ctx.groupId());
        final List<RaftPeer> peers = new ArrayList<>();
        for (final Map.Entry<String, InetSocketAddress> p : ctx.peers().entrySet())
        {
            peers.add(RaftPeer.newBuilder().setId(p.getKey())
                .setAddress(p.getValue().getHostString() + ":" + p.getValue().getPort()).build());
        }
        final RaftGroup group = RaftGroup.valueOf(groupId, peers);
        final InetSocketAddress self = ctx.peers().get(ctx.id());

        final RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(ctx.storageDirectory().toFile()));
        GrpcConfigKeys.Server.setHost(properties, self.getHostString());
        GrpcConfigKeys.Server.setPort(properties, self.getPort());
        final long electionMs = ctx.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(electionMs, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2 * electionMs, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, ctx.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, ctx.purgeLogToSnapshot());
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int)Math.min(1024, ctx.snapshotThreshold()));
        for (final Map.Entry<String, String> p : ctx.raftProperties().entrySet())
        {
            properties.set(p.getKey(), p.getValue());
        }

        stateMachine = new RegistryStateMachine(ctx);
        final boolean existing = Files.isDirectory(ctx.storageDirectory().resolve(ctx.groupId().toString()));
        server = RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(ctx.id()))
            .setGroup(group)
            .setProperties(properties)
            .setStateMachine(stateMachine)
            .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
        server.start();
        division = server.getDivision(groupId);
        votes = new LeaderVotes(ValidatorKeyVote.of(ctx.settings()), ctx.votes());
        batcher = new EntryBatcher(server, stateMachine, groupId, RaftPeerId.valueOf(ctx.id()), this::leaderId,
            ctx.maxBatchOps(), ctx.maxInFlightEntries());
        batcherThread = new Thread(batcher, "peerlane-replica-batcher-" + ctx.id());
        batcherThread.setDaemon(true);
        batcherThread.start();
    }

    /**
     * Starts a replica: formats its storage on the first start, recovers it (latest snapshot, then the log
     * after it) on a later one, and joins the group.
     *
     * @param ctx the replica's configuration; concluded here if it was not.
     * @return the running replica.
     * @throws UncheckedIOException when the storage or the transport cannot be set up.
     */
    public static ReplicatedRegistry launch(final ReplicaContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        try
        {
            return new ReplicatedRegistry(ctx);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("replica " + ctx.id() + " did not start: " + ex.getMessage(), ex);
        }
    }

    /**
     * Votes on an op (on this thread), then queues it for the log.
     *
     * @param op the producer's op; its time is the event time every replica applies.
     * @return completes with the op's outcome once its entry is committed and applied here; fails with
     *         {@link NotLeaderException} (not logged), {@link UnknownOutcomeException} (logged, not acknowledged),
     *         or an {@link io.peerlane.peer.InvalidInputException} (refused alike by every replica).
     */
    public CompletableFuture<OutcomeCode> submit(final Mutation op)
    {
        if (closed)
        {
            return CompletableFuture.failedFuture(new UnknownOutcomeException("replica " + ctx.id() + " is closed", null, null));
        }
        if (!isLeader())
        {
            return CompletableFuture.failedFuture(new NotLeaderException(ctx.id(), leaderId()));
        }
        final EntryBatcher.Pending pending = new EntryBatcher.Pending(votes.decide(op));
        batcher.offer(pending);
        return pending.outcome;
    }

    /** @param record a record. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> upsert(final PeerRecord record)
    {
        return submit(MutationValue.upsert(System.currentTimeMillis(), record, null));
    }

    /** @param id a peer. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> remove(final NodeId id)
    {
        return submit(MutationValue.remove(System.currentTimeMillis(), id));
    }

    /** @param id a peer. @param lastSeen its last-seen time. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> touch(final NodeId id, final long lastSeen)
    {
        return submit(MutationValue.touch(System.currentTimeMillis(), id, lastSeen));
    }

    /** @param batch ops applied all or none. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> batch(final Batch batch)
    {
        return submit(MutationValue.batch(System.currentTimeMillis(), batch, null));
    }

    /** @param ban a ban. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> ban(final Ban ban)
    {
        return submit(MutationValue.ban(System.currentTimeMillis(), ban, false));
    }

    /** @param ban a ban to lift. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> unban(final Ban ban)
    {
        return submit(MutationValue.ban(System.currentTimeMillis(), ban, true));
    }

    /** A tick (expiry of peers, tombstones, bans) at the leader's clock, replicated like any op. @return see {@link #submit}. */
    public CompletableFuture<OutcomeCode> tick()
    {
        return submit(MutationValue.tick(System.currentTimeMillis()));
    }

    /** @param id a peer. @return its record in this replica's applied state, or null. */
    public PeerRecord get(final NodeId id)
    {
        return stateMachine.engine().get(id);
    }

    /** @return a view of this replica's applied state. */
    public RegistryView view()
    {
        return stateMachine.engine().view();
    }

    /** @return the state digest (TRACE.md) of this replica's applied state. */
    public String digest()
    {
        return StateDigest.of(view());
    }

    /**
     * Registers an observer of this replica's committed events (every replica's observers see the same events).
     * It is registered again, and given the registry by {@code onSnapshot}, when the replica loads a snapshot.
     *
     * @param name     its name.
     * @param role     any role but {@link ObserverRole#CRITICAL} (critical votes: {@link ReplicaContext#vote}).
     * @param observer the observer.
     */
    public void register(final String name, final ObserverRole role, final PeerObserver observer)
    {
        if (role == ObserverRole.CRITICAL)
        {
            throw new IllegalArgumentException("role = CRITICAL: a replica's critical votes are taken by the " +
                "leader before the log (ReplicaContext.vote); register the observer in another role");
        }
        stateMachine.register(name, role, observer);
    }

    /** @return this replica's id. */
    public String id()
    {
        return ctx.id();
    }

    /** @return whether this replica is the leader now. */
    public boolean isLeader()
    {
        return division.getInfo().isLeader();
    }

    /** @return whether this replica is the leader and has committed an entry of its term (ready to serve). */
    public boolean isLeaderReady()
    {
        return division.getInfo().isLeader() && division.getInfo().isLeaderReady();
    }

    /** @return the leader's id as this replica knows it, or null during an election. */
    public String leaderId()
    {
        final RaftPeerId leader = division.getInfo().getLeaderId();
        return null == leader ? null : leader.toString();
    }

    /** @return the index of the last log entry this replica applied. */
    public long lastAppliedIndex()
    {
        return division.getInfo().getLastAppliedIndex();
    }

    /** @return the engine this replica applies to (for metrics and reads; never publish to it). */
    public PeerlaneEngine engine()
    {
        return stateMachine.engine();
    }

    /** @return snapshots this replica wrote. */
    public long snapshotsTaken()
    {
        return stateMachine.snapshotsTaken();
    }

    /** @return snapshots this replica loaded (at start, or sent by the leader). */
    public long snapshotsLoaded()
    {
        return stateMachine.snapshotsLoaded();
    }

    /** @return the log index of the last snapshot loaded, or -1. */
    public long restoredIndex()
    {
        return stateMachine.restoredIndex();
    }

    /** Stops the front (ops queued are submitted first), then the Raft server and the engine. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            batcher.stop(batcherThread, 5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            server.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
