package io.peerlane.model;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive, sequential implementation of every rule of TRACE.md ("The rules, in order"),
 * written from the text alone, to check {@code RegistryState} and the engine against.
 * <p>
 * Everything is a sorted map and a linear scan; a batch deep-copies the whole state before it and puts the
 * copy back when an op fails. Nothing here is fast, and nothing here is shared with the production rules:
 * addresses are parsed by {@link AddressText}, output is written by {@link CanonicalJson}.
 * <p>
 * Critical votes are inputs: {@link Mutation#refusedBy(int)} non-null makes the upsert ABORTED at step 7
 * with that observer's name and {@link Mutation#refusalCause(int)}. The built-in {@code validator-set}
 * vote is therefore the caller's to supply (see {@link #validatorSetVote(RegistrySettings, PeerRecord)}).
 * User admission rules are modelled as {@link Rule}s that decide from the records alone (the production
 * {@code AdmissionRule} may also read the state). Not thread safe.
 */
public final class ReferenceModel
{
    /** Name of the built-in critical observer that checks validator keys. */
    public static final String VALIDATOR_SET = "validator-set";

    /** A user admission rule that decides from the records alone. */
    @FunctionalInterface
    public interface Rule
    {
        /**
         * @param proposed the upserted record.
         * @param current  the live record it would replace, or null for a new peer.
         * @return null to admit, or the reason code of the refusal.
         */
        String check(PeerRecord proposed, PeerRecord current);
    }

    private final RegistrySettings settings;
    private final List<Rule> rules;
    private State state = new State();
    private long time = Long.MIN_VALUE;
    private long eventSeq;

    /**
     * One live peer: the record as upserted, and the two times the registry keeps for it. Its state line is
     * written once, when the value is made, since the state lines are read far more often than a peer changes.
     */
    private record Live(PeerRecord record, long lastSeen, long firstSeen, String line)
    {
        Live(final PeerRecord record, final long lastSeen, final long firstSeen)
        {
            this(record, lastSeen, firstSeen, RecordLines.stateLine(record, lastSeen, firstSeen));
        }

        long version()
        {
            return record.version();
        }
    }

    /** The version a removed peer had, and the event time of the line that removed it. */
    private record Tombstone(long version, long madeAt)
    {
    }

    /** One ban as held: what it matches (a comparison key) and when it lapses. */
    private record HeldBan(BanKind kind, String key, AddressText.Network network, long until)
    {
    }

    /** A rate window: its index (floor of time over the window length) and the upserts counted in it. */
    private record Window(long index, long count)
    {
    }

    /** One change as an event shows it; unused fields are null or -1. */
    private record Event(String event, String id, long version, long previousVersion, String cause, long lastSeen)
    {
        void write(final CanonicalJson j)
        {
            j.key("event").string(event).key("id").string(id);
            switch (event)
            {
                case "ADDED":
                    j.key("version").number(version);
                    break;
                case "UPDATED":
                    j.key("version").number(version).key("previousVersion").number(previousVersion);
                    break;
                case "REMOVED":
                    j.key("cause").string(cause);
                    break;
                default:
                    j.key("lastSeen").number(lastSeen);
                    break;
            }
        }
    }

    /** The outcome of one op (or one op of a batch). */
    private record Outcome(String code, String reason, AbortCause cause)
    {
        static Outcome of(final String code)
        {
            return new Outcome(code, null, null);
        }

        static Outcome rejected(final String reason)
        {
            return new Outcome("REJECTED", reason, null);
        }

        boolean changed()
        {
            return code.equals("ADDED") || code.equals("UPDATED") || code.equals("REMOVED");
        }
    }

    /** All the state a line can change. Values are immutable, so a copy of the maps is a deep copy. */
    private static final class State
    {
        final TreeMap<String, Live> live = new TreeMap<>();
        final TreeMap<String, Tombstone> tombstones = new TreeMap<>();
        final List<HeldBan> bans = new ArrayList<>();
        Window global = new Window(Long.MIN_VALUE, 0);
        final Map<String, Window> perDid = new HashMap<>();

        State copy()
        {
            final State c = new State();
            c.live.putAll(live);
            c.tombstones.putAll(tombstones);
            c.bans.addAll(bans);
            c.global = global;
            c.perDid.putAll(perDid);
            return c;
        }
    }

    /**
     * @param settings the rule settings.
     */
    public ReferenceModel(final RegistrySettings settings)
    {
        this(settings, List.of());
    }

    /**
     * @param settings the rule settings.
     * @param rules    the user's admission rules, in the order they were added.
     */
    public ReferenceModel(final RegistrySettings settings, final List<Rule> rules)
    {
        this.settings = settings;
        this.rules = List.copyOf(rules);
    }

    /**
     * The built-in validator set's vote, for callers that build a {@link Mutation}: with
     * {@code authorizedValidatorKeys} set, a VALIDATOR record whose key is not listed is refused.
     *
     * @param settings the settings.
     * @param record   the upserted record.
     * @return {@link #VALIDATOR_SET} when it refuses (cause VETO), null when it accepts.
     */
    public static String validatorSetVote(final RegistrySettings settings, final PeerRecord record)
    {
        if (null == settings.authorizedValidatorKeys() || record.nodeType() != io.peerlane.peer.NodeType.VALIDATOR)
        {
            return null;
        }
        for (final io.peerlane.peer.PublicKey k : settings.authorizedValidatorKeys())
        {
            if (k.toHex().equals(record.publicKey().toHex()))
            {
                return null;
            }
        }
        return VALIDATOR_SET;
    }

    /**
     * Applies one input op.
     *
     * @param line the op's line number in its trace.
     * @param m    the op.
     * @return the outcome line, then the op's event lines in commit order.
     */
    public List<String> apply(final int line, final Mutation m)
    {
        final long t = Math.max(m.time(), time);
        time = t;
        final List<Event> singles = new ArrayList<>();
        expire(t, singles);

        List<Event> batchEvents = null;
        Outcome outcome;
        int failedOp = -1;
        switch (m.kind())
        {
            case UPSERT:
                outcome = upsert(m.record(), 0, m, t, singles);
                break;
            case REMOVE:
                outcome = remove(m.id().toHex(), t, singles);
                break;
            case TOUCH:
                outcome = touch(m.id().toHex(), m.lastSeen(), singles);
                break;
            case TICK:
                outcome = Outcome.of("TICKED");
                break;
            case BAN:
                outcome = ban(m.ban(), t, singles);
                break;
            case UNBAN:
                outcome = unban(m.ban());
                break;
            case BATCH:
            {
                final State before = state.copy();
                final List<Event> changes = new ArrayList<>();
                final Batch batch = m.batch();
                outcome = Outcome.of("BATCH_COMMITTED");
                for (int i = 0; i < batch.size(); i++)
                {
                    final Outcome op = batch.isUpsert(i) ?
                        upsert(batch.record(i), i, m, t, changes) : remove(batch.removeId(i).toHex(), t, changes);
                    if (!op.changed())
                    {
                        state = before;
                        failedOp = i;
                        outcome = new Outcome("BATCH_FAILED", null == op.reason() ? op.code() : op.reason(), op.cause());
                        break;
                    }
                }
                if (failedOp < 0)
                {
                    batchEvents = changes;
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown op " + m.kind());
        }

        final List<String> lines = new ArrayList<>();
        lines.add(outcomeLine(line, outcome, failedOp));
        for (final Event e : singles)
        {
            final CanonicalJson j = new CanonicalJson().open().key("seq").number(++eventSeq);
            e.write(j);
            lines.add(j.close().toString());
        }
        if (null != batchEvents)
        {
            final CanonicalJson j = new CanonicalJson().open().key("seq").number(++eventSeq)
                .key("event").string("BATCH").key("changes").openArray();
            for (final Event e : batchEvents)
            {
                j.open();
                e.write(j);
                j.close();
            }
            lines.add(j.closeArray().close().toString());
        }
        return lines;
    }

    /** @return the state lines: one per live peer in id order, then the peers/digest line. */
    public List<String> stateLines()
    {
        final List<String> lines = new ArrayList<>();
        for (final Live l : state.live.values())
        {
            lines.add(l.line());
        }
        return RecordLines.withDigest(lines);
    }

    /** @return live peers. */
    public int size()
    {
        return state.live.size();
    }

    /** @return tombstones held. */
    public int tombstoneCount()
    {
        return state.tombstones.size();
    }

    /**
     * @param idHex a peer id.
     * @return the version its tombstone keeps, or -1 when it has none.
     */
    public long tombstoneVersion(final String idHex)
    {
        final Tombstone tb = state.tombstones.get(idHex);
        return null == tb ? -1 : tb.version();
    }

    /** @return bans held, stacked bans counted one by one. */
    public int banCount()
    {
        return state.bans.size();
    }

    /** @return per-DID rate windows that hold a count in the minute of the last op's time. */
    public int didRateWindowCount()
    {
        final long minute = Math.floorDiv(time, 60_000L);
        int n = 0;
        for (final Window w : state.perDid.values())
        {
            if (w.index() == minute && w.count() > 0)
            {
                n++;
            }
        }
        return n;
    }

    /** @return the event time of the last op (the larger of its time and the previous op's). */
    public long time()
    {
        return time;
    }

    /** @return the seq of the last event line, 0 before the first. */
    public long eventSeq()
    {
        return eventSeq;
    }

    // ---------------------------------------------------------------- step 1

    private void expire(final long t, final List<Event> events)
    {
        final long ttl = settings.peerTtlMs();
        final List<Live> due = new ArrayList<>();
        for (final Live l : state.live.values())
        {
            // TRACE.md: a time to live of 0 means no expiry.
            if (ttl != 0 && !l.record().pinned() && l.lastSeen() + ttl < t)
            {
                due.add(l);
            }
        }
        due.sort(Comparator.comparingLong((Live l) -> l.lastSeen() + ttl).thenComparing(l -> l.record().id().toHex()));
        for (final Live l : due)
        {
            removePeer(l.record().id().toHex(), "EXPIRED", t, events);
        }
        final long tombstoneTtl = settings.tombstoneTtlMs();
        state.tombstones.values().removeIf(tb -> tombstoneTtl != 0 && tb.madeAt() + tombstoneTtl < t);
        state.bans.removeIf(b -> b.until() <= t);
    }

    // ---------------------------------------------------------------- upsert, steps 2 to 8

    private Outcome upsert(final PeerRecord r, final int opIndex, final Mutation m, final long t, final List<Event> events)
    {
        final String id = r.id().toHex();

        // 2. BANNED
        if (isBanned(r))
        {
            return Outcome.rejected("BANNED");
        }

        // 3. RATE_LIMITED, else count against both windows.
        final long second = Math.floorDiv(t, 1000L);
        final long minute = Math.floorDiv(t, 60_000L);
        final long globalLimit = settings.globalRateLimitPerSec();
        final long didLimit = settings.didRateLimitPerMin();
        final long globalCount = state.global.index() == second ? state.global.count() : 0;
        final Window didWindow = state.perDid.get(r.did());
        final long didCount = null != didWindow && didWindow.index() == minute ? didWindow.count() : 0;
        if ((globalLimit > 0 && globalCount >= globalLimit) || (didLimit > 0 && didCount >= didLimit))
        {
            return Outcome.rejected("RATE_LIMITED");
        }
        if (globalLimit > 0)
        {
            state.global = new Window(second, globalCount + 1);
        }
        if (didLimit > 0)
        {
            state.perDid.put(r.did(), new Window(minute, didCount + 1));
        }

        // 4. IDENTITY_CONFLICT
        final Live current = state.live.get(id);
        if (null != current &&
            (!current.record().publicKey().toHex().equals(r.publicKey().toHex()) || !current.record().did().equals(r.did())))
        {
            return Outcome.rejected("IDENTITY_CONFLICT");
        }

        // 5. STALE
        final Tombstone tombstone = state.tombstones.get(id);
        if ((null != current && current.version() >= r.version()) ||
            (null != tombstone && tombstone.version() >= r.version()))
        {
            return Outcome.of("STALE");
        }

        // 6. Limits, capacity.
        String victim = null;
        if (null == current)
        {
            final long maxDevices = settings.maxDevicesPerDid();
            if (maxDevices > 0 && countDid(r.did()) >= maxDevices)
            {
                return Outcome.rejected("DEVICE_LIMIT");
            }
            if (subnetFull(r, null))
            {
                return Outcome.rejected("SUBNET_LIMIT");
            }
            final long maxPeers = settings.maxPeers();
            if (maxPeers > 0 && state.live.size() >= maxPeers)
            {
                final Live v = capacityVictim();
                if (null == v || v.record().tier().ordinal() < r.tier().ordinal())
                {
                    return Outcome.rejected("CAPACITY");
                }
                victim = v.record().id().toHex();
            }
        }
        else if (subnetFull(r, id))
        {
            return Outcome.rejected("SUBNET_LIMIT");
        }
        for (final Rule rule : rules)
        {
            final String reason = rule.check(r, null == current ? null : current.record());
            if (null != reason)
            {
                return Outcome.rejected(reason);
            }
        }

        // 7. ABORTED
        final String refusedBy = m.refusedBy(opIndex);
        if (null != refusedBy)
        {
            return new Outcome("ABORTED", refusedBy, m.refusalCause(opIndex));
        }

        // 8. ADDED or UPDATED
        if (null != victim)
        {
            removePeer(victim, "EVICTED", t, events);
        }
        state.tombstones.remove(id);
        if (null == current)
        {
            state.live.put(id, new Live(r, r.lastSeen(), t));
            events.add(new Event("ADDED", id, r.version(), -1, null, -1));
            return Outcome.of("ADDED");
        }
        state.live.put(id, new Live(r, r.lastSeen(), current.firstSeen()));
        events.add(new Event("UPDATED", id, r.version(), current.version(), null, -1));
        return Outcome.of("UPDATED");
    }

    private boolean isBanned(final PeerRecord r)
    {
        for (final HeldBan b : state.bans)
        {
            if (matches(b, r))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(final HeldBan b, final PeerRecord r)
    {
        switch (b.kind())
        {
            case NODE:
                return b.key().equals(r.id().toHex());
            case DID:
                return b.key().equals(r.did());
            default:
                for (final Endpoint e : r.endpoints())
                {
                    final AddressText.Ip ip = AddressText.ofEndpoint(e.address());
                    if (null != ip && b.network().contains(ip))
                    {
                        return true;
                    }
                }
                return false;
        }
    }

    private int countDid(final String did)
    {
        int n = 0;
        for (final Live l : state.live.values())
        {
            if (l.record().did().equals(did))
            {
                n++;
            }
        }
        return n;
    }

    /** Whether one of the record's subnets already holds the limit of live peers, not counting {@code self}. */
    private boolean subnetFull(final PeerRecord r, final String self)
    {
        final long limit = settings.maxPeersPerSubnet();
        if (limit <= 0)
        {
            return false;
        }
        for (final String subnet : subnets(r))
        {
            int n = 0;
            for (final Map.Entry<String, Live> e : state.live.entrySet())
            {
                if (!e.getKey().equals(self) && subnets(e.getValue().record()).contains(subnet))
                {
                    n++;
                }
            }
            if (n >= limit)
            {
                return true;
            }
        }
        return false;
    }

    private static TreeSet<String> subnets(final PeerRecord r)
    {
        final TreeSet<String> out = new TreeSet<>();
        for (final Endpoint e : r.endpoints())
        {
            final AddressText.Ip ip = AddressText.ofEndpoint(e.address());
            if (null != ip)
            {
                out.add(ip.subnetKey());
            }
        }
        return out;
    }

    /** The unpinned live peer of worst tier, then oldest {@code lastSeen}, then lowest id; null if none. */
    private Live capacityVictim()
    {
        Live worst = null;
        for (final Live l : state.live.values())
        {
            if (l.record().pinned())
            {
                continue;
            }
            if (null == worst ||
                l.record().tier().ordinal() > worst.record().tier().ordinal() ||
                (l.record().tier() == worst.record().tier() && l.lastSeen() < worst.lastSeen()))
            {
                worst = l; // values() runs in id order, so on a full tie the lowest id stays.
            }
        }
        return worst;
    }

    // ---------------------------------------------------------------- removals and tombstones

    private void removePeer(final String id, final String cause, final long t, final List<Event> events)
    {
        final Live l = state.live.remove(id);
        events.add(new Event("REMOVED", id, -1, -1, cause, -1));
        state.tombstones.put(id, new Tombstone(l.version(), t));
        final long cap = settings.maxTombstones();
        while (cap > 0 && state.tombstones.size() > cap)
        {
            String oldest = null;
            for (final Map.Entry<String, Tombstone> e : state.tombstones.entrySet())
            {
                if (null == oldest || e.getValue().madeAt() < state.tombstones.get(oldest).madeAt())
                {
                    oldest = e.getKey(); // entries run in id order: on equal times the lowest id stays chosen.
                }
            }
            state.tombstones.remove(oldest);
        }
    }

    private Outcome remove(final String id, final long t, final List<Event> events)
    {
        if (!state.live.containsKey(id))
        {
            return Outcome.of("NOT_FOUND");
        }
        removePeer(id, "REMOVED", t, events);
        return Outcome.of("REMOVED");
    }

    private Outcome touch(final String id, final long lastSeen, final List<Event> events)
    {
        final Live l = state.live.get(id);
        if (null == l)
        {
            return Outcome.of("NOT_FOUND");
        }
        if (lastSeen > l.lastSeen())
        {
            state.live.put(id, new Live(l.record(), lastSeen, l.firstSeen()));
            events.add(new Event("TOUCHED", id, -1, -1, null, lastSeen));
        }
        return Outcome.of("TOUCHED");
    }

    // ---------------------------------------------------------------- bans

    private static HeldBan held(final Ban ban)
    {
        if (ban.kind() == BanKind.SUBNET)
        {
            final AddressText.Network n = AddressText.cidr(ban.value());
            return new HeldBan(BanKind.SUBNET, n.key(), n, ban.until());
        }
        return new HeldBan(ban.kind(), ban.value(), null, ban.until());
    }

    private Outcome ban(final Ban ban, final long t, final List<Event> events)
    {
        final long max = settings.maxBans();
        if (max > 0 && state.bans.size() >= max)
        {
            return Outcome.rejected("BAN_LIMIT");
        }
        final HeldBan b = held(ban);
        state.bans.add(b);
        for (final Live l : new ArrayList<>(state.live.values()))
        {
            if (matches(b, l.record()))
            {
                removePeer(l.record().id().toHex(), "BANNED", t, events);
            }
        }
        return Outcome.of("BAN_SET");
    }

    private Outcome unban(final Ban ban)
    {
        final HeldBan target = held(ban);
        final boolean lifted =
            state.bans.removeIf(b -> b.kind() == target.kind() && b.key().equals(target.key()));
        return Outcome.of(lifted ? "BAN_LIFTED" : "NOT_FOUND");
    }

    // ---------------------------------------------------------------- output

    private static String outcomeLine(final int line, final Outcome o, final int failedOp)
    {
        final CanonicalJson j = new CanonicalJson().open().key("line").number(line).key("outcome").string(o.code());
        if (failedOp >= 0)
        {
            j.key("failedOp").number(failedOp);
        }
        if (null != o.reason())
        {
            j.key("reason").string(o.reason());
        }
        if (null != o.cause())
        {
            j.key("cause").string(o.cause().name());
        }
        return j.close().toString();
    }
}
