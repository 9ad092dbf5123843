package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.IpAddress;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of {@link KademliaTable} written as plainly as possible, for the property tests to compare
 * against: ids in array lists, every count recomputed from the lists, networks as strings made by shifting
 * (the table masks). Slow, obviously right, and sharing no code with the table.
 */
final class KademliaModel
{
    private static final int FITS = 0;
    private static final int BUCKET = 1;
    private static final int TABLE = 2;

    final NodeId local;
    final KademliaSettings s;
    /** Every peer held, member or replacement. */
    final Map<NodeId, PeerRecord> records = new HashMap<>();
    final List<List<NodeId>> members = new ArrayList<>();
    final List<List<NodeId>> candidates = new ArrayList<>();
    final NodeId[] pending = new NodeId[KademliaTable.BUCKETS];
    /** What the table's listener should have heard, in order. */
    final List<String> events = new ArrayList<>();

    KademliaModel(final NodeId local, final KademliaSettings s)
    {
        this.local = local;
        this.s = s;
        for (int b = 0; b < KademliaTable.BUCKETS; b++)
        {
            members.add(new ArrayList<>());
            candidates.add(new ArrayList<>());
        }
    }

    AddResult add(final PeerRecord r)
    {
        final int b = local.highestDifferingBit(r.id());
        if (b < 0)
        {
            return AddResult.SELF;
        }
        final NodeId id = r.id();
        final List<NodeId> m = members.get(b);
        if (m.contains(id))
        {
            final PeerRecord previous = records.put(id, r);
            if (id.equals(pending[b]))
            {
                pending[b] = null;
            }
            m.remove(id);
            if (ips(previous).equals(ips(r)))
            {
                m.add(id);
                return AddResult.UPDATED;
            }
            final int fit = fit(r, b);
            if (FITS == fit)
            {
                m.add(id);
                refill(b, previous);
                return AddResult.UPDATED;
            }
            hold(b, id);
            events.add("removed " + id + " " + RemovalCause.DIVERSITY);
            refill(b, previous);
            return refused(fit);
        }
        candidates.get(b).remove(id);
        records.put(id, r);
        if (m.size() < s.k())
        {
            final int fit = fit(r, b);
            if (FITS != fit)
            {
                hold(b, id);
                return refused(fit);
            }
            m.add(id);
            events.add("added " + id);
            return AddResult.ADDED;
        }
        final boolean held = hold(b, id);
        if (null == pending[b])
        {
            for (final NodeId x : m)
            {
                if (!records.get(x).pinned())
                {
                    pending[b] = x;
                    break;
                }
            }
        }
        return held ? AddResult.CACHED : AddResult.NOT_CACHED;
    }

    boolean remove(final NodeId id)
    {
        final int b = local.highestDifferingBit(id);
        if (b < 0)
        {
            return false;
        }
        if (members.get(b).remove(id))
        {
            final PeerRecord r = records.remove(id);
            if (id.equals(pending[b]))
            {
                pending[b] = null;
            }
            events.add("removed " + id + " " + RemovalCause.LEFT);
            refill(b, r);
            return true;
        }
        if (candidates.get(b).remove(id))
        {
            records.remove(id);
            return true;
        }
        return false;
    }

    MarkResult markAlive(final NodeId id)
    {
        final int b = local.highestDifferingBit(id);
        if (b < 0)
        {
            return MarkResult.UNKNOWN;
        }
        if (members.get(b).remove(id))
        {
            members.get(b).add(id);
            if (id.equals(pending[b]))
            {
                pending[b] = null;
            }
            return MarkResult.KEPT;
        }
        if (candidates.get(b).remove(id))
        {
            candidates.get(b).add(id);
            return MarkResult.KEPT;
        }
        return MarkResult.UNKNOWN;
    }

    MarkResult markDead(final NodeId id)
    {
        final int b = local.highestDifferingBit(id);
        if (b < 0)
        {
            return MarkResult.UNKNOWN;
        }
        if (candidates.get(b).remove(id))
        {
            records.remove(id);
            return MarkResult.DROPPED;
        }
        if (!members.get(b).contains(id))
        {
            return MarkResult.UNKNOWN;
        }
        if (records.get(id).pinned())
        {
            return MarkResult.PROTECTED;
        }
        members.get(b).remove(id);
        final PeerRecord r = records.remove(id);
        if (id.equals(pending[b]))
        {
            pending[b] = null;
        }
        boolean replaced = false;
        for (final NodeId c : candidates.get(b))
        {
            replaced |= FITS == fit(records.get(c), b);
        }
        events.add("removed " + id + " " + (replaced ? RemovalCause.REPLACED : RemovalCause.EVICTED));
        refill(b, r);
        return replaced ? MarkResult.REPLACED : MarkResult.EVICTED;
    }

    void clear()
    {
        for (final List<NodeId> m : members)
        {
            for (final NodeId id : m)
            {
                events.add("removed " + id + " " + RemovalCause.CLEARED);
            }
            m.clear();
        }
        candidates.forEach(List::clear);
        records.clear();
        java.util.Arrays.fill(pending, null);
    }

    int size()
    {
        int n = 0;
        for (final List<NodeId> m : members)
        {
            n += m.size();
        }
        return n;
    }

    /** @return the n members closest to the target, by a full sort of every member on the XOR distance. */
    List<NodeId> closest(final NodeId target, final int n)
    {
        final List<NodeId> all = new ArrayList<>();
        members.forEach(all::addAll);
        all.sort((x, y) -> target.xor(x).compareTo(target.xor(y)));
        return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
    }

    private static AddResult refused(final int fit)
    {
        return BUCKET == fit ? AddResult.REFUSED_BUCKET_DIVERSITY : AddResult.REFUSED_TABLE_DIVERSITY;
    }

    private boolean hold(final int b, final NodeId id)
    {
        final List<NodeId> c = candidates.get(b);
        c.add(id);
        if (!s.keepAllCandidates() && c.size() > s.replacementCacheSize())
        {
            final NodeId dropped = c.remove(0);
            records.remove(dropped);
            return !dropped.equals(id);
        }
        return true;
    }

    private void refill(final int b, final PeerRecord left)
    {
        fill(b);
        if (s.maxPerSubnetInTable() > 0 && !nets(left, 32, 64).isEmpty())
        {
            for (int i = 0; i < KademliaTable.BUCKETS; i++)
            {
                fill(i);
            }
        }
    }

    private void fill(final int b)
    {
        final List<NodeId> newestFirst = new ArrayList<>(candidates.get(b));
        Collections.reverse(newestFirst);
        for (final NodeId id : newestFirst)
        {
            if (members.get(b).size() >= s.k())
            {
                break;
            }
            if (FITS == fit(records.get(id), b))
            {
                candidates.get(b).remove(id);
                members.get(b).add(id);
                events.add("added " + id);
            }
        }
    }

    private int fit(final PeerRecord r, final int b)
    {
        if (s.maxPerSubnetInTable() > 0)
        {
            for (final String net : nets(r, s.ipv4TablePrefix(), s.ipv6TablePrefix()))
            {
                int n = 0;
                for (final List<NodeId> bucket : members)
                {
                    for (final NodeId m : bucket)
                    {
                        n += nets(records.get(m), s.ipv4TablePrefix(), s.ipv6TablePrefix()).contains(net) ? 1 : 0;
                    }
                }
                if (n >= s.maxPerSubnetInTable())
                {
                    return TABLE;
                }
            }
        }
        if (s.maxPerSubnetInBucket() > 0)
        {
            for (final String net : nets(r, s.ipv4BucketPrefix(), s.ipv6BucketPrefix()))
            {
                int n = 0;
                for (final NodeId m : members.get(b))
                {
                    n += nets(records.get(m), s.ipv4BucketPrefix(), s.ipv6BucketPrefix()).contains(net) ? 1 : 0;
                }
                if (n >= s.maxPerSubnetInBucket())
                {
                    return BUCKET;
                }
            }
        }
        return FITS;
    }

    private static Set<String> nets(final PeerRecord r, final int v4, final int v6)
    {
        final Set<String> out = new LinkedHashSet<>();
        for (final Endpoint e : r.endpoints())
        {
            final IpAddress ip = e.ip();
            if (null != ip)
            {
                out.add(ip.family() == IpAddress.V4 ? "4/" + (ip.lo() >>> (32 - v4)) : "6/" + (ip.hi() >>> (64 - v6)));
            }
        }
        return out;
    }

    private static List<String> ips(final PeerRecord r)
    {
        final List<String> out = new ArrayList<>();
        for (final Endpoint e : r.endpoints())
        {
            final IpAddress ip = e.ip();
            out.add(null == ip ? "-" : ip.family() + ":" + ip.hi() + ":" + ip.lo());
        }
        return out;
    }
}
