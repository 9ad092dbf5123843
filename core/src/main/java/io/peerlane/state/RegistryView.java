package io.peerlane.state;

import io.peerlane.peer.Discovery;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An immutable copy of the registry at one point in the commit order: never half a batch, safe to keep
 * and read from any thread. Records are the producers' records, by reference; the registry's own
 * liveness ({@link #lastSeen(NodeId)}, raised by touches) and {@link #firstSeen(NodeId)} stand beside
 * them. Peers are held in id order: a lookup by id is a binary search, the other queries scan.
 * <p>
 * A view is made on demand (see {@code PeerlaneEngine.view()}), at the cost of a copy of the live peers;
 * it is the way to iterate or to read several peers at one point. For a single lookup on a hot path,
 * {@code PeerlaneEngine.get(NodeId)} reads the live table without copying.
 */
public final class RegistryView
{
    private static final RegistryView EMPTY =
        new RegistryView(new PeerTable.Copy(new PeerRecord[0], new long[0], new long[0], -1, 0));

    private final PeerTable.Copy source;
    /** The slots in id order, made on first use by whichever thread reads first (it is immutable). */
    private volatile Sorted sorted;

    private RegistryView(final PeerTable.Copy source)
    {
        this.source = source;
    }

    /** @return an empty view. */
    public static RegistryView empty()
    {
        return EMPTY;
    }

    /**
     * A view of a copy of the table's slots. Sorting them into id order is left to the first reader, so
     * that a view the writer makes (for a registration or a resync) costs it only the array copies.
     */
    static RegistryView of(final PeerTable.Copy copy)
    {
        return new RegistryView(copy);
    }

    /** The live peers of a copy, in id order, with the registry's liveness beside each. */
    private static final class Sorted
    {
        final PeerRecord[] records;
        final long[] lastSeen;
        final long[] firstSeen;

        Sorted(final PeerTable.Copy copy)
        {
            int n = 0;
            for (final PeerRecord r : copy.records)
            {
                if (null != r)
                {
                    n++;
                }
            }
            final Integer[] slots = new Integer[n];
            n = 0;
            for (int slot = 0; slot < copy.records.length; slot++)
            {
                if (null != copy.records[slot])
                {
                    slots[n++] = slot;
                }
            }
            Arrays.sort(slots, (a, b) -> copy.records[a].id().compareTo(copy.records[b].id()));
            records = new PeerRecord[n];
            lastSeen = new long[n];
            firstSeen = new long[n];
            for (int i = 0; i < n; i++)
            {
                final int slot = slots[i];
                records[i] = copy.records[slot];
                lastSeen[i] = copy.lastSeen[slot];
                firstSeen[i] = copy.firstSeen[slot];
            }
        }
    }

    private Sorted sorted()
    {
        Sorted s = sorted;
        if (null == s)
        {
            s = new Sorted(source);
            sorted = s;
        }
        return s;
    }

    /** @return the ring sequence of the last mutation this view holds, -1 before the first. */
    public long sequence()
    {
        return source.sequence;
    }

    /** @return the seq of the last event line this view holds, 0 before the first. */
    public long eventSeq()
    {
        return source.eventSeq;
    }

    /** @return number of live peers. */
    public int size()
    {
        return sorted().records.length;
    }

    /**
     * @param id a node id.
     * @return the live record, or null.
     */
    public PeerRecord get(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? null : sorted().records[i];
    }

    /**
     * @param id a node id.
     * @return the registry's {@code lastSeen} of a live peer (the record's, raised by touches), or -1.
     */
    public long lastSeen(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? -1 : sorted().lastSeen[i];
    }

    /**
     * @param id a node id.
     * @return the event time at which the registry first added the live peer, or -1.
     */
    public long firstSeen(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? -1 : sorted().firstSeen[i];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the record there.
     */
    public PeerRecord recordAt(final int index)
    {
        return sorted().records[index];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the registry's {@code lastSeen} of the peer there.
     */
    public long lastSeenAt(final int index)
    {
        return sorted().lastSeen[index];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the {@code firstSeen} of the peer there.
     */
    public long firstSeenAt(final int index)
    {
        return sorted().firstSeen[index];
    }

    /**
     * @param did a DID.
     * @return the live peers with that DID, in id order.
     */
    public List<PeerRecord> byDid(final String did)
    {
        return select(r -> r.did().equals(did));
    }

    /**
     * @param key a public key.
     * @return the live peers with that key, in id order.
     */
    public List<PeerRecord> byPublicKey(final PublicKey key)
    {
        return select(r -> r.publicKey().equals(key));
    }

    /**
     * @param tier a tier.
     * @return the live peers of that tier, in id order.
     */
    public List<PeerRecord> byTier(final Tier tier)
    {
        return select(r -> r.tier() == tier);
    }

    /**
     * @param protocol a transport.
     * @return the live peers with an endpoint of that transport, in id order.
     */
    public List<PeerRecord> byProtocol(final Protocol protocol)
    {
        return select(r -> r.hasProtocol(protocol));
    }

    /**
     * @param discovery a discovery method.
     * @return the live peers found that way, in id order.
     */
    public List<PeerRecord> byDiscovery(final Discovery discovery)
    {
        return select(r -> r.discovery() == discovery);
    }

    /** @return the authenticated live peers, in id order. */
    public List<PeerRecord> authenticated()
    {
        return select(PeerRecord::authenticated);
    }

    /**
     * @param filter a test.
     * @return the live peers that pass it, in id order.
     */
    public List<PeerRecord> select(final Predicate<PeerRecord> filter)
    {
        final List<PeerRecord> out = new ArrayList<>();
        for (final PeerRecord r : sorted().records)
        {
            if (filter.test(r))
            {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Visits every live peer, in id order, without copying.
     *
     * @param consumer the visitor.
     */
    public void forEach(final Consumer<PeerRecord> consumer)
    {
        for (final PeerRecord r : sorted().records)
        {
            consumer.accept(r);
        }
    }

    /** @return every live peer, in id order. */
    public List<PeerRecord> sortedById()
    {
        return new ArrayList<>(Arrays.asList(sorted().records));
    }

    private int indexOf(final NodeId id)
    {
        final PeerRecord[] records = sorted().records;
        int low = 0;
        int high = records.length - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int c = records[mid].id().compareTo(id);
            if (c < 0)
            {
                low = mid + 1;
            }
            else if (c > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }
}
