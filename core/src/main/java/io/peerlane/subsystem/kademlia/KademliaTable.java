package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kademlia routing table for one local 256-bit id: XOR distance, 256 k-buckets in least-recently-seen
 * order, a bounded replacement cache per bucket, closest-k lookup, and subnet diversity limits per bucket
 * and per table.
 * <p>
 * Bucket {@code i} holds the peers whose highest bit differing from the local id is bit {@code i}
 * ({@link NodeId#highestDifferingBit}). A full bucket keeps its members and puts a newcomer in its
 * replacement cache, which favours long-lived peers as Kademlia intends; when a member leaves, the most
 * recently seen replacement that fits the diversity limits is promoted. Membership is the table's own
 * decision: a peer can be known to the node and not route (full bucket, diversity).
 * <p>
 * Usable on its own, without an engine. Writes come from one thread (an observer's); queries may come from
 * any thread: every method takes a private monitor that only this table's writer and its readers use, so
 * a slow reader can only delay this table's writer, never the engine.
 * <p>
 * {@link #add} and {@link #remove} allocate nothing once the table has held its largest population: peers
 * are indexed in an open-addressing {@link Object2ObjectHashMap} (no node per put), buckets and caches are
 * intrusive lists of {@link Entry}s taken from and given back to a free list, and the per-subnet member
 * counts are a primitive {@link Long2LongHashMap}. Only growth past the largest population allocates (an
 * entry, or a map doubling its capacity). Queries allocate the lists they return.
 */
public final class KademliaTable
{
    /** Number of buckets: one per bit of an id. */
    public static final int BUCKETS = 256;

    private final NodeId localId;
    private final KademliaSettings settings;
    private final Object lock = new Object();
    private final Object2ObjectHashMap<NodeId, Entry> entries = new Object2ObjectHashMap<>();
    private final EntryList[] members = new EntryList[BUCKETS];
    private final EntryList[] candidates = new EntryList[BUCKETS];
    private final Long2LongHashMap membersPerSubnet = new Long2LongHashMap(0);
    /** Entries of peers that left, chained through {@link Entry#next}, for the next peers to arrive. */
    private Entry freeEntries;
    private int memberCount;

    /**
     * @param localId the local node's id.
     */
    public KademliaTable(final NodeId localId)
    {
        this(localId, KademliaSettings.defaults());
    }

    /**
     * @param localId  the local node's id.
     * @param settings bucket size, cache size and diversity limits.
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
     * becomes a replacement.
     *
     * @param record the peer's record.
     * @return where the peer is now.
     */
    public Placement add(final PeerRecord record)
    {
        final int b = localId.highestDifferingBit(record.id());
        if (b < 0)
        {
            return Placement.NOT_HELD;
        }
        synchronized (lock)
        {
            Entry e = entries.get(record.id());
            if (null == e)
            {
                e = takeEntry(record, b);
                entries.put(record.id(), e);
                return place(e);
            }
            final PeerRecord previous = e.record;
            e.record = record;
            if (!e.member)
            {
                candidates[b].remove(e);
                return place(e);
            }
            if (sameSubnets(previous, record))
            {
                members[b].moveToEnd(e);
                return Placement.MEMBER;
            }
            // The member's networks changed: judge it afresh, without counting its old networks.
            members[b].remove(e);
            uncount(previous);
            memberCount--;
            e.member = false;
            final Placement placement = place(e);
            refill(b, previous);
            return e.member ? Placement.MEMBER : placement;
        }
    }

    /**
     * Removes a peer, member or replacement. A member's place goes to the most recently seen eligible
     * replacement.
     *
     * @param id the peer's id.
     * @return whether the table held it.
     */
    public boolean remove(final NodeId id)
    {
        synchronized (lock)
        {
            final Entry e = entries.remove(id);
            if (null == e)
            {
                return false;
            }
            if (e.member)
            {
                members[e.bucket].remove(e);
                uncount(e.record);
                memberCount--;
                refill(e.bucket, e.record);
            }
            else
            {
                candidates[e.bucket].remove(e);
            }
            giveBack(e);
            return true;
        }
    }

    /** Forgets every peer. */
    public void clear()
    {
        synchronized (lock)
        {
            entries.clear();
            for (int i = 0; i < BUCKETS; i++)
            {
                giveBackAll(members[i]);
                giveBackAll(candidates[i]);
            }
            membersPerSubnet.clear();
            memberCount = 0;
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
        final List<PeerRecord> all;
        synchronized (lock)
        {
            all = new ArrayList<>(memberCount);
            for (int b = 0; b < BUCKETS; b++)
            {
                for (Entry e = members[b].head(); null != e; e = e.next)
                {
                    all.add(e.record);
                }
            }
        }
        all.sort((x, y) -> target.compareDistance(x.id(), y.id()));
        return new ArrayList<>(all.subList(0, Math.min(Math.max(count, 0), all.size())));
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
     * Checks the table against the set of live peers it should follow: it holds only those peers, each with
     * its live record and in its bucket; no bucket holds more than k members; the diversity limits hold per
     * bucket and per table; every bucket that is not full holds every live peer of its range that it could
     * take without breaking a diversity limit; with {@link KademliaSettings#keepAllCandidates()}, every live
     * peer but the local node is a member or a replacement.
     *
     * @param live every live peer.
     * @return the violations, empty when there is none.
     */
    public List<String> checkInvariants(final Collection<PeerRecord> live)
    {
        final List<String> violations = new ArrayList<>();
        final Map<NodeId, PeerRecord> liveById = new HashMap<>();
        for (final PeerRecord r : live)
        {
            liveById.put(r.id(), r);
        }
        synchronized (lock)
        {
            final Map<Long, Integer> tableCounts = new HashMap<>();
            final List<Map<Long, Integer>> bucketCounts = new ArrayList<>(BUCKETS);
            int members = 0;
            for (int b = 0; b < BUCKETS; b++)
            {
                final Map<Long, Integer> counts = new HashMap<>();
                bucketCounts.add(counts);
                if (this.members[b].size() > settings.k())
                {
                    violations.add("bucket " + b + " holds " + this.members[b].size() + " members, more than k = " +
                        settings.k());
                }
                if (!settings.keepAllCandidates() && candidates[b].size() > settings.replacementCacheSize())
                {
                    violations.add("bucket " + b + " holds " + candidates[b].size() + " replacements, more than " +
                        settings.replacementCacheSize());
                }
                members += checkList(this.members[b], b, true, liveById, violations);
                checkList(candidates[b], b, false, liveById, violations);
                for (Entry e = this.members[b].head(); null != e; e = e.next)
                {
                    for (int i = 0; i < e.record.subnetCount(); i++)
                    {
                        counts.merge(e.record.subnet(i), 1, Integer::sum);
                        tableCounts.merge(e.record.subnet(i), 1, Integer::sum);
                    }
                }
                final int bucketLimit = settings.maxPerSubnetInBucket();
                for (final Map.Entry<Long, Integer> c : counts.entrySet())
                {
                    if (bucketLimit > 0 && c.getValue() > bucketLimit)
                    {
                        violations.add("bucket " + b + " holds " + c.getValue() + " members of subnet " +
                            Long.toHexString(c.getKey()) + ", more than " + bucketLimit);
                    }
                }
            }
            if (members != memberCount)
            {
                violations.add("member count is " + memberCount + " but the buckets hold " + members);
            }
            if (entries.size() != countKnown())
            {
                violations.add("index holds " + entries.size() + " peers but the lists hold " + countKnown());
            }
            final int tableLimit = settings.maxPerSubnetInTable();
            for (final Map.Entry<Long, Integer> c : tableCounts.entrySet())
            {
                if (tableLimit > 0 && c.getValue() > tableLimit)
                {
                    violations.add("table holds " + c.getValue() + " members of subnet " +
                        Long.toHexString(c.getKey()) + ", more than " + tableLimit);
                }
                if (membersPerSubnet.get(c.getKey().longValue()) != c.getValue().intValue())
                {
                    violations.add("subnet " + Long.toHexString(c.getKey()) + " counted " +
                        membersPerSubnet.get(c.getKey().longValue()) + " but the table holds " + c.getValue());
                }
            }
            if (membersPerSubnet.size() != tableCounts.size())
            {
                violations.add("subnet counts hold " + membersPerSubnet.size() + " subnets, the members " +
                    tableCounts.size());
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
                if ((null == e || !e.member) && this.members[b].size() < settings.k() &&
                    fits(r, bucketCounts.get(b), tableCounts))
                {
                    violations.add("bucket " + b + " is not full (" + this.members[b].size() + " of " +
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

    private boolean fits(final PeerRecord r, final Map<Long, Integer> bucketCounts, final Map<Long, Integer> tableCounts)
    {
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long s = r.subnet(i);
            if (settings.maxPerSubnetInBucket() > 0 &&
                bucketCounts.getOrDefault(s, 0) >= settings.maxPerSubnetInBucket())
            {
                return false;
            }
            if (settings.maxPerSubnetInTable() > 0 && tableCounts.getOrDefault(s, 0) >= settings.maxPerSubnetInTable())
            {
                return false;
            }
        }
        return true;
    }

    /** Makes a detached entry a member when its bucket has room and it fits, otherwise a replacement. */
    private Placement place(final Entry e)
    {
        final int b = e.bucket;
        if (members[b].size() < settings.k() && eligible(e.record, b))
        {
            promote(e);
            return Placement.MEMBER;
        }
        e.member = false;
        candidates[b].addLast(e);
        if (!settings.keepAllCandidates() && candidates[b].size() > settings.replacementCacheSize())
        {
            final Entry dropped = candidates[b].head();
            candidates[b].remove(dropped);
            entries.remove(dropped.record.id());
            giveBack(dropped);
            if (dropped == e)
            {
                return Placement.NOT_HELD;
            }
        }
        return Placement.REPLACEMENT;
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
        count(e.record);
        memberCount++;
    }

    /**
     * After a member of bucket {@code b} left or changed networks: its bucket promotes first; when it freed a
     * place in a table-wide subnet count, any other bucket with room may now take a replacement of that
     * subnet, so every bucket with room and replacements tries. Promotions only raise counts, so one pass
     * reaches the fixpoint.
     */
    private void refill(final int b, final PeerRecord left)
    {
        fill(b);
        if (settings.maxPerSubnetInTable() > 0 && left.subnetCount() > 0)
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
            if (eligible(e.record, b))
            {
                candidates[b].remove(e);
                promote(e);
            }
            e = prev;
        }
    }

    private boolean eligible(final PeerRecord r, final int b)
    {
        final int bucketLimit = settings.maxPerSubnetInBucket();
        final int tableLimit = settings.maxPerSubnetInTable();
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long s = r.subnet(i);
            if (tableLimit > 0 && membersPerSubnet.get(s) >= tableLimit)
            {
                return false;
            }
            if (bucketLimit > 0 && countInBucket(b, s) >= bucketLimit)
            {
                return false;
            }
        }
        return true;
    }

    private int countInBucket(final int b, final long subnet)
    {
        int n = 0;
        for (Entry e = members[b].head(); null != e; e = e.next)
        {
            if (e.record.hasSubnet(subnet))
            {
                n++;
            }
        }
        return n;
    }

    private void count(final PeerRecord r)
    {
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long s = r.subnet(i);
            membersPerSubnet.put(s, membersPerSubnet.get(s) + 1);
        }
    }

    private void uncount(final PeerRecord r)
    {
        for (int i = 0; i < r.subnetCount(); i++)
        {
            final long s = r.subnet(i);
            final long n = membersPerSubnet.get(s) - 1;
            if (0 == n)
            {
                membersPerSubnet.remove(s);
            }
            else
            {
                membersPerSubnet.put(s, n);
            }
        }
    }

    private static boolean sameSubnets(final PeerRecord a, final PeerRecord b)
    {
        if (a.subnetCount() != b.subnetCount())
        {
            return false;
        }
        for (int i = 0; i < a.subnetCount(); i++)
        {
            if (a.subnet(i) != b.subnet(i))
            {
                return false;
            }
        }
        return true;
    }
}
