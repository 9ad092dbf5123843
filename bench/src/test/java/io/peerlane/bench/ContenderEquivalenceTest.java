package io.peerlane.bench;

import io.peerlane.observer.PeerObserver;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.kademlia.KademliaTable;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every contender that delivers gets the same subsystems (fresh instances from the same ObserverSets) and,
 * fed the same ops in the same order, leaves them in the same state: the comparison is between designs, not
 * between amounts of observer work, and each runs with the workload's settings (maxPeers raised to the
 * population). Closing a contender drains it, so the state is read after close.
 */
class ContenderEquivalenceTest
{
    @Test
    void everyDeliveringContenderLeavesTheSubsystemsInTheSameState()
    {
        final long seed = System.nanoTime();
        System.out.println("ContenderEquivalenceTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final int producers = 1 + random.nextInt(4);
        // More peers than the default maxPeers: a contender not given the workload's raised limit would refuse some.
        final int peers = (int)RegistrySettings.MAX_PEERS_DEFAULT + 1 + random.nextInt(2000);
        final Workload workload = Workload.generate(Workload.spec(random.nextLong(), peers,
            3000, producers, new int[]{ 20, 45, 20, 10, 5 }, 8, 0.2, 32), true);
        final Map<ContenderKind, List<PeerObserver>> observers = new LinkedHashMap<>();
        for (final ContenderKind kind : ContenderKind.values())
        {
            if (!kind.delivers())
            {
                continue;
            }
            final ContenderSetup setup = RwLockContenderTest.setup(workload);
            try (Contender contender = kind.open(setup))
            {
                for (int i = 0; i < workload.totalOps(); i++)
                {
                    setup.probe.sent(i, System.nanoTime());
                    if (i < workload.population())
                    {
                        contender.load(workload.op(i), i % producers);
                    }
                    else
                    {
                        contender.publish(workload.op(i), i % producers);
                    }
                }
                contender.loaded();
            }
            assertEquals(workload.totalOps(), setup.probe.committedCount(), "seed " + seed + ": " + kind);
            assertEquals(workload.totalOps(), setup.probe.deliveredCount(), "seed " + seed + ": " + kind);
            assertEquals(0, setup.probe.anomalies(), "seed " + seed + ": " + kind);
            observers.put(kind, setup.observers);
        }
        final List<PeerObserver> reference = observers.get(ContenderKind.PEERLANE);
        assertTrue(((MeshObserver)reference.get(1)).topology().size() > 0);
        for (final Map.Entry<ContenderKind, List<PeerObserver>> e : observers.entrySet())
        {
            final String what = "seed " + seed + ": " + e.getKey() + " against peerlane";
            final List<PeerObserver> mine = e.getValue();
            assertEquals(3, mine.size(), what);
            assertEquals(buckets(((KademliaObserver)reference.get(0)).table()), buckets(((KademliaObserver)mine.get(0)).table()),
                what + ", Kademlia buckets");
            assertEquals(((MeshObserver)reference.get(1)).topology().size(), ((MeshObserver)mine.get(1)).topology().size(),
                what + ", mesh size");
            assertEquals(((MeshObserver)reference.get(1)).topology().directPeers(),
                ((MeshObserver)mine.get(1)).topology().directPeers(), what + ", mesh direct peers");
            assertEquals(((ValidatorSetObserver)reference.get(2)).validators(), ((ValidatorSetObserver)mine.get(2)).validators(),
                what + ", validator set");
        }
    }

    private static List<List<NodeId>> buckets(final KademliaTable table)
    {
        final List<List<NodeId>> out = new ArrayList<>();
        for (int b = 0; b < KademliaTable.BUCKETS; b++)
        {
            final List<NodeId> ids = new ArrayList<>();
            for (final PeerRecord r : table.bucket(b))
            {
                ids.add(r.id());
            }
            out.add(ids);
        }
        return out;
    }
}
