package io.peerlane.admission;

import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything input can grow stays bounded under a long churn with rate limits, bans with {@code until}
 * and small caps (see {@link Churn}); the full run of 2 million ops over 50,000 DIDs is a stress test, a
 * smaller one runs by default. Both print their seed; repeat with {@code -Dpeerlane.seed=N}.
 */
class BoundedMemoryTest
{
    private static final RegistrySettings SMALL_CAPS = RegistrySettings.builder()
        .maxPeers(5_000)
        .peerTtlMs(300_000)
        .tombstoneTtlMs(120_000)
        .maxTombstones(2_000)
        .maxBans(100)
        .maxDevicesPerDid(3)
        .maxPeersPerSubnet(40)
        .globalRateLimitPerSec(150)
        .didRateLimitPerMin(5)
        .build();

    private static void churn(final String name, final int ops, final int dids)
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println(name + " seed=" + seed + " (repeat with -Dpeerlane.seed=" + seed + ")");
        final Churn churn = new Churn(seed, dids, SMALL_CAPS);
        churn.run(ops);
        System.out.println(name + ": " + ops + " ops over " + (churn.time() - 1_700_000_000_000L) / 1000 +
            " s of event time; most held: tombstones " + churn.maxTombstones + ", bans " + churn.maxBans +
            ", rate windows " + churn.maxWindows + ", live peers " + churn.maxLive + "; outcomes " +
            churn.state().stats().outcomes() + "; reasons " + churn.state().stats().reasons());
        assertEquals(SMALL_CAPS.maxTombstones(), churn.maxTombstones, "the tombstone cap was reached");
        assertEquals(SMALL_CAPS.maxBans(), churn.maxBans, "the ban cap was reached");
        assertEquals(SMALL_CAPS.maxPeers(), churn.maxLive, "the peer cap was reached");
        for (final String reason : new String[]{ "BAN_LIMIT", "RATE_LIMITED", "CAPACITY", "DEVICE_LIMIT", "BANNED" })
        {
            assertTrue(churn.state().stats().reasons(reason) > 0, "the churn reached " + reason);
        }
        churn.drain();
    }

    @Test
    void aChurnOfOneHundredTwentyThousandOpsStaysBounded()
    {
        churn("BoundedMemoryTest.small", 120_000, 3_000);
    }

    @Tag("stress")
    @Test
    void aChurnOfTwoMillionOpsOverFiftyThousandDidsStaysBounded()
    {
        churn("BoundedMemoryTest.stress", 2_000_000, 50_000);
    }
}
