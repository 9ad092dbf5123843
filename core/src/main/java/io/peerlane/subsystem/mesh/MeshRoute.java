package io.peerlane.subsystem.mesh;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.Protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The route from the local node to one peer: the peers to pass through, first hop first, ending at the
 * target. Immutable.
 * <p>
 * Its hop count is the number of links the topology sees on the path; its quality is the worst route
 * quality along it (a path is no better than its weakest link).
 * <p>
 * A query result, made only on the read side: the event path never builds routes.
 */
public final class MeshRoute
{
    /** Fewest hops first, then best quality, then lowest target id: the order a router prefers. */
    public static final Comparator<MeshRoute> BEST_FIRST = Comparator
        .comparingInt(MeshRoute::hops)
        .thenComparing(Comparator.comparingDouble(MeshRoute::quality).reversed())
        .thenComparing(MeshRoute::target);

    private final List<NodeId> path;
    private final double quality;
    private final int declaredHopCount;
    private final Set<Protocol> transports;

    MeshRoute(final List<NodeId> path, final double quality, final int declaredHopCount, final Set<Protocol> transports)
    {
        this.path = List.copyOf(path);
        this.quality = quality;
        this.declaredHopCount = declaredHopCount;
        this.transports = transports;
    }

    /** @return the peers on the route, first hop first, the target last; unmodifiable. */
    public List<NodeId> path()
    {
        return path;
    }

    /** @return the peer the route leads to. */
    public NodeId target()
    {
        return path.get(path.size() - 1);
    }

    /** @return the peer to send to first: the target itself for a direct peer. */
    public NodeId firstHop()
    {
        return path.get(0);
    }

    /** @return links on the route: 1 for a direct peer. */
    public int hops()
    {
        return path.size();
    }

    /** @return the lowest route quality of the peers on the route, in [0, 1]. */
    public double quality()
    {
        return quality;
    }

    /** @return the hop count the target's record claims, which may differ from {@link #hops()}. */
    public int declaredHopCount()
    {
        return declaredHopCount;
    }

    /** @return the transports every link of the route carries; unmodifiable. */
    public Set<Protocol> transports()
    {
        return transports;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof MeshRoute))
        {
            return false;
        }
        final MeshRoute that = (MeshRoute)o;
        return path.equals(that.path) && Double.compare(quality, that.quality) == 0 &&
            declaredHopCount == that.declaredHopCount && transports.equals(that.transports);
    }

    @Override
    public int hashCode()
    {
        return path.hashCode() * 31 + Double.hashCode(quality);
    }

    @Override
    public String toString()
    {
        return "MeshRoute{path=" + path + ", hops=" + hops() + ", quality=" + quality + ", transports=" +
            transports + "}";
    }
}
