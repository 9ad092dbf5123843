package io.peerlane.engine;

import io.peerlane.digest.StateDigest;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.RegistryView;
import io.peerlane.testing.Await;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.key;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer and reader API: back-pressure, ticks, queries, determinism across topologies. */
class EngineApiTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A standard observer that holds its lane until released. */
    static final class Gate implements PeerObserver
    {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onEvent(final RegistryEvent event)
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void fullRingGivesRingFullAtOnceAndATimeoutNamingTheStage()
    {
        for (final Topology topology : Topology.values())
        {
            final Gate gate = new Gate();
            final EngineContext ctx = new EngineContext().topology(topology).ringSize(8)
                .settings(RegistrySettings.builder().maxDevicesPerDid(0).build())
                .observer("slow-subsystem", ObserverRole.STANDARD, gate);
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                // The launch's own control events (the observer's registration) hold slots until every stage has
                // passed them: once they are gone, the gated observer is the only thing that can free a slot.
                Await.until(topology + ": the launch's events to leave the ring", 20,
                    () -> engine.stageGraph().ring.remainingCapacity() == 8, engine::healthReport);
                long accepted = 0;
                for (int i = 0; i < 64 && engine.tryUpsert(peer(i, 1, 1).build()) != PeerlaneEngine.RING_FULL; i++)
                {
                    accepted++;
                }
                assertTrue(accepted >= 7 && accepted < 64, topology + ": accepted " + accepted);
                assertEquals(PeerlaneEngine.RING_FULL, engine.tryUpsert(peer(100, 1, 1).build()));
                assertEquals(PeerlaneEngine.RING_FULL, engine.tryRemove(id(1)));
                final PublishTimeoutException timeout = assertThrows(PublishTimeoutException.class,
                    () -> engine.upsert(peer(200, 1, 1).build(), Duration.ofMillis(50)), topology.toString());
                assertTrue(timeout.getMessage().contains("'slow-subsystem'"), timeout.getMessage());
                gate.release.countDown();
                assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(peer(102, 1, 1).build(), WAIT).code());
            }
        }
    }

    @Test
    void engineTicksByItselfSoExpiryAdvancesOnAnIdleNode()
    {
        final AtomicLong clock = new AtomicLong(1_000);
        final EngineContext ctx = new EngineContext().clock(clock::get).tickIntervalMs(5)
            .settings(RegistrySettings.builder().peerTtlMs(100).build());
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(peer(1, 1, 1_000).build(), WAIT).code());
            clock.set(1_200);
            Await.until("a tick to expire the peer", 20, () -> engine.view().size() == 0, engine::healthReport);
            assertTrue(engine.stats().outcomes(OutcomeCode.TICKED) > 0);
        }
    }

    @Test
    void queriesByDidKeyTierProtocolDiscoveryAndAuthentication()
    {
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()))
        {
            // The engine's clock stamps removeAndWait, so the peers are seen now and do not expire.
            final long now = System.currentTimeMillis();
            engine.upsert(now, peer(1, 1, now).did("did:web:a").tier(Tier.TIER1).authenticated(true).build());
            engine.upsert(now, peer(2, 1, now).did("did:web:a").discovery(Discovery.DHT)
                .endpoint(Endpoint.of("/ip4/10.9.9.9/udp/1", Protocol.QUIC, 1, 0.5)).build());
            engine.upsert(now, peer(3, 1, now).publicKey(key(1)).tier(Tier.TIER1).build());
            engine.upsertAndWait(now, peer(4, 1, now).build(), WAIT);
            final RegistryView view = engine.view();
            assertEquals(4, view.size());
            assertEquals(List.of(id(1), id(2)), ids(view.byDid("did:web:a")));
            assertEquals(List.of(id(1), id(3)), ids(view.byPublicKey(key(1))));
            assertEquals(List.of(id(1), id(3)), ids(view.byTier(Tier.TIER1)));
            assertEquals(List.of(id(2)), ids(view.byProtocol(Protocol.QUIC)));
            assertEquals(List.of(id(2)), ids(view.byDiscovery(Discovery.DHT)));
            assertEquals(List.of(id(1)), ids(view.authenticated()));
            assertEquals(List.of(id(1), id(2), id(3), id(4)), ids(view.sortedById()));
            final AtomicLong seen = new AtomicLong();
            view.forEach(r -> seen.incrementAndGet());
            assertEquals(4, seen.get());
            assertEquals(OutcomeCode.REMOVED, engine.removeAndWait(id(1), WAIT).code());
            assertEquals(List.of(id(2)), ids(engine.view().byDid("did:web:a")));
            assertEquals(4, view.size(), "a view never changes");
            assertNull(engine.view().get(id(1)));
        }
    }

    @Test
    void sameInputGivesTheSameDigestInBothTopologies()
    {
        final long seed = System.nanoTime();
        System.out.println("EngineApiTest determinism seed=" + seed);
        String first = null;
        for (final Topology topology : Topology.values())
        {
            final EngineContext ctx = new EngineContext().topology(topology).ringSize(64).prepareLanes(2).publishLanes(2)
                .settings(EngineModelTest.settings())
                .observer("gate", ObserverRole.CRITICAL, new EngineModelTest.Gate());
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                final RandomWorkload workload = new RandomWorkload(seed, 24, new AtomicLong(1_000));
                for (int i = 0; i < 5_000; i++)
                {
                    workload.publishOne(engine);
                }
                engine.close();
                final String digest = StateDigest.of(engine.view());
                if (null == first)
                {
                    first = digest;
                }
                assertEquals(first, digest, topology + ", seed " + seed);
            }
        }
    }

    private static List<io.peerlane.peer.NodeId> ids(final List<PeerRecord> records)
    {
        return records.stream().map(PeerRecord::id).collect(Collectors.toList());
    }
}
