package io.peerlane.admission;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.key;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code globalRateLimitPerSec} and {@code didRateLimitPerMin}: windows aligned to {@code floor(t/1000)} and
 * {@code floor(t/60000)} of event time, admitting while their count is below the limit; every upsert that
 * passes the ban and rate checks counts, whatever happens to it later, except inside a failed batch.
 */
class RateLimitTest
{
    /** The start of a second. */
    private static final long S = 1_700_000_001_000L;
    /** The start of a minute: 28,333,334 minutes. */
    private static final long M = 1_700_000_040_000L;

    private static Harness global(final long perSecond)
    {
        return Harness.compact(RegistrySettings.builder().globalRateLimitPerSec(perSecond).build());
    }

    private static Harness perDid(final long perMinute)
    {
        return Harness.compact(RegistrySettings.builder().didRateLimitPerMin(perMinute).maxDevicesPerDid(0).build());
    }

    @Test
    void theGlobalWindowAdmitsUpToItsLimitAndIsAlignedToTheSecond()
    {
        try (Harness h = global(3))
        {
            assertEquals("ADDED", h.upsert(S, peer(1).build()).outcome());
            assertEquals("ADDED", h.upsert(S + 400, peer(2).build()).outcome());
            assertEquals("ADDED", h.upsert(S + 998, peer(3).build()).outcome(), "the last one allowed");
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S + 999, peer(4).build()).outcome(), "the first refused");
            assertEquals("ADDED", h.upsert(S + 1000, peer(4).build()).outcome(), "a new window, 1 ms later");
            assertEquals("ADDED", h.upsert(S + 1999, peer(5).build()).outcome());
            assertEquals("ADDED", h.upsert(S + 1999, peer(6).build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S + 1999, peer(7).build()).outcome());
            assertEquals("ADDED", h.upsert(S + 2000, peer(7).build()).outcome(),
                "aligned to the epoch, not sliding: 3 upserts in the last 2 ms did not fill it");
        }
    }

    @Test
    void theDidWindowIsPerDidAndAlignedToTheMinute()
    {
        try (Harness h = perDid(2))
        {
            final String x = "did:key:x";
            assertEquals("ADDED", h.upsert(M, peer(1).did(x).build()).outcome());
            assertEquals("ADDED", h.upsert(M + 30_000, peer(2).did(x).build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M + 59_999, peer(3).did(x).build()).outcome());
            assertEquals("ADDED", h.upsert(M + 59_999, peer(4).did("did:key:y").build()).outcome(), "another DID");
            assertEquals("ADDED", h.upsert(M + 60_000, peer(3).did(x).build()).outcome());
            assertEquals("UPDATED", h.upsert(M + 60_001, peer(1).did(x).version(2).build()).outcome(),
                "an update counts too");
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M + 60_002, peer(1).did(x).version(3).build()).outcome());
            assertEquals("UPDATED", h.upsert(M + 120_000, peer(1).did(x).version(3).build()).outcome());
        }
    }

    @Test
    void anUpsertRefusedAfterTheRateCheckStillCounts()
    {
        final RegistrySettings settings = RegistrySettings.builder().globalRateLimitPerSec(4).maxDevicesPerDid(1)
            .maxPeers(2).build();
        try (Harness h = Harness.compact(settings))
        {
            h.upsert(S - 1, peer(1).build());
            h.upsert(S - 1, peer(2).pinned(true).build());
            assertEquals("STALE", h.upsert(S, peer(1).build()).outcome());
            assertEquals("REJECTED IDENTITY_CONFLICT", h.upsert(S, peer(1).publicKey(key(99)).version(2).build())
                .outcome());
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(S, peer(3).did("did:test:n1").build()).outcome());
            assertEquals("REJECTED CAPACITY", h.upsert(S, peer(4).tier(io.peerlane.peer.Tier.UNTRUSTED).build())
                .outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S, peer(1).version(9).build()).outcome(),
                "four refused upserts filled the window");
        }
    }

    @Test
    void anUpsertRefusedByTheDidWindowDoesNotCountAgainstTheGlobalOne()
    {
        final RegistrySettings settings = RegistrySettings.builder().globalRateLimitPerSec(3).didRateLimitPerMin(1)
            .build();
        try (Harness h = Harness.compact(settings))
        {
            assertEquals("ADDED", h.upsert(M, peer(1).did("did:key:a").build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M, peer(2).did("did:key:a").build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M, peer(3).did("did:key:a").build()).outcome());
            assertEquals("ADDED", h.upsert(M, peer(4).did("did:key:b").build()).outcome());
            assertEquals("ADDED", h.upsert(M, peer(5).did("did:key:c").build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M, peer(6).did("did:key:d").build()).outcome());
        }
    }

    @Test
    void onlyUpsertsAreRateLimited()
    {
        try (Harness h = global(2))
        {
            assertEquals("ADDED", h.upsert(S, peer(1).build()).outcome());
            assertEquals("REMOVED", h.remove(S, id(1)).outcome());
            assertEquals("NOT_FOUND", h.remove(S, id(1)).outcome());
            assertEquals("NOT_FOUND", h.touch(S, id(1), S).outcome());
            assertEquals("TICKED", h.tick(S).outcome());
            assertEquals("BAN_SET", h.ban(S, Ban.of(BanKind.DID, "did:key:z")).outcome());
            assertEquals("BAN_LIFTED", h.unban(S, Ban.of(BanKind.DID, "did:key:z")).outcome());
            assertEquals("ADDED", h.upsert(S, peer(2).build()).outcome(), "none of those counted");
            assertEquals("TOUCHED", h.touch(S, id(2), S + 1).outcome());
            assertEquals("BATCH_COMMITTED", h.batch(S, Batch.builder().remove(id(2)).build()).outcome(),
                "a batch of removes is not limited");
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S, peer(3).build()).outcome());
        }
    }

    @Test
    void aCommittedBatchCountsEachUpsert()
    {
        try (Harness h = global(3))
        {
            assertEquals("BATCH_COMMITTED", h.batch(S, Batch.builder().upsert(peer(1).build()).remove(id(1))
                .upsert(peer(2).build()).build()).outcome());
            assertEquals("ADDED", h.upsert(S, peer(3).build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S, peer(4).build()).outcome());
        }
    }

    @Test
    void aFailedBatchLeavesNoGlobalCount()
    {
        try (Harness h = global(3))
        {
            final Committed failed = h.batch(S, Batch.builder().upsert(peer(1).build()).upsert(peer(2).build())
                .remove(id(77)).build());
            assertEquals("BATCH_FAILED NOT_FOUND op 2", failed.outcome());
            final Committed limited = h.batch(S, Batch.builder().upsert(peer(1).build()).upsert(peer(2).build())
                .upsert(peer(3).build()).upsert(peer(4).build()).build());
            assertEquals("BATCH_FAILED RATE_LIMITED op 3", limited.outcome());
            for (int n = 1; n <= 3; n++)
            {
                assertEquals("ADDED", h.upsert(S, peer(n).build()).outcome(), "upsert " + n);
            }
            assertEquals("REJECTED RATE_LIMITED", h.upsert(S, peer(4).build()).outcome());
        }
    }

    @Test
    void aFailedBatchLeavesNoDidCount()
    {
        try (Harness h = perDid(2))
        {
            final String x = "did:key:x";
            final Committed failed = h.batch(M, Batch.builder().upsert(peer(1).did(x).build())
                .upsert(peer(2).did(x).build()).upsert(peer(3).did(x).build()).build());
            assertEquals("BATCH_FAILED RATE_LIMITED op 2", failed.outcome());
            assertEquals("BATCH_FAILED STALE op 1", h.batch(M, Batch.builder().upsert(peer(4).did(x).build())
                .upsert(peer(4).did(x).build()).build()).outcome());
            assertEquals("ADDED", h.upsert(M, peer(1).did(x).build()).outcome());
            assertEquals("ADDED", h.upsert(M, peer(2).did(x).build()).outcome());
            assertEquals("REJECTED RATE_LIMITED", h.upsert(M, peer(3).did(x).build()).outcome());
        }
    }

    @Test
    void anEarlierTimeIsRaisedToThePreviousOneAndJudgedInItsWindow()
    {
        try (Harness h = global(1))
        {
            assertEquals("ADDED", h.upsert(S + 1500, peer(1).build()).outcome());
            final Committed late = h.upsert(S + 500, peer(2).build());
            assertEquals(S + 1500, late.time);
            assertEquals("REJECTED RATE_LIMITED", late.outcome(), "judged in the window of S + 1500");
        }
    }

    @Test
    void zeroMeansNoLimitAndIsTheDefault()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            for (int v = 1; v <= 500; v++)
            {
                assertEquals(v == 1 ? "ADDED" : "UPDATED", h.upsert(S, peer(1).version(v).build()).outcome());
            }
        }
    }
}
