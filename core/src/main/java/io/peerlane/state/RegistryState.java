package io.peerlane.state;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The registry's state and the rules of TRACE.md, applied by the single writer (the commit stage) and by
 * nothing else.
 * <p>
 * Decisions depend on the op, its votes and the state alone, never on the clock or on thread timing, so
 * the same input gives the same state. Every change goes through three primitives ({@code setLive},
 * {@code setTombstone}, and the rate counters); inside a batch each one logs its inverse, and a failed
 * batch is undone by replaying that log backwards, which is what makes a batch all or nothing
 * (evictions, tombstones and rate counts included) without copying the state.
 * <p>
 * Readers never see this object: after each op the writer publishes an immutable {@link RegistryView}.
 */
public final class RegistryState implements RegistryReader
{
    /** Reason of a refused upsert whose id, DID or subnet is banned. */
    public static final String BANNED = "BANNED";
    /** Reason of an upsert past a rate limit. */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** Reason of an upsert whose id is live with another key or DID. */
    public static final String IDENTITY_CONFLICT = "IDENTITY_CONFLICT";
    /** Reason of a new peer past {@code maxDevicesPerDid}. */
    public static final String DEVICE_LIMIT = "DEVICE_LIMIT";
    /** Reason of a peer past {@code maxPeersPerSubnet}. */
    public static final String SUBNET_LIMIT = "SUBNET_LIMIT";
    /** Reason of a new peer refused at {@code maxPeers}. */
    public static final String CAPACITY = "CAPACITY";
    /** Reason of a ban refused at {@code maxBans}. */
    public static final String BAN_LIMIT = "BAN_LIMIT";
    /** Reason of an upsert refused because a user's admission rule threw: a broken rule fails closed. */
    public static final String RULE_ERROR = "RULE_ERROR";

    private static final Comparator<Tombstone> TOMBSTONE_ORDER =
        Comparator.comparingLong((Tombstone t) -> t.madeAt).thenComparing(t -> t.id);

    private static final byte UNDO_LIVE = 1;
    private static final byte UNDO_TOMBSTONE = 2;
    private static final byte UNDO_GLOBAL_RATE = 3;
    private static final byte UNDO_DID_RATE = 4;

    private final RegistrySettings settings;
    private final AdmissionRule[] builtInRules;
    private final AdmissionRule[] userRules;

    private PersistentHashMap<NodeId, PeerRecord> peers;
    private PersistentHashMap<String, NodeId[]> byDid;
    private PersistentHashMap<PublicKey, NodeId[]> byKey;
    private PersistentHashMap.Edit edit = new PersistentHashMap.Edit();
    private boolean dirty;
    private final RecordHeap expiryOrder = new RecordHeap(false);
    private final RecordHeap victimOrder = new RecordHeap(true);
    private final Long2LongHashMap subnetCounts = new Long2LongHashMap(0);

    private final Map<NodeId, Tombstone> tombstones = new HashMap<>();
    private final TreeSet<Tombstone> tombstoneOrder = new TreeSet<>(TOMBSTONE_ORDER);

    private final BanList bans = new BanList();

    private long rateSecond = Long.MIN_VALUE;
    private long rateSecondCount;
    private long rateMinute = Long.MIN_VALUE;
    private final Object2IntHashMap<String> didRateCounts = new Object2IntHashMap<>(0);

    private boolean logUndo;
    private byte[] undoKinds = new byte[64];
    private Object[] undoKeys = new Object[64];
    private Object[] undoValues = new Object[64];
    private long[] undoCounts = new long[64];
    private int undoSize;

    private long time = Long.MIN_VALUE;
    private long eventSeq;
    private long sequence = -1;
    private volatile RegistryView view;

    private final RegistryStats stats = new RegistryStats();

    /**
     * @param settings  rule settings.
     * @param userRules the user's admission rules, in order.
     */
    public RegistryState(final RegistrySettings settings, final List<AdmissionRule> userRules)
    {
        this(settings, userRules, RegistryView.empty(), Long.MIN_VALUE);
    }

    /**
     * Starts from a snapshot: the live peers of {@code from}, and the event time of its last op.
     *
     * @param settings  rule settings.
     * @param userRules the user's admission rules, in order.
     * @param from      the view to start from.
     * @param time      the event time of the snapshot's last op.
     */
    public RegistryState(
        final RegistrySettings settings, final List<AdmissionRule> userRules, final RegistryView from, final long time)
    {
        this.settings = settings;
        this.builtInRules = new AdmissionRule[]{ this::deviceLimit, this::subnetLimit };
        this.userRules = userRules.toArray(new AdmissionRule[0]);
        this.peers = PersistentHashMap.empty(KeyHashers.NODE_ID);
        this.byDid = PersistentHashMap.empty(KeyHashers.STRING);
        this.byKey = PersistentHashMap.empty(KeyHashers.PUBLIC_KEY);
        from.forEach(r -> setLive(r.id(), null, r));
        this.time = time;
        this.sequence = from.sequence();
        this.eventSeq = from.eventSeq();
        publish();
    }

    /** @return the settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /**
     * For the writer's thread: the current state as a view, publishing it first if anything changed since
     * the last publication.
     *
     * @return the view of the current state.
     */
    public RegistryView view()
    {
        if (dirty)
        {
            publish();
        }
        return view;
    }

    /**
     * For any thread: the last published view. The writer publishes at the end of each run of events it
     * handles, and before it wakes any producer awaiting an outcome.
     *
     * @return the last published view.
     */
    public RegistryView publishedView()
    {
        return view;
    }

    /** @return counters of outcomes and reasons, safe to read from any thread. */
    public RegistryStats stats()
    {
        return stats;
    }

    /**
     * Applies one input op: TRACE.md's rules in order, the outcome and event lines into {@code out}, then
     * publishes the new view.
     *
     * @param m        the op.
     * @param sequence the ring sequence of the op, carried by the view.
     * @param out      receives the outcome and the changes.
     */
    public void commit(final Mutation m, final long sequence, final CommitResult out)
    {
        final long t = Math.max(m.time(), time);
        time = t;
        out.reset(t);
        expire(t, out);
        switch (m.kind())
        {
            case UPSERT:
                upsert(m.record(), 0, m, t, out);
                break;
            case REMOVE:
                remove(m.id(), t, out);
                break;
            case TOUCH:
                touch(m.id(), m.lastSeen(), out);
                break;
            case BATCH:
                batch(m, t, out);
                break;
            case TICK:
                out.outcome(OutcomeCode.TICKED, null, null);
                break;
            case BAN:
                ban(m.ban(), t, out);
                break;
            case UNBAN:
                out.outcome(bans.lift(m.ban().key()) > 0 ? OutcomeCode.BAN_LIFTED : OutcomeCode.NOT_FOUND, null, null);
                break;
            default:
                throw new IllegalStateException("unknown op " + m.kind());
        }
        out.firstEventSeq(eventSeq + 1);
        eventSeq += out.lineCount();
        this.sequence = sequence;
        stats.count(out);
        dirty = true;
    }

    /**
     * For the commit thread only (or a stopped engine).
     *
     * @return the ban list, oldest first within a value.
     */
    public List<Ban> bans()
    {
        return bans.list();
    }

    /** @return number of tombstones held. */
    public int tombstoneCount()
    {
        return tombstones.size();
    }

    /** @return number of per-DID rate windows held. */
    public int rateWindowCount()
    {
        return didRateCounts.size();
    }

    /** @return number of bans held. */
    public int banCount()
    {
        return bans.size();
    }

    /**
     * @param id a node id.
     * @return the version its tombstone holds, or -1.
     */
    public long tombstoneVersion(final NodeId id)
    {
        final Tombstone t = tombstones.get(id);
        return null == t ? -1 : t.version;
    }

    @Override
    public PeerRecord get(final NodeId id)
    {
        return peers.get(id);
    }

    @Override
    public int size()
    {
        return peers.size();
    }

    @Override
    public int countByDid(final String did)
    {
        final NodeId[] ids = byDid.get(did);
        return null == ids ? 0 : ids.length;
    }

    @Override
    public int countInSubnet(final long subnetKey)
    {
        return (int)subnetCounts.get(subnetKey);
    }

    @Override
    public long time()
    {
        return time;
    }

    // ---------------------------------------------------------------------------------------------------
    // Snapshots: everything the rules depend on.

    void writeSnapshot(final java.io.DataOutputStream out) throws java.io.IOException
    {
        out.writeLong(sequence);
        out.writeLong(eventSeq);
        out.writeLong(time);
        out.writeInt(peers.size());
        final List<PeerRecord> live = view().sortedById();
        for (final PeerRecord r : live)
        {
            StateSnapshot.writeRecord(out, r);
        }
        out.writeInt(tombstoneOrder.size());
        for (final Tombstone t : tombstoneOrder)
        {
            out.write(t.id.toBytes());
            out.writeLong(t.version);
            out.writeLong(t.madeAt);
        }
        final List<Ban> held = bans.list();
        out.writeInt(held.size());
        for (final Ban ban : held)
        {
            out.writeByte(ban.kind().ordinal());
            out.writeUTF(ban.value());
            out.writeLong(ban.until());
        }
        out.writeLong(rateSecond);
        out.writeLong(rateSecondCount);
        out.writeLong(rateMinute);
        out.writeInt(didRateCounts.size());
        final List<String> dids = new ArrayList<>(didRateCounts.keySet());
        java.util.Collections.sort(dids);
        for (final String did : dids)
        {
            out.writeUTF(did);
            out.writeInt(didRateCounts.getValue(did));
        }
    }

    static RegistryState readSnapshot(
        final java.io.DataInputStream in, final RegistrySettings settings, final List<AdmissionRule> userRules)
        throws java.io.IOException
    {
        final RegistryState state = new RegistryState(settings, userRules);
        state.sequence = in.readLong();
        state.eventSeq = in.readLong();
        state.time = in.readLong();
        final int peers = in.readInt();
        for (int i = 0; i < peers; i++)
        {
            final PeerRecord r = StateSnapshot.readRecord(in);
            state.setLive(r.id(), state.peers.get(r.id()), r);
        }
        final int tombstones = in.readInt();
        for (int i = 0; i < tombstones; i++)
        {
            final NodeId id = StateSnapshot.readId(in);
            state.setTombstone(id, new Tombstone(id, in.readLong(), in.readLong()));
        }
        final int bans = in.readInt();
        for (int i = 0; i < bans; i++)
        {
            final int kind = in.readUnsignedByte();
            if (kind >= BanKind.values().length)
            {
                throw new java.io.IOException("ban kind " + kind + " is unknown");
            }
            state.bans.add(Ban.of(BanKind.values()[kind], in.readUTF(), in.readLong()));
        }
        state.rateSecond = in.readLong();
        state.rateSecondCount = in.readLong();
        state.rateMinute = in.readLong();
        final int dids = in.readInt();
        for (int i = 0; i < dids; i++)
        {
            state.didRateCounts.put(in.readUTF(), in.readInt());
        }
        state.publish();
        return state;
    }

    // ---------------------------------------------------------------------------------------------------
    // The rules.

    /** Step 1, once per input line. */
    private void expire(final long t, final CommitResult out)
    {
        final long tombstoneTtl = settings.tombstoneTtlMs();
        while (!tombstoneOrder.isEmpty() && tombstoneOrder.first().madeAt + tombstoneTtl < t)
        {
            setTombstone(tombstoneOrder.first().id, null);
        }
        bans.lapse(t);
        final long ttl = settings.peerTtlMs();
        // The heap's top may be a stale entry, but nothing is live older than it: while the top has not
        // expired, no live peer has, and the common case costs one comparison and no lookup.
        PeerRecord oldest;
        while (null != (oldest = expiryOrder.peek()) && oldest.lastSeen() + ttl < t &&
            null != (oldest = liveTop(expiryOrder)) && oldest.lastSeen() + ttl < t)
        {
            removeLive(oldest, RemoveCause.EXPIRED, t, out);
        }
        final long second = Math.floorDiv(t, 1000L);
        if (second != rateSecond)
        {
            rateSecond = second;
            rateSecondCount = 0;
        }
        final long minute = Math.floorDiv(t, 60_000L);
        if (minute != rateMinute)
        {
            rateMinute = minute;
            didRateCounts.clear();
            didRateCounts.compact();
        }
    }

    /** Steps 2 to 8 for one upsert; returns whether it was applied. */
    private boolean upsert(final PeerRecord r, final int op, final Mutation m, final long t, final CommitResult out)
    {
        if (bans.bans(r))
        {
            return reject(BANNED, out);
        }
        final long globalLimit = settings.globalRateLimitPerSec();
        final long didLimit = settings.didRateLimitPerMin();
        if ((globalLimit != 0 && rateSecondCount >= globalLimit) ||
            (didLimit != 0 && didRateCounts.getValue(r.did()) >= didLimit))
        {
            return reject(RATE_LIMITED, out);
        }
        if (globalLimit != 0)
        {
            logUndo(UNDO_GLOBAL_RATE, null, null, rateSecondCount);
            rateSecondCount++;
        }
        if (didLimit != 0)
        {
            final int count = didRateCounts.getValue(r.did());
            logUndo(UNDO_DID_RATE, r.did(), null, count);
            didRateCounts.put(r.did(), count + 1);
        }

        final PeerRecord current = peers.get(r.id());
        if (null != current && (!current.publicKey().equals(r.publicKey()) || !current.did().equals(r.did())))
        {
            return reject(IDENTITY_CONFLICT, out);
        }
        if (null != current ? current.version() >= r.version() : tombstoneVersion(r.id()) >= r.version())
        {
            out.outcome(OutcomeCode.STALE, null, null);
            return false;
        }

        for (final AdmissionRule rule : builtInRules)
        {
            final String reason = rule.check(r, current, this);
            if (null != reason)
            {
                return reject(reason, out);
            }
        }
        PeerRecord victim = null;
        if (null == current && settings.maxPeers() != 0 && peers.size() >= settings.maxPeers())
        {
            victim = liveTop(victimOrder);
            if (null == victim || victim.tier().betterThan(r.tier()))
            {
                return reject(CAPACITY, out);
            }
        }
        for (final AdmissionRule rule : userRules)
        {
            String reason;
            try
            {
                reason = rule.check(r, current, this);
            }
            catch (final Throwable ex)
            {
                // Whatever a broken rule throws (checked exceptions thrown sneakily, errors), the upsert is
                // refused and the writer goes on: a rule can never leave a batch half applied.
                reason = RULE_ERROR;
            }
            if (null != reason)
            {
                return reject(reason, out);
            }
        }

        final String refusedBy = m.refusedBy(op);
        if (null != refusedBy)
        {
            out.outcome(OutcomeCode.ABORTED, refusedBy, m.refusalCause(op));
            return false;
        }

        if (null != victim)
        {
            removeLive(victim, RemoveCause.EVICTED, t, out);
        }
        if (null == current && tombstones.containsKey(r.id()))
        {
            setTombstone(r.id(), null);
        }
        final PeerRecord stored = r.withSeen(r.lastSeen(), null == current ? t : current.firstSeen());
        setLive(r.id(), current, stored);
        if (null == current)
        {
            out.add(ChangeType.ADDED, stored, -1, null);
            out.outcome(OutcomeCode.ADDED, null, null);
        }
        else
        {
            out.add(ChangeType.UPDATED, stored, current.version(), null);
            out.outcome(OutcomeCode.UPDATED, null, null);
        }
        return true;
    }

    private String deviceLimit(final PeerRecord r, final PeerRecord current, final RegistryReader state)
    {
        final long limit = settings.maxDevicesPerDid();
        return null == current && limit != 0 && countByDid(r.did()) >= limit ? DEVICE_LIMIT : null;
    }

    private String subnetLimit(final PeerRecord r, final PeerRecord current, final RegistryReader state)
    {
        final long limit = settings.maxPeersPerSubnet();
        if (limit == 0)
        {
            return null;
        }
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long key = r.subnet(i);
            final long others = subnetCounts.get(key) - (null != current && current.hasSubnet(key) ? 1 : 0);
            if (others >= limit)
            {
                return SUBNET_LIMIT;
            }
        }
        return null;
    }

    private static boolean reject(final String reason, final CommitResult out)
    {
        out.outcome(OutcomeCode.REJECTED, reason, null);
        return false;
    }

    private boolean remove(final NodeId id, final long t, final CommitResult out)
    {
        final PeerRecord current = peers.get(id);
        if (null == current)
        {
            out.outcome(OutcomeCode.NOT_FOUND, null, null);
            return false;
        }
        removeLive(current, RemoveCause.REMOVED, t, out);
        out.outcome(OutcomeCode.REMOVED, null, null);
        return true;
    }

    private void touch(final NodeId id, final long lastSeen, final CommitResult out)
    {
        final PeerRecord current = peers.get(id);
        if (null == current)
        {
            out.outcome(OutcomeCode.NOT_FOUND, null, null);
            return;
        }
        if (lastSeen > current.lastSeen())
        {
            final PeerRecord touched = current.withSeen(lastSeen, current.firstSeen());
            setLive(id, current, touched);
            out.add(ChangeType.TOUCHED, touched, -1, null);
        }
        out.outcome(OutcomeCode.TOUCHED, null, null);
    }

    private void batch(final Mutation m, final long t, final CommitResult out)
    {
        final Batch batch = m.batch();
        out.openBatch();
        logUndo = true;
        undoSize = 0;
        try
        {
            for (int i = 0; i < batch.size(); i++)
            {
                final boolean applied = batch.isUpsert(i) ?
                    upsert(batch.record(i), i, m, t, out) : remove(batch.removeId(i), t, out);
                if (!applied)
                {
                    rollback();
                    out.dropBatch();
                    final OutcomeCode failed = out.code();
                    final String reason = null != out.reason() ? out.reason() : failed.name();
                    out.outcome(OutcomeCode.BATCH_FAILED, reason, out.cause());
                    out.failedOp(i);
                    return;
                }
            }
            out.outcome(OutcomeCode.BATCH_COMMITTED, null, null);
        }
        catch (final RuntimeException | Error ex)
        {
            // Not a rule's decision but a fault: undo what the batch did before the fault goes on up.
            rollback();
            out.dropBatch();
            throw ex;
        }
        finally
        {
            logUndo = false;
            Arrays.fill(undoKeys, 0, undoSize, null);
            Arrays.fill(undoValues, 0, undoSize, null);
            undoSize = 0;
        }
    }

    private void ban(final Ban ban, final long t, final CommitResult out)
    {
        if (settings.maxBans() != 0 && bans.size() >= settings.maxBans())
        {
            out.outcome(OutcomeCode.REJECTED, BAN_LIMIT, null);
            return;
        }
        bans.add(ban);
        final List<PeerRecord> matched = new ArrayList<>();
        switch (ban.kind())
        {
            case NODE:
                final PeerRecord r = peers.get((NodeId)ban.key());
                if (null != r)
                {
                    matched.add(r);
                }
                break;
            case DID:
                final NodeId[] ids = byDid.get((String)ban.key());
                if (null != ids)
                {
                    for (final NodeId id : ids)
                    {
                        matched.add(peers.get(id));
                    }
                }
                break;
            default:
                peers.forEach((id, p) ->
                {
                    if (BanList.matches(ban, p))
                    {
                        matched.add(p);
                    }
                });
                break;
        }
        matched.sort((a, b) -> a.id().compareTo(b.id()));
        for (final PeerRecord p : matched)
        {
            removeLive(p, RemoveCause.BANNED, t, out);
        }
        out.outcome(OutcomeCode.BAN_SET, null, null);
    }

    private void removeLive(final PeerRecord p, final RemoveCause cause, final long t, final CommitResult out)
    {
        setLive(p.id(), p, null);
        setTombstone(p.id(), new Tombstone(p.id(), p.version(), t));
        final long cap = settings.maxTombstones();
        while (cap != 0 && tombstones.size() > cap)
        {
            setTombstone(tombstoneOrder.first().id, null);
        }
        out.add(ChangeType.REMOVED, p, -1, cause);
    }

    // ---------------------------------------------------------------------------------------------------
    // The primitives: every change of state goes through these.

    /**
     * The live record at the top of a heap. An entry stands for its peer while the live record has the same
     * ordering key (an update that keeps {@code lastSeen} and tier pushes nothing); other entries are stale
     * and dropped on the way.
     */
    private PeerRecord liveTop(final RecordHeap heap)
    {
        PeerRecord top;
        while (null != (top = heap.peek()))
        {
            final PeerRecord live = peers.get(top.id());
            if (null != live && !live.pinned() && heap.sameKey(live, top))
            {
                return live;
            }
            heap.poll();
        }
        return null;
    }

    private void setLive(final NodeId id, final PeerRecord previous, final PeerRecord next)
    {
        logUndo(UNDO_LIVE, id, previous, 0);
        // A re-announced peer usually keeps its endpoints (records made with withVersion share them):
        // then its subnet counts do not move.
        final boolean sameSubnets = null != previous && null != next && previous.sameSubnets(next);
        if (null != previous && !sameSubnets)
        {
            for (int i = 0; i < previous.subnetCount(); i++)
            {
                final long key = previous.subnet(i);
                final long count = subnetCounts.get(key) - 1;
                if (count == 0)
                {
                    subnetCounts.remove(key);
                }
                else
                {
                    subnetCounts.put(key, count);
                }
            }
            if (null == next)
            {
                byDid = withoutId(byDid, previous.did(), id, edit);
                byKey = withoutId(byKey, previous.publicKey(), id, edit);
                peers = peers.remove(id, edit);
            }
        }
        if (null != next)
        {
            if (!next.pinned())
            {
                final boolean wasOrdered = null != previous && !previous.pinned();
                if (!wasOrdered || !expiryOrder.sameKey(previous, next))
                {
                    expiryOrder.push(next);
                }
                if (settings.maxPeers() != 0 && (!wasOrdered || !victimOrder.sameKey(previous, next)))
                {
                    victimOrder.push(next);
                }
            }
            for (int i = 0; !sameSubnets && i < next.subnetCount(); i++)
            {
                final long key = next.subnet(i);
                subnetCounts.put(key, subnetCounts.get(key) + 1);
            }
            if (null == previous)
            {
                byDid = withId(byDid, next.did(), id, edit);
                byKey = withId(byKey, next.publicKey(), id, edit);
            }
            peers = peers.put(id, next, edit);
        }
        if (expiryOrder.size() > 2 * peers.size() + 1024)
        {
            rebuildHeaps();
        }
    }

    private void rebuildHeaps()
    {
        expiryOrder.clear();
        victimOrder.clear();
        peers.forEach((id, r) ->
        {
            if (!r.pinned())
            {
                expiryOrder.push(r);
                if (settings.maxPeers() != 0)
                {
                    victimOrder.push(r);
                }
            }
        });
    }

    private void setTombstone(final NodeId id, final Tombstone next)
    {
        final Tombstone previous = null == next ? tombstones.remove(id) : tombstones.put(id, next);
        logUndo(UNDO_TOMBSTONE, id, previous, 0);
        if (null != previous)
        {
            tombstoneOrder.remove(previous);
        }
        if (null != next)
        {
            tombstoneOrder.add(next);
        }
    }

    private void logUndo(final byte kind, final Object key, final Object value, final long count)
    {
        if (!logUndo)
        {
            return;
        }
        if (undoSize == undoKinds.length)
        {
            final int n = undoSize * 2;
            undoKinds = Arrays.copyOf(undoKinds, n);
            undoKeys = Arrays.copyOf(undoKeys, n);
            undoValues = Arrays.copyOf(undoValues, n);
            undoCounts = Arrays.copyOf(undoCounts, n);
        }
        undoKinds[undoSize] = kind;
        undoKeys[undoSize] = key;
        undoValues[undoSize] = value;
        undoCounts[undoSize] = count;
        undoSize++;
    }

    private void rollback()
    {
        logUndo = false;
        for (int i = undoSize - 1; i >= 0; i--)
        {
            switch (undoKinds[i])
            {
                case UNDO_LIVE:
                    final NodeId id = (NodeId)undoKeys[i];
                    setLive(id, peers.get(id), (PeerRecord)undoValues[i]);
                    break;
                case UNDO_TOMBSTONE:
                    setTombstone((NodeId)undoKeys[i], (Tombstone)undoValues[i]);
                    break;
                case UNDO_GLOBAL_RATE:
                    rateSecondCount = undoCounts[i];
                    break;
                default:
                    if (undoCounts[i] == 0)
                    {
                        didRateCounts.removeKey((String)undoKeys[i]);
                    }
                    else
                    {
                        didRateCounts.put((String)undoKeys[i], (int)undoCounts[i]);
                    }
                    break;
            }
        }
    }

    /** Publishes the current state for readers, and closes the edit so that nothing published changes. */
    private void publish()
    {
        view = new RegistryView(peers, byDid, byKey, sequence, eventSeq);
        edit = new PersistentHashMap.Edit();
        dirty = false;
    }

    private static <K> PersistentHashMap<K, NodeId[]> withId(
        final PersistentHashMap<K, NodeId[]> index, final K key, final NodeId id, final PersistentHashMap.Edit edit)
    {
        final NodeId[] ids = index.get(key);
        if (null == ids)
        {
            return index.put(key, new NodeId[]{ id }, edit);
        }
        final NodeId[] grown = Arrays.copyOf(ids, ids.length + 1);
        grown[ids.length] = id;
        return index.put(key, grown, edit);
    }

    private static <K> PersistentHashMap<K, NodeId[]> withoutId(
        final PersistentHashMap<K, NodeId[]> index, final K key, final NodeId id, final PersistentHashMap.Edit edit)
    {
        final NodeId[] ids = index.get(key);
        if (ids.length == 1)
        {
            return index.remove(key, edit);
        }
        final NodeId[] shrunk = new NodeId[ids.length - 1];
        int j = 0;
        for (final NodeId other : ids)
        {
            if (!other.equals(id))
            {
                shrunk[j++] = other;
            }
        }
        return index.put(key, shrunk, edit);
    }

    /** A removed peer's last version, kept so that replays of older records stay STALE. */
    static final class Tombstone
    {
        final NodeId id;
        final long version;
        final long madeAt;

        Tombstone(final NodeId id, final long version, final long madeAt)
        {
            this.id = id;
            this.version = version;
            this.madeAt = madeAt;
        }
    }
}
