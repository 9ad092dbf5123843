package io.peerlane.replication;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.state.CommitResult;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Raft state machine of one replica: a {@link PeerlaneEngine} that is given only committed log entries.
 * <p>
 * Ratis calls {@link #applyTransaction} on one thread in log order; each op of the entry is published to the
 * engine with {@code publish(op, true)}, so the commit stage applies the votes recorded in the entry and never
 * runs a vote of its own: every replica runs the same ops through the same rules in the same order, and ends
 * with the same registry and digest. The returned future completes when the engine has committed the entry's
 * last op, with one outcome byte per op (the {@link io.peerlane.outcome.OutcomeCode} ordinal, or
 * {@link #INVALID} for an op the engine's input checks refused, which every replica refuses alike); the
 * leader's reply to the front carries it.
 * <p>
 * A snapshot is the engine's state snapshot ({@link PeerlaneEngine#snapshot}) written through the ring after
 * every op applied so far, so it holds the registry exactly as of the last applied log index, and is stored
 * by Ratis's {@link SimpleStateMachineStorage} under that term and index (with its MD5), which is what Ratis
 * sends a follower that is behind the leader's purged log. Loading one (at start, or after Ratis installed
 * one) replaces the engine with one restored from it; observers registered on the replica are registered
 * again on the new engine, and are given its registry by {@code onSnapshot}.
 * <p>
 * The leader does not decode its own entries: the batcher hands it the ops it encoded ({@link #propose}),
 * {@link #startTransaction} fixes them in the entry's transaction, and Ratis gives the leader that same
 * transaction to apply. They are the ops the entry's bytes decode to (the codec round-trips), so the leader
 * applies what the followers decode; only the decoding's CPU is saved. Followers, and a leader applying an
 * entry of an earlier term or after a restart, decode the bytes.
 */
final class RegistryStateMachine extends BaseStateMachine
{
    /** The outcome byte of an op the engine's input checks refused. */
    static final byte INVALID = (byte)0xFF;

    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(30);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final ReplicaContext ctx;
    private final LogEntryCodec codec = new LogEntryCodec();
    private final ConcurrentLinkedQueue<AppliedEntry> committing = new ConcurrentLinkedQueue<>();
    private final List<Registration> observers = new ArrayList<>();
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotsLoaded = new AtomicLong();
    private final AtomicLong appliedOps = new AtomicLong();
    private final ConcurrentHashMap<Long, MutationValue[]> proposed = new ConcurrentHashMap<>();
    /** The leader's batcher's client id: only its requests carry ops in {@link #proposed}. */
    private volatile org.apache.ratis.protocol.ClientId proposer;
    private volatile PeerlaneEngine engine;
    private volatile long restoredIndex = -1;

    RegistryStateMachine(final ReplicaContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void initialize(final RaftServer server, final RaftGroupId groupId, final RaftStorage raftStorage)
        throws IOException
    {
        getLifeCycle().startAndTransition(() ->
        {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load(storage.loadLatestSnapshot());
        });
    }

    /** Ratis pauses the state machine before it installs a snapshot the leader sent, then reinitializes it. */
    @Override
    public void pause()
    {
        final LifeCycle lifeCycle = getLifeCycle();
        if (lifeCycle.getCurrentState() == LifeCycle.State.RUNNING)
        {
            lifeCycle.transition(LifeCycle.State.PAUSING);
            lifeCycle.transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException
    {
        closeEngine();
        load(storage.loadLatestSnapshot());
        final LifeCycle lifeCycle = getLifeCycle();
        if (lifeCycle.getCurrentState() == LifeCycle.State.PAUSED)
        {
            lifeCycle.transition(LifeCycle.State.STARTING);
            lifeCycle.transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage()
    {
        return storage;
    }

    private void load(final SingleFileSnapshotInfo snapshot)
    {
        final EngineContext engineCtx = ctx.engineContext().outcomeListener(this::onCommit);
        if (null != snapshot)
        {
            engineCtx.restoreFrom(snapshot.getFile().getPath(), null);
        }
        final PeerlaneEngine started = PeerlaneEngine.launch(engineCtx);
        synchronized (observers)
        {
            for (final Registration r : observers)
            {
                started.register(r.name, r.role, r.observer);
            }
            engine = started;
        }
        if (null != snapshot)
        {
            setLastAppliedTermIndex(snapshot.getTermIndex());
            restoredIndex = snapshot.getIndex();
            snapshotsLoaded.incrementAndGet();
        }
    }

    /** The leader's batcher: the ops of the entry it submits as {@code callId}, so the leader need not decode it. */
    void propose(final org.apache.ratis.protocol.ClientId clientId, final long callId, final MutationValue[] ops)
    {
        proposer = clientId;
        proposed.put(callId, ops);
    }

    /** The leader's batcher: its entry {@code callId} was answered (or never reached the log). */
    void forget(final long callId)
    {
        proposed.remove(callId);
    }

    @Override
    public TransactionContext startTransaction(final RaftClientRequest request) throws IOException
    {
        final TransactionContext trx = super.startTransaction(request);
        final MutationValue[] ops = request.getClientId().equals(proposer) ? proposed.remove(request.getCallId()) : null;
        if (null != ops)
        {
            trx.setStateMachineContext(ops);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(final TransactionContext trx)
    {
        final LogEntryProto entry = trx.getLogEntry();
        final Object local = trx.getStateMachineContext();
        final MutationValue[] ops = local instanceof MutationValue[] ? (MutationValue[])local :
            codec.decode(entry.getStateMachineLogEntry().getLogData());
        final AppliedListener listener = ctx.appliedListener();
        if (null != listener)
        {
            listener.onApplied(entry.getIndex(), ops);
        }
        final AppliedEntry applied = new AppliedEntry(ops.length);
        final PeerlaneEngine e = engine;
        // Listed before the first publish: the commit stage may reach the entry's first op before this loop ends.
        committing.add(applied);
        for (int i = 0; i < ops.length; i++)
        {
            applied.willPublish(i);
            try
            {
                e.publish(ops[i], true);
            }
            catch (final InvalidInputException ex)
            {
                applied.refused(i);
            }
            catch (final RuntimeException ex)
            {
                // The engine is closed or stopped publishing: no later commit will come for this entry, so it
                // must not stay at the head of the queue, where the next entry's commits would be counted to it.
                committing.remove(applied);
                applied.future.completeExceptionally(ex);
                return applied.future;
            }
        }
        applied.seal();
        appliedOps.addAndGet(ops.length);
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return applied.future;
    }

    /** On the engine's commit stage, in commit order: one call per op published by {@link #applyTransaction}. */
    private void onCommit(final long sequence, final Mutation mutation, final CommitResult result)
    {
        AppliedEntry head;
        while (null != (head = committing.peek()) && head.isDone())
        {
            committing.poll();   // completed by its seal, after its last op was committed
        }
        if (null != head && head.commit((byte)result.code().ordinal()))
        {
            committing.poll();
        }
    }

    @Override
    public long takeSnapshot() throws IOException
    {
        final TermIndex last = getLastAppliedTermIndex();
        if (null == last || last.getIndex() < 0)
        {
            return RaftLog.INVALID_LOG_INDEX;
        }
        final File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        engine.snapshot(file.toPath(), SNAPSHOT_TIMEOUT);
        final org.apache.ratis.io.MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        snapshotsTaken.incrementAndGet();
        return last.getIndex();
    }

    @Override
    public void close() throws IOException
    {
        closeEngine();
        super.close();
    }

    private void closeEngine()
    {
        final PeerlaneEngine e;
        synchronized (observers)
        {
            e = engine;
            engine = null;
        }
        if (null != e)
        {
            e.close();
        }
    }

    void register(final String name, final ObserverRole role, final PeerObserver observer)
    {
        synchronized (observers)
        {
            observers.add(new Registration(name, role, observer));
            if (null != engine)
            {
                engine.register(name, role, observer);
            }
        }
    }

    PeerlaneEngine engine()
    {
        final PeerlaneEngine e = engine;
        if (null == e)
        {
            throw new IllegalStateException("the replica's engine is not running (closed, or loading a snapshot)");
        }
        return e;
    }

    long snapshotsTaken()
    {
        return snapshotsTaken.get();
    }

    long snapshotsLoaded()
    {
        return snapshotsLoaded.get();
    }

    long restoredIndex()
    {
        return restoredIndex;
    }

    long appliedOps()
    {
        return appliedOps.get();
    }

    private static final class Registration
    {
        final String name;
        final ObserverRole role;
        final PeerObserver observer;

        Registration(final String name, final ObserverRole role, final PeerObserver observer)
        {
            this.name = name;
            this.role = role;
            this.observer = observer;
        }
    }

    /**
     * The outcomes of one entry's ops, filled in by the commit stage in commit order, and completed when the
     * apply thread has sealed it (published every op) and the commit stage has committed every published op,
     * whichever comes last. {@code order} lists the indices of the published ops (an op refused by the input
     * checks is never committed). Its lock is taken once per op by each side, uncontended but for the last.
     */
    private static final class AppliedEntry
    {
        final CompletableFuture<Message> future = new CompletableFuture<>();
        final byte[] outcomes;
        final int[] order;
        private int published;
        private int committed;
        private boolean sealed;
        private boolean done;

        AppliedEntry(final int ops)
        {
            outcomes = new byte[ops];
            order = new int[ops];
        }

        /** Apply thread, before publishing op {@code i}: the commit stage may commit it at once. */
        synchronized void willPublish(final int i)
        {
            order[published++] = i;
        }

        /** Apply thread: op {@code i}, announced by {@link #willPublish}, was refused and never entered the ring. */
        synchronized void refused(final int i)
        {
            published--;
            outcomes[i] = INVALID;
        }

        /** Apply thread, after the last publish. */
        synchronized void seal()
        {
            sealed = true;
            tryComplete();
        }

        /** Commit thread. @return true when this completed the entry. */
        synchronized boolean commit(final byte code)
        {
            outcomes[order[committed++]] = code;
            return tryComplete();
        }

        synchronized boolean isDone()
        {
            return done;
        }

        private boolean tryComplete()
        {
            if (sealed && !done && committed == published)
            {
                done = true;
                future.complete(Message.valueOf(UnsafeByteOperations.unsafeWrap(outcomes)));
                return true;
            }
            return false;
        }
    }
}
