package io.peerlane.subsystem.kademlia;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Change;
import io.peerlane.subsystem.AllocationMeter;
import io.peerlane.subsystem.SteadyChurn;
import io.peerlane.subsystem.SteadyChurnAllocation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.peerlane.subsystem.SteadyChurnAllocation.assertSteadyChurnAllocatesNothing;
import static io.peerlane.subsystem.SteadyChurnAllocation.churn;
import static io.peerlane.subsystem.TestPeers.peer;
import static io.peerlane.subsystem.TestPeers.randomId;
import static io.peerlane.subsystem.TestPeers.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kademlia observer's event path allocates nothing under a steady churn at constant population, nor does a
 * table driven by a DHT's ping loop and lookups.
 */
class KademliaAllocationTest
{
    @Test
    void steadyChurnAllocatesNothingWithDefaultSettings()
    {
        final SteadyChurn churn = churn("KademliaAllocationTest.defaults");
        final KademliaObserver observer = new KademliaObserver(churn.localId());
        assertSteadyChurnAllocatesNothing("kademlia (defaults)", churn, observer);
        assertEquals(List.of(), observer.table().checkInvariants(churn.liveAtCycleEnd()));
    }

    @Test
    void steadyChurnAllocatesNothingWithTightBucketsAndDiversityLimits()
    {
        final SteadyChurn churn = churn("KademliaAllocationTest.tight");
        final KademliaObserver observer = new KademliaObserver(churn.localId(), KademliaSettings.builder()
            .k(3).replacementCacheSize(2).maxPerSubnetInBucket(1).maxPerSubnetInTable(3).build());
        assertSteadyChurnAllocatesNothing("kademlia (tight)", churn, observer);
        assertEquals(List.of(), observer.table().checkInvariants(churn.liveAtCycleEnd()));
    }

    @Test
    void standaloneTableWithABoundedReplacementCacheAllocatesNothing()
    {
        // Without keepAllCandidates a full cache drops its least recently seen replacement: the dropped
        // entry goes back to the pool like a removed one.
        final SteadyChurn churn = churn("KademliaAllocationTest.bounded");
        final KademliaTable table = new KademliaTable(churn.localId(), KademliaSettings.builder()
            .k(4).replacementCacheSize(2).build());
        assertSteadyChurnAllocatesNothing("kademlia table (bounded cache)", churn, new TableFeed(table));
        assertTrue(table.size() > 0 && table.size() <= churn.live(), "members " + table.size());
    }

    @Test
    void pingLoopAndLookupsAllocateNothing()
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println("KademliaAllocationTest.pingLoopAndLookupsAllocateNothing seed=" + seed);
        final Random random = new Random(seed);
        final KademliaTable table = new KademliaTable(randomId(random), KademliaSettings.builder().k(8).build());
        final KademliaListener counting = new KademliaListener()
        {
            long changes;

            @Override
            public void added(final PeerRecord record)
            {
                changes++;
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                changes++;
            }
        };
        table.listener(counting);
        final PeerRecord[] records = new PeerRecord[2048];
        final NodeId[] ids = new NodeId[512];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = randomId(random);
        }
        for (int i = 0; i < records.length; i++)
        {
            final int who = random.nextInt(ids.length);
            records[i] = peer(ids[who]).version(1 + i).pinned(random.nextInt(10) == 0)
                .endpoint(tcp("10.0." + random.nextInt(64) + "." + (1 + random.nextInt(9)) + ":1")).build();
        }
        final NodeId[] targets = new NodeId[256];
        for (int i = 0; i < targets.length; i++)
        {
            targets[i] = randomId(random);
        }
        final PeerRecord[] out = new PeerRecord[16];
        final int[] results = new int[MarkResult.values().length];
        final Runnable round = () ->
        {
            for (int i = 0; i < records.length; i++)
            {
                final PeerRecord r = records[i];
                if (table.add(r) == AddResult.CACHED)
                {
                    final PeerRecord candidate = table.pendingCandidate(table.bucketIndex(r.id()));
                    if (null != candidate)
                    {
                        results[((i & 1) == 0 ? table.markDead(candidate.id()) : table.markAlive(candidate.id())).ordinal()]++;
                    }
                }
                table.closest(targets[i & (targets.length - 1)], out);
                if (i % 7 == 0)
                {
                    table.remove(records[(i * 31) & (records.length - 1)].id());
                }
            }
        };
        for (int i = 0; i < 20; i++)
        {
            round.run();
        }
        final int operations = 50 * records.length;
        final long before = AllocationMeter.allocatedBytes();
        for (int i = 0; i < 50; i++)
        {
            round.run();
        }
        final long bytes = AllocationMeter.allocatedBytes() - before - AllocationMeter.readingCost();
        System.out.println("kademlia ping loop: " + bytes + " bytes over " + operations + " rounds of add, ping, lookup" +
            " " + java.util.Arrays.toString(results));
        assertTrue(results[MarkResult.REPLACED.ordinal()] > 0 && results[MarkResult.KEPT.ordinal()] > 0,
            "exercised both answers " + java.util.Arrays.toString(results));
        assertTrue((double)bytes / operations < SteadyChurnAllocation.MAX_BYTES_PER_EVENT,
            "the ping loop allocated " + bytes + " bytes over " + operations + " rounds");
    }

    /** Feeds a table its peers' changes directly, as a user of the table on its own would. */
    private static final class TableFeed implements PeerObserver
    {
        private final KademliaTable table;

        TableFeed(final KademliaTable table)
        {
            this.table = table;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            for (int i = 0, n = event.changeCount(); i < n; i++)
            {
                final Change c = event.change(i);
                if (c.type() == ChangeType.REMOVED)
                {
                    table.remove(c.id());
                }
                else
                {
                    table.add(c.record());
                }
            }
        }
    }
}
