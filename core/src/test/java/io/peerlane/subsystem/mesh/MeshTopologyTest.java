package io.peerlane.subsystem.mesh;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.peerlane.subsystem.TestPeers.endpoint;
import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeshTopologyTest
{
    private static final NodeId A = low(1);
    private static final NodeId B = low(2);
    private static final NodeId C = low(3);
    private static final NodeId D = low(4);
    private static final NodeId E = low(5);
    private static final NodeId F = low(6);
    private static final NodeId G = low(7);
    private static final NodeId H = low(8);
    private static final NodeId DEAD = low(99);

    /** A direct (UDP, BLE); B via A (BLE); C via B (BLE, LoRa); D via a peer that is not live; E via D; F, G a cycle; H direct (UDP). */
    private static List<PeerRecord> sample()
    {
        return List.of(
            peer(A).endpoint(endpoint("10.0.0.1:1", Protocol.UDP)).endpoint(endpoint("aa:bb", Protocol.BLUETOOTH_LE))
                .routeQuality(0.9).build(),
            peer(B).nextHop(A).hopCount(2).endpoint(endpoint("bb:cc", Protocol.BLUETOOTH_LE)).routeQuality(0.5).build(),
            peer(C).nextHop(B).hopCount(3).endpoint(endpoint("cc:dd", Protocol.BLUETOOTH_LE))
                .endpoint(endpoint("lora-1", Protocol.LORAWAN)).routeQuality(0.8).build(),
            peer(D).nextHop(DEAD).hopCount(2).endpoint(endpoint("sat-1", Protocol.SATELLITE)).build(),
            peer(E).nextHop(D).hopCount(3).build(),
            peer(F).nextHop(G).build(),
            peer(G).nextHop(F).build(),
            peer(H).endpoint(endpoint("10.0.0.8:1", Protocol.UDP)).routeQuality(0.95).build());
    }

    @Test
    void routesFollowNextHopsWithHopCountQualityAndTransports()
    {
        final MeshTopology mesh = MeshTopology.rebuild(sample());
        final MeshRoute toC = mesh.route(C);
        assertEquals(List.of(A, B, C), toC.path());
        assertEquals(A, toC.firstHop());
        assertEquals(C, toC.target());
        assertEquals(3, toC.hops());
        assertEquals(3, toC.declaredHopCount());
        assertEquals(0.5, toC.quality(), "the weakest link, B's");
        assertEquals(Set.of(Protocol.BLUETOOTH_LE), toC.transports(), "the only transport every link carries");

        final MeshRoute toA = mesh.route(A);
        assertEquals(List.of(A), toA.path());
        assertEquals(1, toA.hops());
        assertEquals(0.9, toA.quality());
        assertEquals(Set.of(Protocol.UDP, Protocol.BLUETOOTH_LE), toA.transports());

        assertNull(mesh.route(D), "its next hop is not live");
        assertNull(mesh.route(E), "its chain ends at a peer that is not live");
        assertNull(mesh.route(F), "a cycle never reaches the local node");
        assertNull(mesh.route(DEAD));
        assertTrue(mesh.isReachable(B));
        assertFalse(mesh.isReachable(E));

        final List<MeshRoute> overUdp = mesh.routesOver(Protocol.UDP);
        assertEquals(List.of(H, A), targets(overUdp), "one hop each; H's quality 0.95 beats A's 0.9");
        final List<MeshRoute> overBle = mesh.routesOver(Protocol.BLUETOOTH_LE);
        assertEquals(List.of(A, B, C), targets(overBle), "by hop count first");
    }

    @Test
    void componentsIncludingPeersWhoseNextHopIsNotLive()
    {
        final MeshTopology mesh = MeshTopology.rebuild(sample());
        assertEquals(List.of(List.of(A, B, C, H), List.of(D, E), List.of(F, G)), mesh.components());
        assertEquals(List.of(D, E), mesh.componentOf(E));
        assertEquals(List.of(), mesh.componentOf(DEAD));

        mesh.remove(B);
        assertEquals(List.of(List.of(A, H), List.of(C), List.of(D, E), List.of(F, G)), mesh.components(),
            "C lost its next hop");
        assertNull(mesh.route(C));

        mesh.put(peer(DEAD).endpoint(endpoint("10.0.0.99:1", Protocol.TCP)).build());
        assertEquals(List.of(A, D, E, H, DEAD), mesh.componentOf(D), "D's next hop came back, directly linked");
        assertEquals(List.of(DEAD, D, E), mesh.route(E).path());
    }

    @Test
    void neighboursAndTransportQueries()
    {
        final MeshTopology mesh = MeshTopology.rebuild(sample());
        assertEquals(List.of(A, H), mesh.directPeers());
        assertEquals(List.of(B), mesh.neighbours(A));
        assertEquals(List.of(A, C), mesh.neighbours(B));
        assertEquals(List.of(E), mesh.neighbours(D), "the link to a peer that is not live is not listed");
        assertEquals(List.of(G), mesh.neighbours(F));
        assertEquals(List.of(), mesh.neighbours(DEAD));

        assertEquals(List.of(A, B, C), mesh.peersWith(Protocol.BLUETOOTH_LE));
        assertEquals(List.of(D), mesh.peersWith(Protocol.SATELLITE));
        assertEquals(List.of(), mesh.reachableOver(Protocol.SATELLITE), "D has no route");
        assertEquals(List.of(C), mesh.peersWith(Protocol.LORAWAN));
        assertEquals(List.of(), mesh.reachableOver(Protocol.LORAWAN), "A and B do not carry LoRa");
        assertEquals(List.of(A, H), mesh.reachableOver(Protocol.UDP));
        assertEquals(Set.of(Protocol.BLUETOOTH_LE, Protocol.LORAWAN), mesh.transports(C));
        assertEquals(Set.of(), mesh.transports(E));
    }

    @Test
    void isAPureFunctionOfTheLiveRecords()
    {
        final long seed = System.nanoTime();
        System.out.println("MeshTopologyTest.isAPureFunctionOfTheLiveRecords seed=" + seed);
        final Random random = new Random(seed);
        final List<PeerRecord> records = new ArrayList<>(sample());
        final MeshTopology incremental = new MeshTopology();
        // Arrive in some order, with an outdated link first and a peer that later leaves.
        incremental.put(peer(C).nextHop(A).build());
        incremental.put(peer(low(50)).build());
        Collections.shuffle(records, random);
        records.forEach(incremental::put);
        assertNotEquals(MeshTopology.rebuild(sample()), incremental);
        assertTrue(incremental.remove(low(50)));
        assertFalse(incremental.remove(low(50)));
        assertEquals(MeshTopology.rebuild(sample()), incremental);
        assertEquals(MeshTopology.rebuild(sample()).hashCode(), incremental.hashCode());

        // A touch moves no link.
        incremental.put(peer(A).endpoint(endpoint("10.0.0.1:1", Protocol.UDP))
            .endpoint(endpoint("aa:bb", Protocol.BLUETOOTH_LE)).routeQuality(0.9).lastSeen(1234).build());
        assertEquals(MeshTopology.rebuild(sample()), incremental);
        // Anything a link is made of counts.
        incremental.put(peer(H).endpoint(endpoint("10.0.0.8:1", Protocol.TCP)).routeQuality(0.95).build());
        assertNotEquals(MeshTopology.rebuild(sample()), incremental);
        assertEquals(List.of(A), incremental.reachableOver(Protocol.UDP));
        incremental.clear();
        assertEquals(new MeshTopology(), incremental);
        assertEquals(List.of(), incremental.components());
    }

    private static List<NodeId> targets(final List<MeshRoute> routes)
    {
        final List<NodeId> out = new ArrayList<>();
        routes.forEach(r -> out.add(r.target()));
        return out;
    }
}
