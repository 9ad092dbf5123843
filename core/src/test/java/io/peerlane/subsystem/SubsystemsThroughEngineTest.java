package io.peerlane.subsystem;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.subsystem.kademlia.KademliaInvariants;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.mesh.MeshTopology;
import io.peerlane.subsystem.validator.ValidatorSet;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three built-in subsystems wired to a running engine as observers: after a random workload from four
 * producers, the mesh and the validator set equal ones rebuilt from scratch from the registry's final
 * state, and the routing table (whose contents depend on history) keeps its invariants.
 */
class SubsystemsThroughEngineTest
{
    @ParameterizedTest
    @EnumSource(Topology.class)
    void subsystemsEqualTheRegistryAfterARandomWorkload(final Topology topology) throws Exception
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("SubsystemsThroughEngineTest seed=" + seed + " topology=" + topology);
        final KademliaObserver kademlia = new KademliaObserver(NodeId.of(0x5eed_0000_0000_0000L, 1, 2, 3));
        final MeshObserver mesh = new MeshObserver();
        final ValidatorSetObserver validators = new ValidatorSetObserver();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(256).publishLanes(3)
            .settings(RegistrySettings.builder().maxPeers(20).peerTtlMs(400).maxDevicesPerDid(3).build())
            .observer(KademliaObserver.NAME, ObserverRole.STANDARD, kademlia)
            .observer(MeshObserver.NAME, ObserverRole.STANDARD, mesh)
            .observer(ValidatorSetObserver.NAME, ValidatorSetObserver.ROLE, validators);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong clock = new AtomicLong(1_000);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final CountDownLatch done = new CountDownLatch(4);
            for (int p = 0; p < 4; p++)
            {
                final RandomWorkload workload = new RandomWorkload(seed * 7 + p, 40, clock);
                new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < 1500; i++)
                        {
                            workload.publishOne(engine);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        done.countDown();
                    }
                }).start();
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertNull(failure.get());
            engine.close();
            final List<PeerRecord> live = engine.view().sortedById();
            assertTrue(live.size() > 5, "workload left only " + live.size() + " peers");
            assertEquals(MeshTopology.rebuild(live), mesh.topology(), "seed " + seed);
            assertEquals(ValidatorSet.rebuild(live), validators.validators(), "seed " + seed);
            assertEquals(List.of(), KademliaInvariants.check(kademlia.table(), live), "seed " + seed);
            assertEquals(0, engine.observerStats(KademliaObserver.NAME).failures());
            assertEquals(0, engine.observerStats(MeshObserver.NAME).failures());
            assertEquals(0, engine.observerStats(ValidatorSetObserver.NAME).failures());
        }
    }
}
