package io.peerlane.admission;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tombstones seen through outcomes: a replay of a removed peer's last version is STALE while its tombstone
 * is held and ADDED once it is gone. {@code tombstoneTtlMs}: dropped once {@code r + ttl < t};
 * {@code maxTombstones}: oldest first, then lowest id, checked at each insert.
 */
class TombstoneTest
{
    @Test
    void aTombstoneIsHeldUntilItsTimeToLiveHasPassed()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().tombstoneTtlMs(1000).build()))
        {
            h.upsert(T0, peer(1).version(5).build());
            h.remove(T0 + 10, id(1));
            assertEquals("STALE", h.upsert(T0 + 1010, peer(1).version(5).build()).outcome(), "r + ttl == t: held");
            assertEquals("STALE", h.upsert(T0 + 1010, peer(1).version(4).build()).outcome());
            assertEquals("ADDED", h.upsert(T0 + 1011, peer(1).version(5).build()).outcome(), "r + ttl < t: dropped");
        }
    }

    @Test
    void aZeroTimeToLiveKeepsATombstoneUntilTheCapDropsIt()
    {
        // TRACE.md: tombstoneTtlMs 0 turns the time to live off; only maxTombstones drops tombstones.
        try (Harness h = Harness.compact(RegistrySettings.builder().tombstoneTtlMs(0).maxTombstones(1).build()))
        {
            h.upsert(T0, peer(1).version(5).build());
            h.remove(T0, id(1));
            assertEquals("STALE", h.upsert(T0 + 1, peer(1).version(5).build()).outcome());
            assertEquals("STALE", h.upsert(T0 + 365L * 86_400_000L, peer(1).version(5).build()).outcome());
            h.upsert(T0 + 365L * 86_400_000L, peer(2).version(1).build());
            h.remove(T0 + 365L * 86_400_000L, id(2));
            assertEquals("ADDED", h.upsert(T0 + 365L * 86_400_000L, peer(1).version(5).build()).outcome(),
                "peer 2's tombstone pushed peer 1's out past the cap");
        }
    }

    @Test
    void pastTheCapTheOldestTombstoneGoesFirst()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxTombstones(2).build()))
        {
            for (int n = 1; n <= 3; n++)
            {
                h.upsert(T0, peer(n).version(3).build());
            }
            h.remove(T0 + 3, id(3));
            h.remove(T0 + 4, id(1));
            h.remove(T0 + 5, id(2));
            assertEquals("ADDED", h.upsert(T0 + 6, peer(3).version(3).build()).outcome(), "the oldest was dropped");
            assertEquals("STALE", h.upsert(T0 + 6, peer(1).version(3).build()).outcome());
            assertEquals("STALE", h.upsert(T0 + 6, peer(2).version(3).build()).outcome());
        }
    }

    @Test
    void amongTombstonesOfOneTimeTheLowestIdGoesEvenTheOneJustMade()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxTombstones(1).build()))
        {
            h.upsert(T0, peer(1).build());
            h.upsert(T0, peer(2).build());
            h.remove(T0 + 1, id(2));
            h.remove(T0 + 1, id(1));
            assertEquals("ADDED", h.upsert(T0 + 2, peer(1).build()).outcome(), "the one just made was dropped");
            assertEquals("STALE", h.upsert(T0 + 2, peer(2).build()).outcome());
        }
    }

    @Test
    void theCapIsCheckedAtEachInsertInsideABatch()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxTombstones(1).build()))
        {
            h.upsert(T0, peer(1).version(5).build());
            h.upsert(T0, peer(2).version(5).build());
            final Committed batch = h.batch(T0 + 1, Batch.builder().remove(id(2)).remove(id(1))
                .upsert(peer(1).version(5).build()).build());
            assertEquals("BATCH_COMMITTED", batch.outcome(),
                "the cap dropped peer 1's tombstone (lowest id) as it was made, before the upsert");
            assertEquals(List.of("REMOVED 2 REMOVED", "REMOVED 1 REMOVED", "ADDED 1"), batch.changes);
            assertEquals("STALE", h.upsert(T0 + 2, peer(2).version(5).build()).outcome());
        }
    }

    @Test
    void everyKindOfRemovalLeavesATombstoneMadeAtItsLine()
    {
        final RegistrySettings settings = RegistrySettings.builder().peerTtlMs(1000).tombstoneTtlMs(500).build();
        try (Harness h = Harness.compact(settings))
        {
            h.upsert(T0, peer(1).version(4).build());
            h.upsert(T0, peer(2).version(4).lastSeen(T0 + 100_000).build());
            assertEquals(List.of("REMOVED 1 EXPIRED"), h.tick(T0 + 1001).changes);
            assertEquals("STALE", h.upsert(T0 + 1501, peer(1).version(4).lastSeen(T0 + 1501).build()).outcome());
            assertEquals("ADDED", h.upsert(T0 + 1502, peer(1).version(4).lastSeen(T0 + 1502).build()).outcome());

            assertEquals(List.of("REMOVED 2 BANNED"), h.ban(T0 + 2000, Ban.of(BanKind.NODE, id(2).toHex())).changes);
            h.unban(T0 + 2001, Ban.of(BanKind.NODE, id(2).toHex()));
            assertEquals("STALE", h.upsert(T0 + 2500, peer(2).version(4).build()).outcome());
            assertEquals("ADDED", h.upsert(T0 + 2501, peer(2).version(4).build()).outcome());
        }
    }

    @Test
    void aReAddedPeerNoLongerHasATombstone()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.upsert(T0, peer(1).version(5).build());
            h.remove(T0, id(1));
            assertEquals("ADDED", h.upsert(T0, peer(1).version(6).build()).outcome());
            assertEquals("STALE", h.upsert(T0, peer(1).version(6).build()).outcome(), "live at 6");
            h.remove(T0, id(1));
            assertEquals("STALE", h.upsert(T0, peer(1).version(6).build()).outcome(), "the new tombstone holds 6");
            assertEquals("ADDED", h.upsert(T0, peer(1).version(7).build()).outcome());
        }
    }
}
