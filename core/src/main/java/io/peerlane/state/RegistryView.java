package io.peerlane.state;

import io.peerlane.peer.Discovery;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An immutable view of the registry at one point in the commit order: never half a batch, never blocking
 * the writer, safe to keep and read from any thread. Lookups by id, DID and public key are indexed;
 * the other queries scan the view.
 */
public final class RegistryView
{
    static final NodeId[] NO_IDS = new NodeId[0];

    private final PersistentHashMap<NodeId, PeerRecord> peers;
    private final PersistentHashMap<String, NodeId[]> byDid;
    private final PersistentHashMap<PublicKey, NodeId[]> byKey;
    private final long sequence;
    private final long eventSeq;

    RegistryView(
        final PersistentHashMap<NodeId, PeerRecord> peers,
        final PersistentHashMap<String, NodeId[]> byDid,
        final PersistentHashMap<PublicKey, NodeId[]> byKey,
        final long sequence,
        final long eventSeq)
    {
        this.peers = peers;
        this.byDid = byDid;
        this.byKey = byKey;
        this.sequence = sequence;
        this.eventSeq = eventSeq;
    }

    /** @return an empty view. */
    public static RegistryView empty()
    {
        return new RegistryView(PersistentHashMap.empty(KeyHashers.NODE_ID),
            PersistentHashMap.empty(KeyHashers.STRING), PersistentHashMap.empty(KeyHashers.PUBLIC_KEY), -1, 0);
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
        return peers.size();
    }

    /**
     * @param id a node id.
     * @return the live record, or null.
     */
    public PeerRecord get(final NodeId id)
    {
        return peers.get(id);
    }

    /**
     * @param did a DID.
     * @return the live peers with that DID, in id order.
     */
    public List<PeerRecord> byDid(final String did)
    {
        return resolve(byDid.get(did));
    }

    /**
     * @param key a public key.
     * @return the live peers with that key, in id order.
     */
    public List<PeerRecord> byPublicKey(final PublicKey key)
    {
        return resolve(byKey.get(key));
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
        peers.forEach((id, r) ->
        {
            if (filter.test(r))
            {
                out.add(r);
            }
        });
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /**
     * Visits every live peer, in no particular order, without copying.
     *
     * @param consumer the visitor.
     */
    public void forEach(final Consumer<PeerRecord> consumer)
    {
        peers.forEach((id, r) -> consumer.accept(r));
    }

    /** @return every live peer, in id order. */
    public List<PeerRecord> sortedById()
    {
        return select(r -> true);
    }

    PersistentHashMap<NodeId, PeerRecord> peers()
    {
        return peers;
    }

    PersistentHashMap<String, NodeId[]> didIndex()
    {
        return byDid;
    }

    PersistentHashMap<PublicKey, NodeId[]> keyIndex()
    {
        return byKey;
    }

    private List<PeerRecord> resolve(final NodeId[] ids)
    {
        if (null == ids)
        {
            return Collections.emptyList();
        }
        final List<PeerRecord> out = new ArrayList<>(ids.length);
        for (final NodeId id : ids)
        {
            out.add(peers.get(id));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }
}
