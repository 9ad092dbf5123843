package io.peerlane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObserverSetsTest
{
    @Test
    void noopIsThreeFreshObserversPerCall()
    {
        final ObserverSets sets = ObserverSets.parse("noop");
        assertEquals(3, sets.create().size());
        assertNotSame(sets.create().get(0), sets.create().get(0));
    }

    @Test
    void syntheticGivesNBusyObservers()
    {
        final ObserverSets sets = ObserverSets.parse("synthetic:5:200");
        assertEquals(5, sets.create().size());
        assertTrue(sets.create().get(0) instanceof ObserverSets.BusyObserver);
    }

    @Test
    void subsystemsAreTheThreeBuiltInOnesFreshEachTime()
    {
        final ObserverSets sets = ObserverSets.parse("subsystems");
        final java.util.List<io.peerlane.observer.PeerObserver> first = sets.create();
        assertEquals(3, first.size());
        assertTrue(first.get(0) instanceof io.peerlane.subsystem.kademlia.KademliaObserver);
        assertTrue(first.get(1) instanceof io.peerlane.subsystem.mesh.MeshObserver);
        assertTrue(first.get(2) instanceof io.peerlane.subsystem.validator.ValidatorSetObserver);
        assertTrue(first.get(0) != sets.create().get(0), "each contender gets fresh instances");
        assertEquals("subsystems", ObserverSets.DEFAULT_SPEC);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "nop", "synthetic", "synthetic:", "synthetic:0:10", "synthetic:2", "synthetic:2:-1",
        "synthetic:x:10", "synthetic:2:10:3", "synthetic:41:10" })
    void badSpecsNameTheSpec(final String spec)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ObserverSets.parse(spec));
        assertTrue(ex.getMessage().contains("'" + spec + "'"), ex.getMessage());
    }
}
