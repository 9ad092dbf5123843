package io.peerlane.subsystem.mesh;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The derived, immutable form of a topology: peers in id order with their links, and everything the
 * queries need worked out once (depths, routes' quality and transports, components).
 * <p>
 * Built from scratch from the records rather than patched per event: keeping components and routes
 * exact under removals incrementally is a dynamic-connectivity problem, while a rebuild is a linear pass
 * that runs only when a query follows a change to a link. That also makes the topology a pure function of
 * its records, which is what {@link MeshTopology#equals} compares.
 * <p>
 * Only queries build a graph, never the event path. The one piece the event path shares,
 * {@link #transportMask}, reads the endpoints by index into an int: no iterator, no set, no boxing.
 */
final class MeshGraph
{
    static final int LOCAL = -1;
    static final int DETACHED = -2;

    private static final Protocol[] PROTOCOLS = Protocol.values();

    final NodeId[] ids;
    final int[] parent;
    final int[] mask;
    final double[] quality;
    final int[] declaredHops;
    private final Map<NodeId, Integer> index;
    private final int[][] children;
    private final int[] depth;
    private final int[] pathMask;
    private final double[] pathQuality;
    private final List<List<NodeId>> components;
    private final int[] componentOf;

    MeshGraph(final Collection<PeerRecord> records)
    {
        final PeerRecord[] sorted = records.toArray(new PeerRecord[0]);
        Arrays.sort(sorted, (a, b) -> a.id().compareTo(b.id()));
        final int n = sorted.length;
        ids = new NodeId[n];
        parent = new int[n];
        mask = new int[n];
        quality = new double[n];
        declaredHops = new int[n];
        index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++)
        {
            ids[i] = sorted[i].id();
            index.put(ids[i], i);
        }
        final int[] childCount = new int[n];
        for (int i = 0; i < n; i++)
        {
            final PeerRecord r = sorted[i];
            mask[i] = transportMask(r);
            quality[i] = r.routeQuality();
            declaredHops[i] = r.hopCount();
            if (null == r.nextHop())
            {
                parent[i] = LOCAL;
            }
            else
            {
                final Integer p = index.get(r.nextHop());
                parent[i] = null == p ? DETACHED : p;
                if (null != p)
                {
                    childCount[p]++;
                }
            }
        }
        children = new int[n][];
        for (int i = 0; i < n; i++)
        {
            children[i] = new int[childCount[i]];
            childCount[i] = 0;
        }
        for (int i = 0; i < n; i++)
        {
            if (parent[i] >= 0)
            {
                children[parent[i]][childCount[parent[i]]++] = i;
            }
        }

        // Breadth first from the local node: only peers whose chain of next hops reaches it are reached, so a
        // cycle of next hops, or a chain through a peer that is not live, stays unreachable.
        depth = new int[n];
        pathMask = new int[n];
        pathQuality = new double[n];
        Arrays.fill(depth, -1);
        final int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++)
        {
            if (LOCAL == parent[i])
            {
                depth[i] = 1;
                pathMask[i] = mask[i];
                pathQuality[i] = quality[i];
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++)
        {
            final int p = queue[head];
            for (final int c : children[p])
            {
                depth[c] = depth[p] + 1;
                pathMask[c] = pathMask[p] & mask[c];
                pathQuality[c] = Math.min(pathQuality[p], quality[c]);
                queue[tail++] = c;
            }
        }

        // Components of the undirected link graph; index n stands for the local node.
        final int[] root = new int[n + 1];
        for (int i = 0; i <= n; i++)
        {
            root[i] = i;
        }
        for (int i = 0; i < n; i++)
        {
            if (parent[i] != DETACHED)
            {
                union(root, i, LOCAL == parent[i] ? n : parent[i]);
            }
        }
        componentOf = new int[n];
        final Map<Integer, Integer> componentByRoot = new HashMap<>();
        final List<List<NodeId>> ordered = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final int r = find(root, i);
            Integer c = componentByRoot.get(r);
            if (null == c)
            {
                c = ordered.size();
                componentByRoot.put(r, c);
                ordered.add(new ArrayList<>());
            }
            componentOf[i] = c;
            ordered.get(c).add(ids[i]);
        }
        final List<List<NodeId>> frozen = new ArrayList<>(ordered.size());
        for (final List<NodeId> c : ordered)
        {
            frozen.add(Collections.unmodifiableList(c));
        }
        components = Collections.unmodifiableList(frozen);
    }

    static int transportMask(final PeerRecord r)
    {
        int m = 0;
        for (int i = 0; i < r.endpoints().size(); i++)
        {
            m |= 1 << r.endpoints().get(i).protocol().ordinal();
        }
        return m;
    }

    static Set<Protocol> protocols(final int mask)
    {
        final EnumSet<Protocol> set = EnumSet.noneOf(Protocol.class);
        for (final Protocol p : PROTOCOLS)
        {
            if ((mask & (1 << p.ordinal())) != 0)
            {
                set.add(p);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    int indexOf(final NodeId id)
    {
        final Integer i = index.get(id);
        return null == i ? -1 : i;
    }

    boolean isReachable(final int i)
    {
        return depth[i] > 0;
    }

    List<NodeId> neighbours(final int i)
    {
        final List<NodeId> out = new ArrayList<>(children[i].length + 1);
        boolean parentListed = parent[i] < 0;
        for (final int c : children[i])
        {
            out.add(ids[c]);
            // Two peers naming each other as next hop are one pair of neighbours, not two.
            parentListed |= c == parent[i];
        }
        if (!parentListed)
        {
            out.add(ids[parent[i]]);
        }
        out.sort(null);
        return out;
    }

    List<NodeId> select(final int protocolBit, final boolean wholeRoute)
    {
        final List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++)
        {
            if (wholeRoute ? depth[i] > 0 && (pathMask[i] & protocolBit) != 0 : (mask[i] & protocolBit) != 0)
            {
                out.add(ids[i]);
            }
        }
        return out;
    }

    List<NodeId> direct()
    {
        final List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++)
        {
            if (LOCAL == parent[i])
            {
                out.add(ids[i]);
            }
        }
        return out;
    }

    MeshRoute route(final int i)
    {
        if (depth[i] < 0)
        {
            return null;
        }
        final NodeId[] path = new NodeId[depth[i]];
        int at = i;
        for (int k = path.length - 1; k >= 0; k--)
        {
            path[k] = ids[at];
            at = parent[at];
        }
        return new MeshRoute(Arrays.asList(path), pathQuality[i], declaredHops[i], protocols(pathMask[i]));
    }

    List<List<NodeId>> components()
    {
        return components;
    }

    List<NodeId> componentOf(final int i)
    {
        return components.get(componentOf[i]);
    }

    private static int find(final int[] root, final int x)
    {
        int r = x;
        while (root[r] != r)
        {
            r = root[r];
        }
        int y = x;
        while (root[y] != r)
        {
            final int next = root[y];
            root[y] = r;
            y = next;
        }
        return r;
    }

    private static void union(final int[] root, final int a, final int b)
    {
        final int ra = find(root, a);
        final int rb = find(root, b);
        if (ra != rb)
        {
            root[ra] = rb;
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof MeshGraph))
        {
            return false;
        }
        final MeshGraph that = (MeshGraph)o;
        return Arrays.equals(ids, that.ids) && Arrays.equals(parent, that.parent) && Arrays.equals(mask, that.mask) &&
            Arrays.equals(quality, that.quality) && Arrays.equals(declaredHops, that.declaredHops);
    }

    @Override
    public int hashCode()
    {
        return ((Arrays.hashCode(ids) * 31 + Arrays.hashCode(parent)) * 31 + Arrays.hashCode(mask)) * 31 +
            Arrays.hashCode(quality);
    }
}
