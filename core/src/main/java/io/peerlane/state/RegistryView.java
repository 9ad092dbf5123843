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
    private static final RegistryView EMPTY = new RegistryView(new PeerRecord[0], new long[0], new long[0], -1, 0);

    private final PeerRecord[] records;
    private final long[] lastSeen;
    private final long[] firstSeen;
    private final long sequence;
    private final long eventSeq;

    private RegistryView(
        final PeerRecord[] records,
        final long[] lastSeen,
        final long[] firstSeen,
        final long sequence,
        final long eventSeq)
    {
        this.records = records;
        this.lastSeen = lastSeen;
        this.firstSeen = firstSeen;
        this.sequence = sequence;
        this.eventSeq = eventSeq;
    }

    /** @return an empty view. */
    public static RegistryView empty()
    {
        return EMPTY;
    }

    /** Sorts a copy of the table's slots by id. */
    static RegistryView of(final PeerTable.Copy copy)
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
        final PeerRecord[] records = new PeerRecord[n];
        final long[] lastSeen = new long[n];
        final long[] firstSeen = new long[n];
        for (int i = 0; i < n; i++)
        {
            final int slot = slots[i];
            records[i] = copy.records[slot];
            lastSeen[i] = copy.lastSeen[slot];
            firstSeen[i] = copy.firstSeen[slot];
        }
        return new RegistryView(records, lastSeen, firstSeen, copy.sequence, copy.eventSeq);
    }

    /** @return the ring sequence of the last mutation this view holds, -1 before the first. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the seq of the last event line this view holds, 0 before the first. */
    public long eventSeq()
    {
        return eventSeq;
    }

    /** @return number of live peers. */
    public int size()
    {
        return records.length;
    }

    /**
     * @param id a node id.
     * @return the live record, or null.
     */
    public PeerRecord get(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? null : records[i];
    }

    /**
     * @param id a node id.
     * @return the registry's {@code lastSeen} of a live peer (the record's, raised by touches), or -1.
     */
    public long lastSeen(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? -1 : lastSeen[i];
    }

    /**
     * @param id a node id.
     * @return the event time at which the registry first added the live peer, or -1.
     */
    public long firstSeen(final NodeId id)
    {
        final int i = indexOf(id);
        return i < 0 ? -1 : firstSeen[i];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the record there.
     */
    public PeerRecord recordAt(final int index)
    {
        return records[index];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the registry's {@code lastSeen} of the peer there.
     */
    public long lastSeenAt(final int index)
    {
        return lastSeen[index];
    }

    /**
     * @param index 0 to {@code size() - 1}, in id order.
     * @return the {@code firstSeen} of the peer there.
     */
    public long firstSeenAt(final int index)
    {
        return firstSeen[index];
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
        for (final PeerRecord r : records)
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
        for (final PeerRecord r : records)
        {
            consumer.accept(r);
        }
    }

    /** @return every live peer, in id order. */
    public List<PeerRecord> sortedById()
    {
        return new ArrayList<>(Arrays.asList(records));
    }

    private int indexOf(final NodeId id)
    {
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
