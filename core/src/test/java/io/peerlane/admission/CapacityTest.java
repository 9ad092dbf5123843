package io.peerlane.admission;

import io.peerlane.mutation.Batch;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code maxPeers}: the victim is the unpinned live peer of worst tier, then oldest {@code lastSeen}, then
 * lowest id; with no victim, or a victim of better tier than the newcomer, the newcomer is refused.
 */
class CapacityTest
{
    private static Harness capped(final long maxPeers)
    {
        return Harness.compact(RegistrySettings.builder().maxPeers(maxPeers).build());
    }

    @Test
    void belowTheCapNothingIsEvictedAndAtTheCapTheOldestOfTheWorstTierGoes()
    {
        try (Harness h = capped(3))
        {
            assertEquals(List.of("ADDED 1"), h.upsert(T0, peer(1).lastSeen(T0 - 30).build()).changes);
            assertEquals(List.of("ADDED 2"), h.upsert(T0, peer(2).lastSeen(T0 - 10).build()).changes);
            final Committed third = h.upsert(T0, peer(3).lastSeen(T0 - 20).build());
            assertEquals("ADDED", third.outcome());
            assertEquals(List.of("ADDED 3"), third.changes, "the last place is taken with no eviction");
            final Committed fourth = h.upsert(T0, peer(4).build());
            assertEquals("ADDED", fourth.outcome());
            assertEquals(List.of("REMOVED 1 EVICTED", "ADDED 4"), fourth.changes, "the eviction comes first");
            assertEquals(List.of("REMOVED 3 EVICTED", "ADDED 5"), h.upsert(T0, peer(5).build()).changes);
            assertEquals(3, h.engine.view().size());
        }
    }

    @Test
    void theWorstTierGoesFirstWhateverItsLastSeen()
    {
        try (Harness h = capped(3))
        {
            h.upsert(T0, peer(1).tier(Tier.TIER1).lastSeen(T0 - 1000).build());
            h.upsert(T0, peer(2).tier(Tier.UNTRUSTED).lastSeen(T0).build());
            h.upsert(T0, peer(3).tier(Tier.TIER4).lastSeen(T0 - 500).build());
            assertEquals(List.of("REMOVED 2 EVICTED", "ADDED 4"), h.upsert(T0, peer(4).tier(Tier.TIER2).build()).changes);
            assertEquals(List.of("REMOVED 3 EVICTED", "ADDED 5"), h.upsert(T0, peer(5).tier(Tier.TIER2).build()).changes);
            assertEquals(List.of("REMOVED 4 EVICTED", "ADDED 6"), h.upsert(T0, peer(6).tier(Tier.TIER2).build()).changes,
                "equal tier and lastSeen: the lowest id");
        }
    }

    @Test
    void equalTierAndLastSeenEvictsTheLowestId()
    {
        try (Harness h = capped(3))
        {
            h.upsert(T0, peer(9).build());
            h.upsert(T0, peer(7).build());
            h.upsert(T0, peer(8).build());
            assertEquals(List.of("REMOVED 7 EVICTED", "ADDED 1"), h.upsert(T0, peer(1).build()).changes);
        }
    }

    @Test
    void aNewcomerOfWorseTierThanTheVictimIsRefusedAndOneOfEqualTierIsAdmitted()
    {
        try (Harness h = capped(2))
        {
            h.upsert(T0, peer(1).tier(Tier.TIER2).build());
            h.upsert(T0, peer(2).tier(Tier.TIER2).lastSeen(T0 - 1).build());
            final Committed refused = h.upsert(T0, peer(3).tier(Tier.TIER3).build());
            assertEquals("REJECTED CAPACITY", refused.outcome());
            assertEquals(List.of(), refused.changes);
            assertNotNull(h.engine.view().get(id(2)), "a refusal evicts nothing");
            assertEquals(List.of("REMOVED 2 EVICTED", "ADDED 4"), h.upsert(T0, peer(4).tier(Tier.TIER2).build()).changes);
        }
    }

    @Test
    void pinnedPeersAreNeverEvicted()
    {
        try (Harness h = capped(3))
        {
            h.upsert(T0, peer(1).tier(Tier.UNTRUSTED).pinned(true).lastSeen(0).build());
            h.upsert(T0, peer(2).tier(Tier.TIER2).lastSeen(T0 - 5).build());
            h.upsert(T0, peer(3).tier(Tier.TIER2).build());
            assertEquals("REJECTED CAPACITY", h.upsert(T0, peer(4).tier(Tier.TIER3).build()).outcome(),
                "the victim is TIER2 (the pinned UNTRUSTED peer is no victim), better than TIER3");
            assertEquals(List.of("REMOVED 2 EVICTED", "ADDED 5"), h.upsert(T0, peer(5).tier(Tier.TIER1).build()).changes);
            assertNotNull(h.engine.view().get(id(1)));
        }
    }

    @Test
    void withOnlyPinnedPeersEvenTheBestNewcomerIsRefused()
    {
        try (Harness h = capped(2))
        {
            h.upsert(T0, peer(1).tier(Tier.UNTRUSTED).pinned(true).build());
            h.upsert(T0, peer(2).tier(Tier.UNTRUSTED).pinned(true).build());
            assertEquals("REJECTED CAPACITY", h.upsert(T0, peer(3).tier(Tier.TIER1).pinned(true).build()).outcome());
            assertEquals(2, h.engine.view().size());
        }
    }

    @Test
    void anUpdateAtTheCapEvictsNothing()
    {
        try (Harness h = capped(2))
        {
            h.upsert(T0, peer(1).build());
            h.upsert(T0, peer(2).build());
            final Committed update = h.upsert(T0, peer(1).version(2).tier(Tier.UNTRUSTED).build());
            assertEquals("UPDATED", update.outcome());
            assertEquals(List.of("UPDATED 1"), update.changes);
        }
    }

    @Test
    void aBatchMayEvictAPeerItAddedItselfAndAFailedBatchPutsItsVictimsBack()
    {
        try (Harness h = capped(2))
        {
            h.upsert(T0, peer(1).tier(Tier.TIER2).build());
            final Committed own = h.batch(T0, Batch.builder()
                .upsert(peer(2).tier(Tier.TIER4).build())
                .upsert(peer(3).tier(Tier.TIER3).build())
                .build());
            assertEquals("BATCH_COMMITTED", own.outcome());
            assertEquals(List.of("ADDED 2", "REMOVED 2 EVICTED", "ADDED 3"), own.changes);

            final Committed failed = h.batch(T0, Batch.builder()
                .upsert(peer(4).tier(Tier.TIER1).build())
                .upsert(peer(1).tier(Tier.TIER2).build())
                .build());
            assertEquals("BATCH_FAILED STALE op 1", failed.outcome());
            assertEquals(List.of(), failed.changes);
            assertNotNull(h.engine.view().get(id(3)), "the victim of the failed batch is back");
            assertNull(h.engine.view().get(id(4)));
            assertEquals("STALE", h.upsert(T0, peer(3).tier(Tier.TIER3).build()).outcome(),
                "and its eviction left no tombstone: it is live at version 1");
            assertEquals("UPDATED", h.upsert(T0, peer(3).version(2).build()).outcome());
        }
    }

    @Test
    void anEvictedPeerLeavesATombstone()
    {
        try (Harness h = capped(1))
        {
            h.upsert(T0, peer(1).version(5).build());
            h.upsert(T0, peer(2).build());
            h.remove(T0, id(2));
            assertEquals("STALE", h.upsert(T0, peer(1).version(5).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(1).version(6).build()).outcome());
        }
    }

    @Test
    void zeroMeansNoLimit()
    {
        try (Harness h = capped(0))
        {
            for (int n = 1; n <= 50; n++)
            {
                assertEquals(List.of("ADDED " + n), h.upsert(T0, peer(n).build()).changes);
            }
        }
    }
}
