package io.peerlane.subsystem.mesh;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.state.NodeIdMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The mesh as the local node sees it: peers, the links between them by transport, routes, and connected
 * components.
 * <p>
 * Each live peer declares one link: to its {@code nextHop} when it has one, otherwise to the local node
 * (a direct peer). The link carries the transports of the peer's endpoints and the peer's route quality.
 * A peer whose next hop is not live, or whose chain of next hops never reaches the local node (a cycle),
 * has no route. Because every peer declares exactly one link, the local node's component is a tree and the
 * route to a peer in it is its chain of next hops; routes rank by hop count, then by quality (the worst
 * link's), then by id ({@link MeshRoute#BEST_FIRST}).
 * <p>
 * The topology is a pure function of the set of live records: {@link #rebuild} from scratch and
 * {@link #equals} compare what it derives from them. Writes replace a record in a map and, when a link
 * changed, mark the derived graph stale; the next query rebuilds it once. Every method takes a private
 * monitor that only this topology's writer and readers use; queries then read the immutable derived graph.
 * <p>
 * {@link #put} and {@link #remove}, the event path, allocate nothing once the topology has held its largest
 * population: the records sit in an open-addressing {@link NodeIdMap} (no node per put, ids inline), a link
 * is compared field by field with the transports as a bit mask (and not at all when both records share
 * their endpoint list, as a touch or a version bump does), and a changed link only drops the derived graph.
 * All the allocation is in the rebuild, which the next query pays for: a read.
 */
public final class MeshTopology
{
    private final Object lock = new Object();
    private final NodeIdMap<PeerRecord> peers = new NodeIdMap<>();
    private MeshGraph graph;

    /** Makes an empty topology. */
    public MeshTopology()
    {
    }

    /**
     * @param live the live records.
     * @return a topology of exactly those records.
     */
    public static MeshTopology rebuild(final Collection<PeerRecord> live)
    {
        final MeshTopology topology = new MeshTopology();
        for (final PeerRecord r : live)
        {
            topology.put(r);
        }
        return topology;
    }

    /**
     * Adds a peer or replaces its record.
     *
     * @param record the peer's record.
     */
    public void put(final PeerRecord record)
    {
        synchronized (lock)
        {
            final PeerRecord previous = peers.put(record.id(), record);
            if (null == previous || !sameLink(previous, record))
            {
                graph = null;
            }
        }
    }

    /**
     * @param id the peer to remove.
     * @return whether it was there.
     */
    public boolean remove(final NodeId id)
    {
        synchronized (lock)
        {
            if (null == peers.remove(id))
            {
                return false;
            }
            graph = null;
            return true;
        }
    }

    /** Removes every peer. */
    public void clear()
    {
        synchronized (lock)
        {
            peers.clear();
            graph = null;
        }
    }

    /** @return number of peers. */
    public int size()
    {
        synchronized (lock)
        {
            return peers.size();
        }
    }

    /**
     * @param id a node id.
     * @return whether the peer is in the topology.
     */
    public boolean contains(final NodeId id)
    {
        synchronized (lock)
        {
            return peers.containsKey(id);
        }
    }

    /** @return the peers linked to the local node, in id order. */
    public List<NodeId> directPeers()
    {
        return graph().direct();
    }

    /**
     * @param id a peer.
     * @return the peers linked to it (its next hop, and the peers whose next hop it is), in id order; empty
     * for an unknown peer. The local node is not listed: see {@link #directPeers()}.
     */
    public List<NodeId> neighbours(final NodeId id)
    {
        final MeshGraph g = graph();
        final int i = g.indexOf(id);
        return i < 0 ? Collections.emptyList() : g.neighbours(i);
    }

    /**
     * @param id a peer.
     * @return the transports of the link the peer declares (its endpoints' protocols); empty when unknown.
     */
    public Set<Protocol> transports(final NodeId id)
    {
        final MeshGraph g = graph();
        final int i = g.indexOf(id);
        return i < 0 ? Collections.emptySet() : MeshGraph.protocols(g.mask[i]);
    }

    /**
     * @param protocol a transport.
     * @return the peers with an endpoint of that transport, in id order.
     */
    public List<NodeId> peersWith(final Protocol protocol)
    {
        return graph().select(1 << protocol.ordinal(), false);
    }

    /**
     * @param protocol a transport.
     * @return the peers with a route whose every link carries that transport, in id order.
     */
    public List<NodeId> reachableOver(final Protocol protocol)
    {
        return graph().select(1 << protocol.ordinal(), true);
    }

    /**
     * @param id a peer.
     * @return the route to it, or null when it is unknown or has none.
     */
    public MeshRoute route(final NodeId id)
    {
        final MeshGraph g = graph();
        final int i = g.indexOf(id);
        return i < 0 ? null : g.route(i);
    }

    /**
     * @param protocol a transport.
     * @return the routes to every peer reachable over it, best first ({@link MeshRoute#BEST_FIRST}).
     */
    public List<MeshRoute> routesOver(final Protocol protocol)
    {
        final MeshGraph g = graph();
        final List<NodeId> reachable = g.select(1 << protocol.ordinal(), true);
        final List<MeshRoute> routes = new ArrayList<>(reachable.size());
        for (final NodeId id : reachable)
        {
            routes.add(g.route(g.indexOf(id)));
        }
        routes.sort(MeshRoute.BEST_FIRST);
        return routes;
    }

    /**
     * @param id a peer.
     * @return whether it has a route.
     */
    public boolean isReachable(final NodeId id)
    {
        final MeshGraph g = graph();
        final int i = g.indexOf(id);
        return i >= 0 && g.isReachable(i);
    }

    /**
     * Connected components of the peers over their links, the local node left out: the peers with a route
     * form one component; a peer linked to nothing live is a component of its own.
     *
     * @return the components, each in id order, ordered by their lowest id; unmodifiable.
     */
    public List<List<NodeId>> components()
    {
        return graph().components();
    }

    /**
     * @param id a peer.
     * @return its component in id order, or an empty list when it is unknown.
     */
    public List<NodeId> componentOf(final NodeId id)
    {
        final MeshGraph g = graph();
        final int i = g.indexOf(id);
        return i < 0 ? Collections.emptyList() : g.componentOf(i);
    }

    /**
     * Two topologies are equal when they hold the same peers with the same links: next hop, transports,
     * route quality and declared hop count.
     */
    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof MeshTopology && graph().equals(((MeshTopology)o).graph()));
    }

    @Override
    public int hashCode()
    {
        return graph().hashCode();
    }

    @Override
    public String toString()
    {
        final MeshGraph g = graph();
        final StringBuilder sb = new StringBuilder("MeshTopology{");
        for (int i = 0; i < g.ids.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(g.ids[i].toHex(), 0, 8).append("->");
            sb.append(g.parent[i] == MeshGraph.LOCAL ? "local" :
                g.parent[i] == MeshGraph.DETACHED ? "detached" : g.ids[g.parent[i]].toHex().substring(0, 8));
        }
        return sb.append('}').toString();
    }

    private MeshGraph graph()
    {
        synchronized (lock)
        {
            if (null == graph)
            {
                graph = new MeshGraph(peers.values());
            }
            return graph;
        }
    }

    private static boolean sameLink(final PeerRecord a, final PeerRecord b)
    {
        return Objects.equals(a.nextHop(), b.nextHop()) && a.hopCount() == b.hopCount() &&
            Double.compare(a.routeQuality(), b.routeQuality()) == 0 &&
            (a.endpoints() == b.endpoints() || MeshGraph.transportMask(a) == MeshGraph.transportMask(b));
    }
}
