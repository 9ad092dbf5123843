package io.peerlane.admission;

import io.peerlane.mutation.Batch;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code maxDevicesPerDid}: live peers per DID, at the edge, through the engine. */
class DeviceLimitTest
{
    private static final String ALICE = "did:web:alice.example";

    @Test
    void theLastDeviceIsAdmittedAndTheNextIsRefused()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxDevicesPerDid(3).build()))
        {
            for (int n = 1; n <= 3; n++)
            {
                assertEquals("ADDED", h.upsert(T0, peer(n).did(ALICE).build()).outcome(), "device " + n);
            }
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, peer(4).did(ALICE).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(5).build()).outcome(), "another DID is not limited");
            assertEquals(3, h.engine.view().byDid(ALICE).size());
            assertEquals(null, h.engine.view().get(id(4)));
        }
    }

    @Test
    void anUpdateOfAKnownDeviceIsNotCountedAgainstItself()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxDevicesPerDid(2).build()))
        {
            h.upsert(T0, peer(1).did(ALICE).build());
            h.upsert(T0, peer(2).did(ALICE).build());
            assertEquals("UPDATED", h.upsert(T0 + 1, peer(2).did(ALICE).version(2).build()).outcome());
            assertEquals("UPDATED", h.upsert(T0 + 2, peer(1).did(ALICE).version(7).device("renamed").build()).outcome());
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0 + 3, peer(3).did(ALICE).build()).outcome());
        }
    }

    @Test
    void aRemovedOrExpiredDeviceFreesItsPlace()
    {
        final RegistrySettings settings = RegistrySettings.builder().maxDevicesPerDid(1).peerTtlMs(1000).build();
        try (Harness h = Harness.compact(settings))
        {
            h.upsert(T0, peer(1).did(ALICE).build());
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, peer(2).did(ALICE).build()).outcome());
            assertEquals("REMOVED", h.remove(T0, id(1)).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(2).did(ALICE).build()).outcome());
            // Expiry runs first on the line (lastSeen + ttl < t), so peer 2 is gone when peer 3 is judged.
            final Committed third = h.upsert(T0 + 1001, peer(3).did(ALICE).lastSeen(T0 + 1001).build());
            assertEquals("ADDED", third.outcome());
            assertEquals(List.of("REMOVED 2 EXPIRED", "ADDED 3"), third.changes);
            assertEquals("REJECTED DEVICE_LIMIT",
                h.upsert(T0 + 1001, peer(4).did(ALICE).lastSeen(T0 + 1001).build()).outcome(),
                "at lastSeen + ttl == t the peer is still live");
        }
    }

    @Test
    void aBatchCountsItsOwnEarlierDevices()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxDevicesPerDid(2).build()))
        {
            h.upsert(T0, peer(1).did(ALICE).build());
            final Committed failed = h.batch(T0, Batch.builder()
                .upsert(peer(2).did(ALICE).build())
                .upsert(peer(3).did(ALICE).build())
                .build());
            assertEquals("BATCH_FAILED DEVICE_LIMIT op 1", failed.outcome());
            assertEquals(List.of(), failed.changes);
            assertEquals(1, h.engine.view().byDid(ALICE).size(), "nothing of the failed batch remains");
            final Committed swap = h.batch(T0, Batch.builder()
                .remove(id(1))
                .upsert(peer(2).did(ALICE).build())
                .upsert(peer(3).did(ALICE).build())
                .build());
            assertEquals("BATCH_COMMITTED", swap.outcome(), "a remove earlier in the batch frees a place");
            assertEquals(2, h.engine.view().byDid(ALICE).size());
        }
    }

    @Test
    void zeroMeansNoLimit()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxDevicesPerDid(0).build()))
        {
            for (int n = 1; n <= 40; n++)
            {
                assertEquals("ADDED", h.upsert(T0, peer(n).did(ALICE).build()).outcome());
            }
        }
    }

    @Test
    void theDefaultIsTen()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            for (int n = 1; n <= 10; n++)
            {
                assertEquals("ADDED", h.upsert(T0, peer(n).did(ALICE).build()).outcome());
            }
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, peer(11).did(ALICE).build()).outcome());
        }
    }
}
