package io.peerlane.state;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.outcome.RemoveCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;


/**
 * The registry's state and the rules of TRACE.md, applied by the single writer (the commit stage) and by
 * nothing else. {@link #commit} reads like the spec: step 1 (expire) once per input line, then the op's
 * own steps in TRACE.md's order; the data structures the rules use are classes of their own.
 * <p>
 * Decisions depend on the op, its votes and the state alone, never on the clock or on thread timing, so
 * the same input gives the same state.
 * <p>
 * <b>No garbage.</b> Every structure is a set of flat arrays reused in place: the live peers and their
 * id index ({@link PeerTable}), live peers per DID ({@link CountIndex}) and per subnet, the expiry and
 * eviction orders (indexed {@link SlotHeap}s: a changed key moves its slot, nothing goes stale),
 * tombstones and their order ({@link TombstoneSet}), the rate windows ({@link RateWindows}) and the
 * batch undo log ({@link UndoLog}). The producer's immutable record is stored by reference; the registry's
 * own {@code lastSeen} and {@code firstSeen} live beside it in the table. Steady-state churn at a constant
 * population therefore allocates nothing here (JMH {@code -prof gc}, see BENCHMARKS.md); only growth past
 * the largest population seen, bans (rare) and views for readers allocate.
 * <p>
 * <b>Readers.</b> {@link #read(NodeId)} looks a peer up from any thread under the table's sequence lock;
 * {@link #readView()} gives any thread an immutable copy at one point of the commit order, built on demand.
 * Every op, a batch included, is one write section, so no reader ever sees half of one.
 * <p>
 * Every change of live state goes through {@code addLive}, {@code replaceLive} and {@code removeLive};
 * every change of a tombstone through {@code putTombstone} and {@code dropTombstone}; inside a batch each
 * logs its inverse in the {@link UndoLog}.
 */
public final class RegistryState implements RegistryReader
{
    private static final int WORST_TIER = io.peerlane.peer.Tier.values().length - 1;

    /** Tries of a reader's own copy before it asks the writer to make one. */
    private static final int COPY_TRIES = 4;

    private final RegistrySettings settings;
    private final AdmissionRule[] userRules;

    private final PeerTable peers = new PeerTable();
    private final CountIndex<String> liveByDid = new CountIndex<>(KeyHashers.STRING);
    private final Long2LongHashMap liveBySubnet = new Long2LongHashMap(0);
    private final SlotHeap expiryOrder = new SlotHeap()
    {
        @Override
        long key(final int slot)
        {
            return peers.lastSeen(slot);
        }

        @Override
        long tie(final int slot)
        {
            return peers.record(slot).id().word(0);
        }

        @Override
        boolean tieBefore(final int a, final int b)
        {
            return peers.record(a).id().compareTo(peers.record(b).id()) < 0;
        }
    };
    /** Worst tier first, then oldest lastSeen (below 2^53), then lowest id: the tier's rank tops the key. */
    private final SlotHeap victimOrder = new SlotHeap()
    {
        @Override
        long key(final int slot)
        {
            return ((long)(WORST_TIER - peers.record(slot).tier().ordinal()) << 53) | peers.lastSeen(slot);
        }

        @Override
        long tie(final int slot)
        {
            return peers.record(slot).id().word(0);
        }

        @Override
        boolean tieBefore(final int a, final int b)
        {
            return peers.record(a).id().compareTo(peers.record(b).id()) < 0;
        }
    };
    private final TombstoneSet tombstones = new TombstoneSet();
    private final BanList bans = new BanList();
    private final RateWindows rates = new RateWindows();
    private final UndoLog undo = new UndoLog();
    private final List<PeerRecord> banned = new ArrayList<>();

    private long time = Long.MIN_VALUE;

    private volatile boolean viewWanted;
    private volatile PeerTable.Copy servedCopy;
    private final java.util.concurrent.atomic.AtomicLong servedCopies = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The last view a reader made, reused by readers while the registry is at the same point: only copies
     * taken under the sequence lock (a reader's own, or the one the writer served) go here, so reusing one
     * gives a reader exactly what a fresh copy would; never the writer's {@link #view()}.
     */
    private volatile RegistryView lastView;
    /** The writer's own last view; the writer's thread only. */
    private RegistryView writerView;

    private final RegistryStats stats = new RegistryStats();

    /**
     * @param settings  rule settings.
     * @param userRules the user's admission rules, in order.
     */
    public RegistryState(final RegistrySettings settings, final List<AdmissionRule> userRules)
    {
        this.settings = settings;
        this.userRules = userRules.toArray(new AdmissionRule[0]);
    }

    /** @return the settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    // -----------------------------------------------------------------------------------------------------
    // Reads.

    /**
     * For the writer's thread (or a state no thread writes): an immutable copy of the current state. It is the
     * writer's own: it never becomes what {@link #readView()} gives other threads, so a copy taken in the middle
     * of an op (by an admission rule, say) can never reach a reader as if it were a finished op.
     *
     * @return the view of the current state.
     */
    public RegistryView view()
    {
        final RegistryView last = writerView;
        if (null != last && last.sequence() == peers.sequence() && last.eventSeq() == peers.eventSeq())
        {
            return last;
        }
        final RegistryView view = RegistryView.of(peers.copy());
        writerView = view;
        return view;
    }

    /**
     * For any thread: an immutable copy of the registry at one point of the commit order, at or after the
     * last op whose outcome any producer has seen (read-your-writes). It costs a copy of the live peers
     * when the state changed since the last one was made. A reader whose copy keeps overlapping changes
     * asks the writer to copy its slot arrays at the end of its next op (the one cost a reader can put on
     * the writer, and only when it asks for a whole view), so a busy writer cannot starve it.
     *
     * @return the view.
     */
    public RegistryView readView()
    {
        final long sequence = peers.publishedSequence();
        final long eventSeq = peers.publishedEventSeq();
        final RegistryView last = lastView;
        if (null != last && last.sequence() == sequence && last.eventSeq() == eventSeq)
        {
            return last;
        }
        for (int round = 0; ; round++)
        {
            final PeerTable.Copy copy = peers.tryCopy(COPY_TRIES);
            if (null != copy)
            {
                final RegistryView view = RegistryView.of(copy);
                lastView = view;
                return view;
            }
            viewWanted = true;
            final PeerTable.Copy served = servedCopy;
            if (null != served && served.sequence >= sequence)
            {
                final RegistryView view = RegistryView.of(served);
                lastView = view;
                return view;
            }
            if (round < 16)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * A lock-free lookup from any thread, without copying anything: the record as of the last finished op.
     *
     * @param id a node id.
     * @return the live record, or null.
     */
    public PeerRecord read(final NodeId id)
    {
        return peers.read(id);
    }

    /** @return for any thread: the ring sequence of the last finished op. */
    public long publishedSequence()
    {
        return peers.publishedSequence();
    }

    /** @return for any thread: the seq of the last event line of the last finished op. */
    public long publishedEventSeq()
    {
        return peers.publishedEventSeq();
    }

    /** @return for any thread: the live peers after the last finished op. */
    public int publishedSize()
    {
        return peers.publishedSize();
    }

    /** @return how many times the writer copied its arrays for a reader whose own copies kept failing. */
    long servedCopies()
    {
        return servedCopies.get();
    }

    /** @return counters of outcomes and reasons, safe to read from any thread. */
    public RegistryStats stats()
    {
        return stats;
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
        return rates.didWindows();
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
        return tombstones.version(id);
    }

    @Override
    public PeerRecord get(final NodeId id)
    {
        final int slot = peers.slotOf(id);
        return slot < 0 ? null : peers.record(slot);
    }

    @Override
    public int size()
    {
        return peers.size();
    }

    @Override
    public int countByDid(final String did)
    {
        return liveByDid.get(did);
    }

    @Override
    public int countInSubnet(final long subnetKey)
    {
        return (int)liveBySubnet.get(subnetKey);
    }

    @Override
    public long time()
    {
        return time;
    }

    // -----------------------------------------------------------------------------------------------------
    // The rules.

    /**
     * Applies one input op: TRACE.md's rules in order, the outcome and event lines into {@code out}. The op
     * is one write section of the table: readers see all of it or none of it.
     *
     * @param m        the op.
     * @param sequence the ring sequence of the op, carried by views.
     * @param out      receives the outcome and the changes.
     */
    public void commit(final Mutation m, final long sequence, final CommitResult out)
    {
        final long t = Math.max(m.time(), time);
        time = t;
        out.reset(t);
        peers.beginWrite();
        try
        {
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
                    out.outcome(bans.lift(m.ban().key()) > 0 ? OutcomeCode.BAN_LIFTED : OutcomeCode.NOT_FOUND,
                        null, null);
                    break;
                default:
                    throw new IllegalStateException("unknown op " + m.kind());
            }
        }
        finally
        {
            out.firstEventSeq(peers.eventSeq() + 1);
            peers.endWrite(sequence, peers.eventSeq() + out.lineCount());
        }
        stats.count(out);
        if (viewWanted)
        {
            // A reader's own copy kept overlapping changes: copy the slot arrays for it (a few array copies,
            // shared by every reader waiting); the view sorts them on its first read, on the reader's thread.
            viewWanted = false;
            servedCopy = peers.copy();
            servedCopies.lazySet(servedCopies.get() + 1);
        }
    }

    /** Step 1, once per input line: old tombstones, lapsed bans, expired peers, then the rate windows. */
    private void expire(final long t, final CommitResult out)
    {
        final long tombstoneTtl = settings.tombstoneTtlMs();
        if (tombstoneTtl != 0)
        {
            int oldest;
            while ((oldest = tombstones.oldest()) >= 0 && tombstones.madeAt(oldest) + tombstoneTtl < t)
            {
                dropTombstone(oldest);
            }
        }
        bans.lapse(t);
        final long ttl = settings.peerTtlMs();
        if (ttl != 0)
        {
            int oldest;
            while ((oldest = expiryOrder.peek()) >= 0 && peers.lastSeen(oldest) + ttl < t)
            {
                removeLive(oldest, RemoveCause.EXPIRED, t, out);
            }
        }
        rates.roll(t);
    }

    /** Steps 2 to 8 for one upsert; returns whether it was applied. */
    private boolean upsert(final PeerRecord r, final int op, final Mutation m, final long t, final CommitResult out)
    {
        if (bans.bans(r))
        {
            return reject(Refusal.BANNED, out);
        }
        if (!countRate(r.did()))
        {
            return reject(Refusal.RATE_LIMITED, out);
        }
        final int slot = peers.slotOf(r.id());
        final PeerRecord current = slot < 0 ? null : peers.record(slot);
        if (null != current && (!current.publicKey().equals(r.publicKey()) || !current.did().equals(r.did())))
        {
            return reject(Refusal.IDENTITY_CONFLICT, out);
        }
        // A new id's tombstone, looked up once: its version decides STALE, its slot is dropped when it is added.
        int tombstone = null == current ? tombstones.slotOf(r.id()) : -1;
        if (null != current ? current.version() >= r.version() :
            (tombstone < 0 ? -1 : tombstones.version(tombstone)) >= r.version())
        {
            out.outcome(OutcomeCode.STALE, null, null);
            return false;
        }
        if (null == current && settings.maxDevicesPerDid() != 0 && liveByDid.get(r.did()) >= settings.maxDevicesPerDid())
        {
            return reject(Refusal.DEVICE_LIMIT, out);
        }
        if (overSubnetLimit(r, current))
        {
            return reject(Refusal.SUBNET_LIMIT, out);
        }
        int victim = -1;
        if (null == current && settings.maxPeers() != 0 && peers.size() >= settings.maxPeers())
        {
            victim = victimOrder.peek();
            if (victim < 0 || peers.record(victim).tier().betterThan(r.tier()))
            {
                return reject(Refusal.CAPACITY, out);
            }
        }
        final String ruleReason = userRules(r, current);
        if (null != ruleReason)
        {
            out.outcome(OutcomeCode.REJECTED, ruleReason, null);
            return false;
        }
        final String refusedBy = m.refusedBy(op);
        if (null != refusedBy)
        {
            out.outcome(OutcomeCode.ABORTED, refusedBy, m.refusalCause(op));
            return false;
        }

        if (victim >= 0)
        {
            removeLive(victim, RemoveCause.EVICTED, t, out);
            if (tombstone >= 0)
            {
                // The cap the victim's tombstone applied may have dropped ours; it cannot have made one for
                // us (the victim was live, we are not), so an id without a tombstone still has none.
                tombstone = tombstones.slotOf(r.id());
            }
        }
        if (null == current)
        {
            if (tombstone >= 0)
            {
                dropTombstone(tombstone);
            }
            addLive(r, r.lastSeen(), t);
            out.add(ChangeType.ADDED, r, -1, null, r.lastSeen());
            out.outcome(OutcomeCode.ADDED, null, null);
        }
        else
        {
            replaceLive(slot, r, r.lastSeen());
            out.add(ChangeType.UPDATED, r, current.version(), null, r.lastSeen());
            out.outcome(OutcomeCode.UPDATED, null, null);
        }
        return true;
    }

    /** Step 3: whether the windows admit the upsert; an admitted one counts against both. */
    private boolean countRate(final String did)
    {
        final long globalLimit = settings.globalRateLimitPerSec();
        final long didLimit = settings.didRateLimitPerMin();
        if ((globalLimit != 0 && rates.globalCount() >= globalLimit) ||
            (didLimit != 0 && rates.didCount(did) >= didLimit))
        {
            return false;
        }
        if (globalLimit != 0)
        {
            undo.log(UndoLog.GLOBAL_RATE, null, rates.globalCount(), 0);
            rates.globalCount(rates.globalCount() + 1);
        }
        if (didLimit != 0)
        {
            final int count = rates.didCount(did);
            undo.log(UndoLog.DID_RATE, did, count, 0);
            rates.didCount(did, count + 1);
        }
        return true;
    }

    /** Step 6's SUBNET_LIMIT: an update does not count the peer against itself. */
    private boolean overSubnetLimit(final PeerRecord r, final PeerRecord current)
    {
        final long limit = settings.maxPeersPerSubnet();
        if (limit == 0)
        {
            return false;
        }
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long key = r.subnet(i);
            final long others = liveBySubnet.get(key) - (null != current && current.hasSubnet(key) ? 1 : 0);
            if (others >= limit)
            {
                return true;
            }
        }
        return false;
    }

    /** Step 6's user rules, in the order they were added; one that throws refuses (fails closed). */
    private String userRules(final PeerRecord r, final PeerRecord current)
    {
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
                reason = Refusal.RULE_ERROR.name();
            }
            if (null != reason)
            {
                return reason;
            }
        }
        return null;
    }

    private static boolean reject(final Refusal refusal, final CommitResult out)
    {
        out.outcome(OutcomeCode.REJECTED, refusal.name(), null);
        return false;
    }

    private boolean remove(final NodeId id, final long t, final CommitResult out)
    {
        final int slot = peers.slotOf(id);
        if (slot < 0)
        {
            out.outcome(OutcomeCode.NOT_FOUND, null, null);
            return false;
        }
        removeLive(slot, RemoveCause.REMOVED, t, out);
        out.outcome(OutcomeCode.REMOVED, null, null);
        return true;
    }

    private void touch(final NodeId id, final long lastSeen, final CommitResult out)
    {
        final int slot = peers.slotOf(id);
        if (slot < 0)
        {
            out.outcome(OutcomeCode.NOT_FOUND, null, null);
            return;
        }
        if (lastSeen > peers.lastSeen(slot))
        {
            final PeerRecord record = peers.record(slot);
            replaceLive(slot, record, lastSeen);
            out.add(ChangeType.TOUCHED, record, -1, null, lastSeen);
        }
        out.outcome(OutcomeCode.TOUCHED, null, null);
    }

    private void batch(final Mutation m, final long t, final CommitResult out)
    {
        final Batch batch = m.batch();
        out.openBatch();
        undo.open();
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
            undo.close();
        }
    }

    private void ban(final Ban ban, final long t, final CommitResult out)
    {
        if (settings.maxBans() != 0 && bans.size() >= settings.maxBans())
        {
            out.outcome(OutcomeCode.REJECTED, Refusal.BAN_LIMIT.name(), null);
            return;
        }
        bans.add(ban);
        // A ban is rare and may match many peers: it scans, and removes what it matched in id order.
        banned.clear();
        if (ban.kind() == BanKind.NODE)
        {
            final PeerRecord r = get((NodeId)ban.key());
            if (null != r)
            {
                banned.add(r);
            }
        }
        else
        {
            for (int slot = 0, limit = peers.slotLimit(); slot < limit; slot++)
            {
                final PeerRecord r = peers.record(slot);
                if (null != r && BanList.matches(ban, r))
                {
                    banned.add(r);
                }
            }
        }
        banned.sort((a, b) -> a.id().compareTo(b.id()));
        for (int i = 0; i < banned.size(); i++)
        {
            removeLive(peers.slotOf(banned.get(i).id()), RemoveCause.BANNED, t, out);
        }
        banned.clear();
        out.outcome(OutcomeCode.BAN_SET, null, null);
    }

    /** A removal of any cause: the peer leaves, a tombstone is made at t and the cap applied. */
    private void removeLive(final int slot, final RemoveCause cause, final long t, final CommitResult out)
    {
        final PeerRecord p = peers.record(slot);
        final long lastSeen = peers.lastSeen(slot);
        undo.log(UndoLog.REMOVED, p, lastSeen, peers.firstSeen(slot));
        unorder(slot, p);
        liveByDid.add(p.did(), -1);
        countSubnets(p, -1);
        peers.remove(slot);
        putTombstone(p.id(), p.version(), t);
        final long cap = settings.maxTombstones();
        while (cap != 0 && tombstones.size() > cap)
        {
            dropTombstone(tombstones.oldest());
        }
        out.add(ChangeType.REMOVED, p, -1, cause, lastSeen);
    }

    // -----------------------------------------------------------------------------------------------------
    // The primitives: every change of state goes through these, and inside a batch each logs its inverse.

    private void addLive(final PeerRecord r, final long lastSeen, final long firstSeen)
    {
        undo.log(UndoLog.ADDED, r.id(), 0, 0);
        final int slot = peers.insert(r, lastSeen, firstSeen);
        liveByDid.add(r.did(), 1);
        countSubnets(r, 1);
        order(slot, r);
    }

    private void replaceLive(final int slot, final PeerRecord next, final long lastSeen)
    {
        final PeerRecord previous = peers.record(slot);
        final long previousLastSeen = peers.lastSeen(slot);
        undo.log(UndoLog.REPLACED, previous, previousLastSeen, 0);
        // A re-announced peer usually keeps its endpoints (records made with withVersion share them):
        // then its subnet counts do not move.
        if (previous != next && !previous.sameSubnets(next))
        {
            countSubnets(previous, -1);
            countSubnets(next, 1);
        }
        peers.replace(slot, next, lastSeen);
        if (previous.pinned() != next.pinned())
        {
            unorder(slot, previous);
            order(slot, next);
        }
        else if (!next.pinned())
        {
            // A re-announcement usually keeps lastSeen and tier: then neither order moves.
            final boolean seenMoved = lastSeen != previousLastSeen;
            if (seenMoved)
            {
                expiryOrder.changed(slot);
            }
            if (settings.maxPeers() != 0 && (seenMoved || previous.tier() != next.tier()))
            {
                victimOrder.changed(slot);
            }
        }
    }

    /** A pinned peer is never evicted and never expires: it stands in neither order. */
    private void order(final int slot, final PeerRecord r)
    {
        if (!r.pinned())
        {
            expiryOrder.add(slot);
            if (settings.maxPeers() != 0)
            {
                victimOrder.add(slot);
            }
        }
    }

    private void unorder(final int slot, final PeerRecord r)
    {
        if (!r.pinned())
        {
            expiryOrder.remove(slot);
            if (settings.maxPeers() != 0)
            {
                victimOrder.remove(slot);
            }
        }
    }

    private void countSubnets(final PeerRecord r, final int delta)
    {
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long key = r.subnet(i);
            final long count = liveBySubnet.get(key) + delta;
            if (count == 0)
            {
                liveBySubnet.remove(key);
            }
            else
            {
                liveBySubnet.put(key, count);
            }
        }
    }

    private void putTombstone(final NodeId id, final long version, final long madeAt)
    {
        // One probe serves the undo log and the put.
        final int slot = tombstones.slotOf(id);
        logTombstone(id, slot);
        tombstones.put(slot, id, version, madeAt);
    }

    private void dropTombstone(final int slot)
    {
        logTombstone(tombstones.id(slot), slot);
        tombstones.removeSlot(slot);
    }

    /** Inside a batch, logs the tombstone an id has before a change: its slot, or -1 when it has none. */
    private void logTombstone(final NodeId id, final int slot)
    {
        if (undo.isActive())
        {
            undo.log(UndoLog.TOMBSTONE, id, slot < 0 ? -1 : tombstones.version(slot),
                slot < 0 ? -1 : tombstones.madeAt(slot));
        }
    }

    private void rollback()
    {
        undo.suspend();
        for (int i = undo.size() - 1; i >= 0; i--)
        {
            switch (undo.kind(i))
            {
                case UndoLog.ADDED:
                    final int added = peers.slotOf((NodeId)undo.ref(i));
                    final PeerRecord r = peers.record(added);
                    unorder(added, r);
                    liveByDid.add(r.did(), -1);
                    countSubnets(r, -1);
                    peers.remove(added);
                    break;
                case UndoLog.REMOVED:
                    addLive((PeerRecord)undo.ref(i), undo.first(i), undo.second(i));
                    break;
                case UndoLog.REPLACED:
                    final PeerRecord previous = (PeerRecord)undo.ref(i);
                    replaceLive(peers.slotOf(previous.id()), previous, undo.first(i));
                    break;
                case UndoLog.TOMBSTONE:
                    final NodeId id = (NodeId)undo.ref(i);
                    final int slot = tombstones.slotOf(id);
                    if (undo.first(i) < 0)
                    {
                        if (slot >= 0)
                        {
                            tombstones.removeSlot(slot);
                        }
                    }
                    else
                    {
                        tombstones.put(id, undo.first(i), undo.second(i));
                    }
                    break;
                case UndoLog.GLOBAL_RATE:
                    rates.globalCount(undo.first(i));
                    break;
                default:
                    rates.didCount((String)undo.ref(i), (int)undo.first(i));
                    break;
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Snapshots: everything the rules depend on.

    void writeSnapshot(final java.io.DataOutputStream out) throws java.io.IOException
    {
        final RegistryView live = view();
        out.writeLong(live.sequence());
        out.writeLong(live.eventSeq());
        out.writeLong(time);
        out.writeInt(live.size());
        for (int i = 0; i < live.size(); i++)
        {
            StateSnapshot.writeRecord(out, live.recordAt(i));
            out.writeLong(live.lastSeenAt(i));
            out.writeLong(live.firstSeenAt(i));
        }
        final int[] order = tombstones.slotsInOrder();
        out.writeInt(order.length);
        for (final int slot : order)
        {
            out.write(tombstones.id(slot).toBytes());
            out.writeLong(tombstones.version(slot));
            out.writeLong(tombstones.madeAt(slot));
        }
        final List<Ban> held = bans.list();
        out.writeInt(held.size());
        for (final Ban ban : held)
        {
            out.writeByte(ban.kind().ordinal());
            out.writeUTF(ban.value());
            out.writeLong(ban.until());
        }
        out.writeLong(rates.second());
        out.writeLong(rates.globalCount());
        out.writeLong(rates.minute());
        final List<String> dids = new ArrayList<>();
        rates.forEachDid((did, count) -> dids.add(did));
        java.util.Collections.sort(dids);
        out.writeInt(dids.size());
        for (final String did : dids)
        {
            out.writeUTF(did);
            out.writeInt(rates.didCount(did));
        }
    }

    static RegistryState readSnapshot(
        final java.io.DataInputStream in, final RegistrySettings settings, final List<AdmissionRule> userRules)
        throws java.io.IOException
    {
        final RegistryState state = new RegistryState(settings, userRules);
        final long sequence = in.readLong();
        final long eventSeq = in.readLong();
        state.time = in.readLong();
        state.peers.beginWrite();
        final int peers = in.readInt();
        for (int i = 0; i < peers; i++)
        {
            final PeerRecord r = StateSnapshot.readRecord(in);
            final long lastSeen = in.readLong();
            final long firstSeen = in.readLong();
            if (state.peers.slotOf(r.id()) >= 0)
            {
                throw new java.io.IOException("peer " + r.id() + " is in the snapshot twice");
            }
            state.addLive(r, lastSeen, firstSeen);
        }
        final int tombstones = in.readInt();
        for (int i = 0; i < tombstones; i++)
        {
            final NodeId id = StateSnapshot.readId(in);
            state.tombstones.put(id, in.readLong(), in.readLong());
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
        state.rates.restore(in.readLong(), in.readLong(), in.readLong());
        final int dids = in.readInt();
        for (int i = 0; i < dids; i++)
        {
            state.rates.didCount(in.readUTF(), in.readInt());
        }
        state.peers.endWrite(sequence, eventSeq);
        return state;
    }
}
