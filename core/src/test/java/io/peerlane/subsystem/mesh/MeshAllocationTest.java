package io.peerlane.subsystem.mesh;

import io.peerlane.subsystem.SteadyChurn;
import org.junit.jupiter.api.Test;

import static io.peerlane.subsystem.SteadyChurnAllocation.assertSteadyChurnAllocatesNothing;
import static io.peerlane.subsystem.SteadyChurnAllocation.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mesh observer's event path allocates nothing under a steady churn at constant population. */
class MeshAllocationTest
{
    @Test
    void steadyChurnAllocatesNothing()
    {
        final SteadyChurn churn = churn("MeshAllocationTest");
        final MeshObserver observer = new MeshObserver();
        assertSteadyChurnAllocatesNothing("mesh", churn, observer);
        assertEquals(MeshTopology.rebuild(churn.liveAtCycleEnd()), observer.topology());
    }
}
