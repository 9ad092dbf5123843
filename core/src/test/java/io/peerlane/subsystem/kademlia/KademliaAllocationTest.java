package io.peerlane.subsystem.kademlia;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.Change;
import io.peerlane.state.ChangeType;
import io.peerlane.subsystem.SteadyChurn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerlane.subsystem.SteadyChurnAllocation.assertSteadyChurnAllocatesNothing;
import static io.peerlane.subsystem.SteadyChurnAllocation.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kademlia observer's event path allocates nothing under a steady churn at constant population. */
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
