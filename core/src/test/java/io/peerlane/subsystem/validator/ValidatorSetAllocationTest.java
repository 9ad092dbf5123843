package io.peerlane.subsystem.validator;

import io.peerlane.observer.Vote;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.subsystem.AllocationMeter;
import io.peerlane.subsystem.SteadyChurn;
import io.peerlane.subsystem.SteadyChurnAllocation;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.peerlane.subsystem.SteadyChurnAllocation.assertSteadyChurnAllocatesNothing;
import static io.peerlane.subsystem.SteadyChurnAllocation.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator set observer's event path allocates nothing under a steady churn at constant population. */
class ValidatorSetAllocationTest
{
    @Test
    void steadyChurnAllocatesNothing()
    {
        final SteadyChurn churn = churn("ValidatorSetAllocationTest");
        final ValidatorSetObserver observer = new ValidatorSetObserver();
        assertSteadyChurnAllocatesNothing("validator-set", churn, observer);
        assertEquals(ValidatorSet.rebuild(churn.liveAtCycleEnd()), observer.validators());
    }

    @Test
    void voteAllocatesNothing()
    {
        final SteadyChurn churn = churn("ValidatorSetAllocationTest.vote");
        final List<PeerRecord> records = churn.liveAtCycleEnd();
        // The keys of the first few validators: most other validators hold another key and are refused.
        final Set<PublicKey> authorised = new HashSet<>();
        for (int i = 0; i < records.size() && authorised.size() < 3; i++)
        {
            if (records.get(i).nodeType() == NodeType.VALIDATOR)
            {
                authorised.add(records.get(i).publicKey());
            }
        }
        final ValidatorSetObserver observer = new ValidatorSetObserver(authorised);
        final PeerRecord[] proposed = records.toArray(new PeerRecord[0]);
        int rejected = countRejected(observer, proposed, SteadyChurnAllocation.MEASURED_RESULTS);
        final long before = AllocationMeter.allocatedBytes();
        rejected = countRejected(observer, proposed, SteadyChurnAllocation.MEASURED_RESULTS);
        final long bytes = AllocationMeter.allocatedBytes() - before - AllocationMeter.readingCost();
        System.out.println("validator-set vote: " + bytes + " bytes over " + SteadyChurnAllocation.MEASURED_RESULTS +
            " votes, " + rejected + " rejected");
        assertTrue(rejected > 0, "exercised a refusal");
        assertTrue((double)bytes / SteadyChurnAllocation.MEASURED_RESULTS < SteadyChurnAllocation.MAX_BYTES_PER_EVENT,
            "the vote allocated " + bytes + " bytes over " + SteadyChurnAllocation.MEASURED_RESULTS + " votes");
    }

    private static int countRejected(final ValidatorSetObserver observer, final PeerRecord[] proposed, final int votes)
    {
        int rejected = 0;
        for (int i = 0; i < votes; i++)
        {
            rejected += observer.vote(proposed[i % proposed.length]) == Vote.REJECT ? 1 : 0;
        }
        return rejected;
    }
}
