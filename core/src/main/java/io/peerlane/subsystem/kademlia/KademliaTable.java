package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.IpAddress;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.NodeIdMap;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kademlia routing table for one local 256-bit id: XOR distance, 256 k-buckets in least-recently-seen
 * order, a bounded replacement cache per bucket, closest-k lookup, subnet diversity limits per bucket and
 * per table, and the paper's eviction policy driven by the caller's pings.
 * <p>
 * Bucket {@code i} holds the peers whose highest bit differing from the local id is bit {@code i}
 * ({@link NodeId#highestDifferingBit}). A full bucket keeps its members and puts a newcomer in its
 * replacement cache ({@link AddResult#CACHED}); it names its least recently seen unprotected member as the
 * candidate to ping ({@link #pendingCandidate(int)}, one per bucket until it is decided). The caller pings
 * it: {@link #markAlive} keeps it (moved to the most-recently-seen end; the newcomer stays cached),
 * {@link #markDead} evicts it and promotes the most recently seen replacement that fits the diversity
 * limits. A pinned peer is protected: never named, never evicted. Kademlia favours long-lived peers this
 * way; Besu and libp2p offer the same choice with an eviction candidate and replaceable peers. A
 * {@link KademliaListener} hears every member that joins or leaves, with the cause; what a callback throws
 * ({@link Error}s too) is counted and ignored, and a callback that writes to the table ({@link #add},
 * {@link #remove}, {@link #markAlive}, {@link #markDead}, {@link #clear}, {@link #listener}) gets an
 * {@link IllegalStateException}, so a change is never interleaved with another.
 * <p>
 * Usable on its own, without an engine, and as {@link KademliaObserver}. Writes and queries may come from
 * any thread (an observer's events and a DHT's ping results, say): every method takes a private monitor
 * that only this table's callers use, so a slow reader delays nothing but this table's writers. Inside an
 * engine one of those writers is the {@link KademliaObserver}'s publish lane, which gates the ring: a reader
 * that holds the table long (a {@link #closest} over a huge table, a listener that blocks) delays that lane
 * and, once the ring is full behind it, the producers. Keep queries short, or register the observer as
 * best-effort, whose own thread takes the delay instead of the ring.
 * <p>
 * {@link #add}, {@link #remove}, {@link #markAlive}, {@link #markDead} and {@link #closest(NodeId,
 * PeerRecord[])} allocate nothing once the table has held its largest population: peers are indexed in an
 * open-addressing {@link NodeIdMap} (no node per put, ids inline, so a probe reads no id object), buckets
 * and caches are intrusive lists of {@link Entry}s taken from and given back to a free list, results are enum
 * constants, each entry keeps its record's networks at the configured prefixes in an array it keeps when
 * pooled (computed from the endpoints'
 * addresses only when they change), and the per-network member counts of the table are primitive
 * {@link Long2LongHashMap}s, one per address family so that keys never collide.
 * The closest-k lookup walks the buckets in distance order (see {@link #closest(NodeId, PeerRecord[])}) into
 * the caller's array by insertion. Only growth past the largest population allocates (an entry, or a map
 * doubling its capacity). The queries that return lists allocate them.
 */
public final class KademliaTable
{
    /** Number of buckets: one per bit of an id. */
    public static final int BUCKETS = 256;

    private static final int FITS = 0;
    private static final int BUCKET_LIMIT = 1;
    private static final int TABLE_LIMIT = 2;
    private static final int V4 = 0;
    private static final int V6 = 1;
    /** Networks an entry has room for from the start: four addresses in distinct networks. */
    private static final int MIN_NETS = 4;

    private final NodeId localId;
    private final KademliaSettings settings;
    private final Object lock = new Object();
    private final NodeIdMap<Entry> entries = new NodeIdMap<>();
    private final EntryList[] members = new EntryList[BUCKETS];
    private final EntryList[] candidates = new EntryList[BUCKETS];
    /** Per bucket, the member named to be pinged, or null. */
    private final Entry[] pending = new Entry[BUCKETS];
    /** Members per network at the table prefixes, by family. */
    private final Long2LongHashMap[] tableCounts = { new Long2LongHashMap(0), new Long2LongHashMap(0) };
    private final long[] bucketMask = new long[2];
    private final long[] tableMask = new long[2];
    /**
     * Scratch for one record's distinct networks, used under the lock only: (family, key) pairs, first at the
     * bucket prefixes ({@link #scratchBucketNets} of them), then at the table prefixes.
     */
    private final long[] scratchNets = new long[4 * Limits.MAX_ENDPOINTS];
    private int scratchBucketNets;
    private int scratchTableNets;
    /** Whether the bucket and table prefixes are the same (the default): an entry then keeps its networks once. */
    private final boolean sharedNets;
    /** Entries of peers that left, chained through {@link Entry#next}, for the next peers to arrive. */
    private Entry freeEntries;
    private int memberCount;
    private KademliaListener listener = KademliaListener.NONE;
    private long listenerFailures;
    /**
     * Set (under the lock) while a listener callback runs. The monitor is re-entrant, so without this a
     * callback on the writing thread could write to the table in the middle of the change it is told of.
     */
    private boolean notifying;

    /**
     * @param localId the local node's id; the settings are the {@code peerlane.kademlia.*} system properties
     *                over the defaults ({@link KademliaSettings#fromSystemProperties()}).
     */
    public KademliaTable(final NodeId localId)
    {
        this(localId, KademliaSettings.fromSystemProperties().build());
    }

    /**
     * @param localId  the local node's id.
     * @param settings bucket size, cache size, diversity limits and their prefixes.
     */
    public KademliaTable(final NodeId localId, final KademliaSettings settings)
    {
        if (null == localId || null == settings)
        {
            throw new IllegalArgumentException("localId and settings are required");
        }
        this.localId = localId;
        this.settings = settings;
        for (int i = 0; i < BUCKETS; i++)
        {
            members[i] = new EntryList();
            candidates[i] = new EntryList();
        }
        bucketMask[V4] = v4Mask(settings.ipv4BucketPrefix());
        bucketMask[V6] = v6Mask(settings.ipv6BucketPrefix());
        tableMask[V4] = v4Mask(settings.ipv4TablePrefix());
        tableMask[V6] = v6Mask(settings.ipv6TablePrefix());
        sharedNets = bucketMask[V4] == tableMask[V4] && bucketMask[V6] == tableMask[V6];
    }

    /** @return the local node's id. */
    public NodeId localId()
    {
        return localId;
    }

    /** @return the settings. */
    public KademliaSettings settings()
    {
        return settings;
    }

    /**
     * @param listener told of every member that joins or leaves from now on; null for none.
     * @return this.
     * @throws IllegalStateException when called from inside a listener callback.
     */
    public KademliaTable listener(final KademliaListener listener)
    {
        synchronized (lock)
        {
            refuseFromListener("listener");
            this.listener = null == listener ? KademliaListener.NONE : listener;
            return this;
        }
    }

    /** @return how many listener callbacks threw, {@link Error}s included (each was ignored). */
    public long listenerFailures()
    {
        synchronized (lock)
        {
            return listenerFailures;
        }
    }

    /**
     * @param id a node id.
     * @return the bucket that id belongs to (0 to 255), or -1 for the local id.
     */
    public int bucketIndex(final NodeId id)
    {
        return localId.highestDifferingBit(id);
    }

    /**
     * A peer was seen: adds it, or refreshes a known one with its latest record and moves it to the
     * most-recently-seen end of its bucket or cache. A member whose new record breaks a diversity limit
     * becomes a replacement (reported as removed, {@link RemovalCause#DIVERSITY}). Seeing the bucket's
     * pending candidate settles its ping: it is alive.
     *
     * @param record the peer's record.
     * @return what became of it; for {@link AddResult#CACHED} the member to ping is
     * {@link #pendingCandidate(int)} of its bucket.
     * @throws IllegalStateException when called from inside a {@link KademliaListener} callback.
     */
    public AddResult add(final PeerRecord record)
    {
        final int b = localId.highestDifferingBit(record.id());
        if (b < 0)
        {
            return AddResult.SELF;
        }
        synchronized (lock)
        {
            refuseFromListener("add");
            Entry e = entries.get(record.id());
            if (null == e)
            {
                computeNets(record);
                e = takeEntry(record, b);
                storeNets(e);
                entries.put(record.id(), e);
                return place(e);
            }
            // A touch, or an update that kept the endpoints, shares the endpoint list: same networks.
            final boolean sameEndpoints = e.record.endpoints() == record.endpoints();
            e.record = record;
            if (!e.member)
            {
                candidates[b].remove(e);
                if (!sameEndpoints)
                {
                    computeNets(record);
                    storeNets(e);
                }
                return place(e);
            }
            if (pending[b] == e)
            {
                pending[b] = null;
            }
            if (sameEndpoints)
            {
                members[b].moveToEnd(e);
                return AddResult.UPDATED;
            }
            computeNets(record);
            if (sameNets(e))
            {
                members[b].moveToEnd(e);
                return AddResult.UPDATED;
            }
            // The member's networks changed: judge it afresh, without counting its old networks.
            members[b].remove(e);
            uncount(e);
            memberCount--;
            final boolean freedTableCounts = e.tableNets > 0;
            storeNets(e);
            final int fit = fit(e, b);
            if (FITS == fit)
            {
                promote(e);
                refill(b, freedTableCounts);
                return AddResult.UPDATED;
            }
            hold(e);
            fireRemoved(record, RemovalCause.DIVERSITY);
            refill(b, freedTableCounts);
            return BUCKET_LIMIT == fit ? AddResult.REFUSED_BUCKET_DIVERSITY : AddResult.REFUSED_TABLE_DIVERSITY;
        }
    }

    /**
     * Removes a peer, member or replacement: it left the registry. A member's place goes to the most
     * recently seen eligible replacement.
     *
     * @param id the peer's id.
     * @return whether the table held it.
     * @throws IllegalStateException when called from inside a {@link KademliaListener} callback.
     */
    public boolean remove(final NodeId id)
    {
        synchronized (lock)
        {
            refuseFromListener("remove");
            final Entry e = entries.remove(id);
            if (null == e)
            {
                return false;
            }
            if (e.member)
            {
                final boolean freedTableCounts = e.tableNets > 0;
                final PeerRecord record = detachMember(e);
                giveBack(e);
                fireRemoved(record, RemovalCause.LEFT);
                refill(bucketIndex(id), freedTableCounts);
            }
            else
            {
                candidates[e.bucket].remove(e);
                giveBack(e);
            }
            return true;
        }
    }

    /**
     * The peer answered a ping (or was otherwise heard from): it stays, moved to the most-recently-seen end
     * of its bucket or cache; if it was its bucket's pending candidate, the ping is settled and the
     * newcomers stay in the cache.
     *
     * @param id the peer's id.
     * @return {@link MarkResult#KEPT}, or {@link MarkResult#UNKNOWN} when the table does not hold it.
     * @throws IllegalStateException when called from inside a {@link KademliaListener} callback.
     */
    public MarkResult markAlive(final NodeId id)
    {
        synchronized (lock)
        {
            refuseFromListener("markAlive");
            final Entry e = entries.get(id);
            if (null == e)
            {
                return MarkResult.UNKNOWN;
            }
            if (e.member)
            {
                members[e.bucket].moveToEnd(e);
                if (pending[e.bucket] == e)
                {
                    pending[e.bucket] = null;
                }
            }
            else
            {
                candidates[e.bucket].moveToEnd(e);
            }
            return MarkResult.KEPT;
        }
    }

    /**
     * The peer did not answer: an unprotected member is evicted (reported removed,
     * {@link RemovalCause#REPLACED} when a replacement takes its place, {@link RemovalCause#EVICTED}
     * otherwise) and the most recently seen eligible replacement promoted; a replacement is forgotten; a
     * protected (pinned) member stays. An evicted peer is forgotten until it is added again.
     *
     * @param id the peer's id.
     * @return what happened.
     * @throws IllegalStateException when called from inside a {@link KademliaListener} callback.
     */
    public MarkResult markDead(final NodeId id)
    {
        synchronized (lock)
        {
            refuseFromListener("markDead");
            final Entry e = entries.get(id);
            if (null == e)
            {
                return MarkResult.UNKNOWN;
            }
            if (!e.member)
            {
                entries.remove(id);
                candidates[e.bucket].remove(e);
                giveBack(e);
                return MarkResult.DROPPED;
            }
            if (e.record.pinned())
            {
                return MarkResult.PROTECTED;
            }
            entries.remove(id);
            final int b = e.bucket;
            final boolean freedTableCounts = e.tableNets > 0;
            final PeerRecord record = detachMember(e);
            giveBack(e);
            final boolean replaced = hasEligibleCandidate(b);
            fireRemoved(record, replaced ? RemovalCause.REPLACED : RemovalCause.EVICTED);
            refill(b, freedTableCounts);
            return replaced ? MarkResult.REPLACED : MarkResult.EVICTED;
        }
    }

    /**
     * @param bucket bucket index, 0 to 255.
     * @return the member of that bucket named to be pinged (its least recently seen unprotected member when
     * a newcomer found it full), or null when no ping is pending there.
     */
    public PeerRecord pendingCandidate(final int bucket)
    {
        synchronized (lock)
        {
            final Entry e = pending[bucket];
            return null == e ? null : e.record;
        }
    }

    /** @return every pending candidate, by bucket index. */
    public List<PeerRecord> pendingCandidates()
    {
        final List<PeerRecord> out = new ArrayList<>();
        synchronized (lock)
        {
            for (int b = 0; b < BUCKETS; b++)
            {
                if (null != pending[b])
                {
                    out.add(pending[b].record);
                }
            }
        }
        return out;
    }

    /**
     * Forgets every peer; each member is reported removed ({@link RemovalCause#CLEARED}) once it is empty.
     *
     * @throws IllegalStateException when called from inside a {@link KademliaListener} callback.
     */
    public void clear()
    {
        synchronized (lock)
        {
            refuseFromListener("clear");
            final List<PeerRecord> left = new ArrayList<>(memberCount);
            for (int i = 0; i < BUCKETS; i++)
            {
                for (Entry e = members[i].head(); null != e; e = e.next)
                {
                    left.add(e.record);
                }
            }
            entries.clear();
            for (int i = 0; i < BUCKETS; i++)
            {
                giveBackAll(members[i]);
                giveBackAll(candidates[i]);
                pending[i] = null;
            }
            tableCounts[V4].clear();
            tableCounts[V6].clear();
            memberCount = 0;
            for (int i = 0; i < left.size(); i++)
            {
                fireRemoved(left.get(i), RemovalCause.CLEARED);
            }
        }
    }

    /**
     * The members closest to a target by XOR distance, closest first, into the caller's array; allocates
     * nothing.
     * <p>
     * With {@code d} the target's bucket, every member of bucket {@code d} is closer to the target than any
     * other (they share bit {@code d} with it), then come the members of buckets below {@code d} (all at a
     * distance whose highest bit is {@code d}), then bucket {@code d + 1}, {@code d + 2}, ... in turn (each
     * at distances with highest bit its own index). So the lookup visits those groups in order and stops at
     * the first group boundary where the array is full; within a group it keeps the array sorted by
     * insertion.
     *
     * @param target any id.
     * @param out    receives up to {@code out.length} members, closest first.
     * @return how many it received.
     */
    public int closest(final NodeId target, final PeerRecord[] out)
    {
        final int capacity = out.length;
        if (0 == capacity)
        {
            return 0;
        }
        synchronized (lock)
        {
            final int d = localId.highestDifferingBit(target);
            int n = 0;
            if (d >= 0)
            {
                n = collect(members[d], target, out, n);
                if (n == capacity)
                {
                    return n;
                }
                for (int b = 0; b < d; b++)
                {
                    n = collect(members[b], target, out, n);
                }
            }
            for (int b = d + 1; b < BUCKETS && n < capacity; b++)
            {
                n = collect(members[b], target, out, n);
            }
            return n;
        }
    }

    /**
     * The members closest to a target by XOR distance, closest first.
     *
     * @param target any id.
     * @param count  most peers to return.
     * @return up to {@code count} members, closest first.
     */
    public List<PeerRecord> closest(final NodeId target, final int count)
    {
        final PeerRecord[] out = new PeerRecord[Math.max(0, Math.min(count, size()))];
        final int n = closest(target, out);
        return new ArrayList<>(Arrays.asList(out).subList(0, n));
    }

    /**
     * @param target any id.
     * @return the k members closest to it, closest first.
     */
    public List<PeerRecord> closest(final NodeId target)
    {
        return closest(target, settings.k());
    }

    /** @return number of members. */
    public int size()
    {
        synchronized (lock)
        {
            return memberCount;
        }
    }

    /**
     * @param id a node id.
     * @return whether the peer is a member (routes).
     */
    public boolean isMember(final NodeId id)
    {
        synchronized (lock)
        {
            final Entry e = entries.get(id);
            return null != e && e.member;
        }
    }

    /**
     * @param id a node id.
     * @return whether the peer is a member or a replacement.
     */
    public boolean knows(final NodeId id)
    {
        synchronized (lock)
        {
            return entries.containsKey(id);
        }
    }

    /**
     * @param index bucket index, 0 to 255.
     * @return the bucket's members, least recently seen first.
     */
    public List<PeerRecord> bucket(final int index)
    {
        synchronized (lock)
        {
            final List<PeerRecord> out = new ArrayList<>(members[index].size());
            for (Entry e = members[index].head(); null != e; e = e.next)
            {
                out.add(e.record);
            }
            return out;
        }
    }

    /**
     * @param index bucket index, 0 to 255.
     * @return the bucket's replacement cache (at most {@link KademliaSettings#replacementCacheSize()}),
     * least recently seen first.
     */
    public List<PeerRecord> replacements(final int index)
    {
        synchronized (lock)
        {
            final EntryList list = candidates[index];
            final int shown = Math.min(list.size(), settings.replacementCacheSize());
            final List<PeerRecord> out = new ArrayList<>(shown);
            Entry e = list.tail();
            for (int i = 1; i < shown; i++)
            {
                e = e.prev;
            }
            for (int i = 0; i < shown; i++, e = e.next)
            {
                out.add(e.record);
            }
            return out;
        }
    }

    /**
     * @param index bucket index, 0 to 255.
     * @return every replacement the bucket remembers, least recently seen first: the cache and, with
     * {@link KademliaSettings#keepAllCandidates()}, those behind it.
     */
    public List<PeerRecord> allCandidates(final int index)
    {
        synchronized (lock)
        {
            final List<PeerRecord> out = new ArrayList<>(candidates[index].size());
            for (Entry e = candidates[index].head(); null != e; e = e.next)
            {
                out.add(e.record);
            }
            return out;
        }
    }

    /**
     * Checks the table against the set of live peers it should follow: it holds only those peers, each with
     * its live record and in its bucket; no bucket holds more than k members; the diversity limits hold per
     * bucket and per table; every bucket that is not full holds every live peer of its range that it could
     * take without breaking a diversity limit; each pending candidate is an unprotected member of its
     * bucket; with {@link KademliaSettings#keepAllCandidates()}, every live peer but the local node is a
     * member or a replacement (so a caller that marked peers dead leaves them out of {@code live} until they
     * are added again).
     *
     * @param live every live peer.
     * @return the violations, empty when there is none.
     * <p>
     * Package-private: a check for tests and the churn benchmark, which reach it through the test jar's
     * {@code KademliaInvariants}; it allocates and holds the monitor for a whole walk of the table.
     */
    List<String> checkInvariants(final Collection<PeerRecord> live)
    {
        final List<String> violations = new ArrayList<>();
        final Map<NodeId, PeerRecord> liveById = new HashMap<>();
        for (final PeerRecord r : live)
        {
            liveById.put(r.id(), r);
        }
        synchronized (lock)
        {
            final Map<Net, Integer> tableNets = new HashMap<>();
            final List<Map<Net, Integer>> bucketNets = new ArrayList<>(BUCKETS);
            int memberTotal = 0;
            for (int b = 0; b < BUCKETS; b++)
            {
                final Map<Net, Integer> counts = new HashMap<>();
                bucketNets.add(counts);
                if (members[b].size() > settings.k())
                {
                    violations.add("bucket " + b + " holds " + members[b].size() + " members, more than k = " +
                        settings.k());
                }
                if (!settings.keepAllCandidates() && candidates[b].size() > settings.replacementCacheSize())
                {
                    violations.add("bucket " + b + " holds " + candidates[b].size() + " replacements, more than " +
                        settings.replacementCacheSize());
                }
                memberTotal += checkList(members[b], b, true, liveById, violations);
                checkList(candidates[b], b, false, liveById, violations);
                for (Entry e = members[b].head(); null != e; e = e.next)
                {
                    for (final Net n : nets(e.record, bucketMask))
                    {
                        counts.merge(n, 1, Integer::sum);
                    }
                    for (final Net n : nets(e.record, tableMask))
                    {
                        tableNets.merge(n, 1, Integer::sum);
                    }
                }
                final int bucketLimit = settings.maxPerSubnetInBucket();
                for (final Map.Entry<Net, Integer> c : counts.entrySet())
                {
                    if (bucketLimit > 0 && c.getValue() > bucketLimit)
                    {
                        violations.add("bucket " + b + " holds " + c.getValue() + " members of network " +
                            c.getKey() + ", more than " + bucketLimit);
                    }
                }
                final Entry p = pending[b];
                if (null != p && (!p.member || p.bucket != b || p.record.pinned() || entries.get(p.record.id()) != p))
                {
                    violations.add("bucket " + b + " names " + p.record + " to ping, which is not an unprotected member");
                }
            }
            if (memberTotal != memberCount)
            {
                violations.add("member count is " + memberCount + " but the buckets hold " + memberTotal);
            }
            if (entries.size() != countKnown())
            {
                violations.add("index holds " + entries.size() + " peers but the lists hold " + countKnown());
            }
            final int tableLimit = settings.maxPerSubnetInTable();
            for (final Map.Entry<Net, Integer> c : tableNets.entrySet())
            {
                if (tableLimit > 0 && c.getValue() > tableLimit)
                {
                    violations.add("table holds " + c.getValue() + " members of network " + c.getKey() +
                        ", more than " + tableLimit);
                }
                final long counted = tableCounts[c.getKey().family].get(c.getKey().key);
                if (counted != c.getValue())
                {
                    violations.add("network " + c.getKey() + " counted " + counted + " but the table holds " +
                        c.getValue());
                }
            }
            if (tableCounts[V4].size() + tableCounts[V6].size() != tableNets.size())
            {
                violations.add("network counts hold " + (tableCounts[V4].size() + tableCounts[V6].size()) +
                    " networks, the members " + tableNets.size());
            }
            for (final PeerRecord r : liveById.values())
            {
                final int b = localId.highestDifferingBit(r.id());
                if (b < 0)
                {
                    continue;
                }
                final Entry e = entries.get(r.id());
                if (settings.keepAllCandidates() && null == e)
                {
                    violations.add("live peer " + r.id() + " is neither a member nor a replacement");
                }
                if ((null == e || !e.member) && members[b].size() < settings.k() &&
                    fits(r, bucketNets.get(b), tableNets))
                {
                    violations.add("bucket " + b + " is not full (" + members[b].size() + " of " +
                        settings.k() + ") but does not hold eligible live peer " + r.id());
                }
            }
        }
        return violations;
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "KademliaTable{local=" + localId + ", members=" + memberCount + ", known=" + entries.size() + "}";
        }
    }

    /** A network for the invariant check: an address family and the address bits under a prefix. */
    private record Net(int family, long key)
    {
        @Override
        public String toString()
        {
            return (V4 == family ? "v4:" : "v6:") + Long.toHexString(key);
        }
    }

    private static List<Net> nets(final PeerRecord r, final long[] mask)
    {
        final List<Net> out = new ArrayList<>();
        final List<Endpoint> endpoints = r.endpoints();
        for (int i = 0; i < endpoints.size(); i++)
        {
            final IpAddress ip = endpoints.get(i).ip();
            if (null != ip)
            {
                final Net n = new Net(familyOf(ip), keyOf(ip, mask));
                if (!out.contains(n))
                {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private boolean fits(final PeerRecord r, final Map<Net, Integer> bucketNets, final Map<Net, Integer> tableNets)
    {
        if (settings.maxPerSubnetInBucket() > 0)
        {
            for (final Net n : nets(r, bucketMask))
            {
                if (bucketNets.getOrDefault(n, 0) >= settings.maxPerSubnetInBucket())
                {
                    return false;
                }
            }
        }
        if (settings.maxPerSubnetInTable() > 0)
        {
            for (final Net n : nets(r, tableMask))
            {
                if (tableNets.getOrDefault(n, 0) >= settings.maxPerSubnetInTable())
                {
                    return false;
                }
            }
        }
        return true;
    }

    private int checkList(
        final EntryList list,
        final int b,
        final boolean member,
        final Map<NodeId, PeerRecord> liveById,
        final List<String> violations)
    {
        int n = 0;
        for (Entry e = list.head(); null != e; e = e.next)
        {
            n++;
            final NodeId id = e.record.id();
            final PeerRecord liveRecord = liveById.get(id);
            if (null == liveRecord)
            {
                violations.add("bucket " + b + " holds " + id + ", which is not live");
            }
            else if (!liveRecord.equals(e.record))
            {
                violations.add("bucket " + b + " holds an outdated record of " + id);
            }
            if (e.bucket != b || localId.highestDifferingBit(id) != b)
            {
                violations.add(id + " is held in bucket " + b + " but belongs in " + localId.highestDifferingBit(id));
            }
            if (e.member != member || entries.get(id) != e)
            {
                violations.add(id + " is listed in bucket " + b + " as " + (member ? "member" : "replacement") +
                    " but indexed otherwise");
            }
        }
        return n;
    }

    private int countKnown()
    {
        int n = 0;
        for (int b = 0; b < BUCKETS; b++)
        {
            n += members[b].size() + candidates[b].size();
        }
        return n;
    }

    /**
     * Places a detached entry: a member when its bucket has room and it fits the diversity limits; a
     * replacement otherwise, and when the bucket is full the bucket names its candidate to ping.
     */
    private AddResult place(final Entry e)
    {
        final int b = e.bucket;
        if (members[b].size() < settings.k())
        {
            final int fit = fit(e, b);
            if (FITS != fit)
            {
                hold(e);
                return BUCKET_LIMIT == fit ? AddResult.REFUSED_BUCKET_DIVERSITY : AddResult.REFUSED_TABLE_DIVERSITY;
            }
            promote(e);
            fireAdded(e.record);
            return AddResult.ADDED;
        }
        // Full: the newcomer waits whatever its networks; a place freed by a ping goes to the most recently
        // seen replacement that fits, so judging its diversity now would only cost every add to a full bucket.
        final boolean held = hold(e);
        if (null == pending[b])
        {
            pending[b] = leastRecentlySeenUnprotected(b);
        }
        return held ? AddResult.CACHED : AddResult.NOT_CACHED;
    }

    /** Puts a detached entry at the most-recently-seen end of its cache; @return false when the cache dropped it. */
    private boolean hold(final Entry e)
    {
        final int b = e.bucket;
        e.member = false;
        candidates[b].addLast(e);
        if (!settings.keepAllCandidates() && candidates[b].size() > settings.replacementCacheSize())
        {
            final Entry dropped = candidates[b].head();
            candidates[b].remove(dropped);
            entries.remove(dropped.record.id());
            giveBack(dropped);
            return dropped != e;
        }
        return true;
    }

    private Entry leastRecentlySeenUnprotected(final int b)
    {
        for (Entry e = members[b].head(); null != e; e = e.next)
        {
            if (!e.record.pinned())
            {
                return e;
            }
        }
        return null;
    }

    /** Takes a member out of its bucket and the counts; @return its record. */
    private PeerRecord detachMember(final Entry e)
    {
        final int b = e.bucket;
        members[b].remove(e);
        uncount(e);
        memberCount--;
        if (pending[b] == e)
        {
            pending[b] = null;
        }
        return e.record;
    }

    private boolean hasEligibleCandidate(final int b)
    {
        for (Entry e = candidates[b].tail(); null != e; e = e.prev)
        {
            if (FITS == fit(e, b))
            {
                return true;
            }
        }
        return false;
    }

    private static int collect(final EntryList list, final NodeId target, final PeerRecord[] out, final int count)
    {
        int n = count;
        final int capacity = out.length;
        for (Entry e = list.head(); null != e; e = e.next)
        {
            final PeerRecord r = e.record;
            int i;
            if (n < capacity)
            {
                i = n++;
            }
            else if (target.compareDistance(r.id(), out[capacity - 1].id()) < 0)
            {
                i = capacity - 1;
            }
            else
            {
                continue;
            }
            while (i > 0 && target.compareDistance(r.id(), out[i - 1].id()) < 0)
            {
                out[i] = out[i - 1];
                i--;
            }
            out[i] = r;
        }
        return n;
    }

    /** @return a pooled entry, or a new one when the table holds more peers than it ever did. */
    private Entry takeEntry(final PeerRecord record, final int bucket)
    {
        Entry e = freeEntries;
        if (null == e)
        {
            e = new Entry();
        }
        else
        {
            freeEntries = e.next;
            e.next = null;
        }
        e.record = record;
        e.bucket = bucket;
        e.member = false;
        return e;
    }

    /** Pools a detached entry, dropping its record so that the pool keeps no peer alive. */
    private void giveBack(final Entry e)
    {
        e.record = null;
        e.member = false;
        e.prev = null;
        e.next = freeEntries;
        freeEntries = e;
    }

    private void giveBackAll(final EntryList list)
    {
        Entry e = list.head();
        list.clear();
        while (null != e)
        {
            final Entry next = e.next;
            giveBack(e);
            e = next;
        }
    }

    private void promote(final Entry e)
    {
        e.member = true;
        members[e.bucket].addLast(e);
        count(e);
        memberCount++;
    }

    /**
     * After a member of bucket {@code b} left or changed networks: its bucket promotes first; when it freed a
     * place in a table-wide network count, any other bucket with room may now take a replacement of that
     * network, so every bucket with room and replacements tries. Promotions only raise counts, so one pass
     * reaches the fixpoint.
     */
    private void refill(final int b, final boolean freedTableCounts)
    {
        fill(b);
        if (settings.maxPerSubnetInTable() > 0 && freedTableCounts)
        {
            for (int i = 0; i < BUCKETS; i++)
            {
                fill(i);
            }
        }
    }

    /** Promotes the most recently seen eligible replacements while the bucket has room. */
    private void fill(final int b)
    {
        Entry e = candidates[b].tail();
        while (null != e && members[b].size() < settings.k())
        {
            final Entry prev = e.prev;
            if (FITS == fit(e, b))
            {
                candidates[b].remove(e);
                promote(e);
                fireAdded(e.record);
            }
            e = prev;
        }
    }

    /**
     * @return {@link #FITS}, or the diversity limit the entry's networks would break in bucket {@code b}: the
     * table's first (one lookup per network), then the bucket's (a walk of its members).
     */
    private int fit(final Entry e, final int b)
    {
        final long[] nets = e.nets;
        final int tableLimit = settings.maxPerSubnetInTable();
        if (tableLimit > 0)
        {
            for (int i = tableFrom(e), n = i + 2 * e.tableNets; i < n; i += 2)
            {
                if (tableCounts[(int)nets[i]].get(nets[i + 1]) >= tableLimit)
                {
                    return TABLE_LIMIT;
                }
            }
        }
        final int bucketLimit = settings.maxPerSubnetInBucket();
        if (bucketLimit > 0)
        {
            for (int i = 0, n = 2 * e.bucketNets; i < n; i += 2)
            {
                if (countInBucket(b, nets[i], nets[i + 1]) >= bucketLimit)
                {
                    return BUCKET_LIMIT;
                }
            }
        }
        return FITS;
    }

    private int countInBucket(final int b, final long family, final long key)
    {
        int n = 0;
        for (Entry m = members[b].head(); null != m; m = m.next)
        {
            final long[] nets = m.nets;
            for (int i = 0, end = 2 * m.bucketNets; i < end; i += 2)
            {
                if (nets[i + 1] == key && nets[i] == family)
                {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Writes the record's distinct networks at the bucket and the table prefixes into the scratch pairs. */
    private void computeNets(final PeerRecord r)
    {
        scratchBucketNets = distinctNets(r, bucketMask, 0);
        scratchTableNets = sharedNets ? scratchBucketNets : distinctNets(r, tableMask, 2 * scratchBucketNets);
    }

    /** @return where the entry's networks at the table prefixes start in {@link Entry#nets}. */
    private int tableFrom(final Entry e)
    {
        return sharedNets ? 0 : 2 * e.bucketNets;
    }

    private int distinctNets(final PeerRecord r, final long[] mask, final int from)
    {
        final long[] out = scratchNets;
        int n = 0;
        final List<Endpoint> endpoints = r.endpoints();
        for (int i = 0, m = endpoints.size(); i < m; i++)
        {
            final IpAddress ip = endpoints.get(i).ip();
            if (null == ip)
            {
                continue;
            }
            final long family = familyOf(ip);
            final long key = keyOf(ip, mask);
            if (!containsPair(out, from, n, family, key))
            {
                out[from + 2 * n] = family;
                out[from + 2 * n + 1] = key;
                n++;
            }
        }
        return n;
    }

    /**
     * Gives the entry the scratch networks. Its array holds at least {@link #MIN_NETS} pairs and grows only past
     * the most networks the entry has held, so pooled entries that change hands rarely allocate.
     */
    private void storeNets(final Entry e)
    {
        final int length = 2 * (scratchBucketNets + (sharedNets ? 0 : scratchTableNets));
        if (e.nets.length < length)
        {
            e.nets = new long[Math.max(length, 2 * MIN_NETS)];
        }
        System.arraycopy(scratchNets, 0, e.nets, 0, length);
        e.bucketNets = scratchBucketNets;
        e.tableNets = scratchTableNets;
    }

    /** @return whether the scratch networks are the entry's, as sets, at both prefixes. */
    private boolean sameNets(final Entry e)
    {
        if (e.bucketNets != scratchBucketNets || e.tableNets != scratchTableNets)
        {
            return false;
        }
        for (int i = 0; i < scratchBucketNets; i++)
        {
            if (!containsPair(e.nets, 0, e.bucketNets, scratchNets[2 * i], scratchNets[2 * i + 1]))
            {
                return false;
            }
        }
        if (sharedNets)
        {
            return true;
        }
        final int from = 2 * scratchBucketNets;
        for (int i = 0; i < scratchTableNets; i++)
        {
            if (!containsPair(e.nets, from, e.tableNets, scratchNets[from + 2 * i], scratchNets[from + 2 * i + 1]))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean containsPair(final long[] pairs, final int from, final int count, final long family, final long key)
    {
        for (int j = 0; j < count; j++)
        {
            if (pairs[from + 2 * j + 1] == key && pairs[from + 2 * j] == family)
            {
                return true;
            }
        }
        return false;
    }

    private void count(final Entry e)
    {
        final long[] nets = e.nets;
        for (int i = tableFrom(e), n = i + 2 * e.tableNets; i < n; i += 2)
        {
            final Long2LongHashMap counts = tableCounts[(int)nets[i]];
            counts.put(nets[i + 1], counts.get(nets[i + 1]) + 1);
        }
    }

    private void uncount(final Entry e)
    {
        final long[] nets = e.nets;
        for (int i = tableFrom(e), n = i + 2 * e.tableNets; i < n; i += 2)
        {
            final Long2LongHashMap counts = tableCounts[(int)nets[i]];
            final long left = counts.get(nets[i + 1]) - 1;
            if (0 == left)
            {
                counts.remove(nets[i + 1]);
            }
            else
            {
                counts.put(nets[i + 1], left);
            }
        }
    }

    /**
     * A write from inside a listener callback (on the thread making the change, which holds the re-entrant
     * monitor) would change the table part way through the change it is told of: refused.
     */
    private void refuseFromListener(final String method)
    {
        if (notifying)
        {
            throw new IllegalStateException("KademliaTable." + method + " called from inside a KademliaListener " +
                "callback: a listener may query the table but not write to it; make the write after the callback returns");
        }
    }

    private void fireAdded(final PeerRecord record)
    {
        notifying = true;
        try
        {
            listener.added(record);
        }
        catch (final Throwable ex)
        {
            // Whatever it throws, an Error included: the change it is told of is not finished yet.
            listenerFailures++;
        }
        finally
        {
            notifying = false;
        }
    }

    private void fireRemoved(final PeerRecord record, final RemovalCause cause)
    {
        notifying = true;
        try
        {
            listener.removed(record, cause);
        }
        catch (final Throwable ex)
        {
            // Whatever it throws, an Error included: the change it is told of is not finished yet.
            listenerFailures++;
        }
        finally
        {
            notifying = false;
        }
    }

    private static int familyOf(final IpAddress ip)
    {
        return IpAddress.V4 == ip.family() ? V4 : V6;
    }

    private static long keyOf(final IpAddress ip, final long[] mask)
    {
        return IpAddress.V4 == ip.family() ? ip.lo() & mask[V4] : ip.hi() & mask[V6];
    }

    private static long v4Mask(final int bits)
    {
        return (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
    }

    private static long v6Mask(final int bits)
    {
        return -1L << (64 - bits);
    }
}
