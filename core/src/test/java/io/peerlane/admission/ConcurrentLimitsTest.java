package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.Topology;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static io.peerlane.admission.Records.at;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits hold exactly under concurrent producers in the pipelined topology: the single writer counts, so
 * however the producers interleave, exactly the limit is admitted and every other upsert is refused with
 * the limit's reason.
 */
class ConcurrentLimitsTest
{
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 500;
    private static final long S = 1_700_000_040_000L;

    /** Publishes {@code PRODUCERS * PER_PRODUCER} records at once, all at event time S; returns outcome counts. */
    private static Map<String, Integer> race(final Harness h, final IntFunction<PeerRecord> record) throws Exception
    {
        final CountDownLatch go = new CountDownLatch(1);
        final List<List<Long>> sequences = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 0; p < PRODUCERS; p++)
        {
            final int producer = p;
            final List<Long> mine = new ArrayList<>();
            sequences.add(mine);
            final Thread thread = new Thread(() ->
            {
                try
                {
                    go.await();
                    for (int i = 0; i < PER_PRODUCER; i++)
                    {
                        mine.add(h.engine.upsert(S, record.apply(producer * PER_PRODUCER + i)));
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "producer-" + p);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!thread.isAlive(), thread.getName() + " did not finish; " + h.engine.healthReport());
        }
        assertEquals(null, failure.get());
        final Map<String, Integer> counts = new HashMap<>();
        for (final List<Long> mine : sequences)
        {
            for (final long sequence : mine)
            {
                counts.merge(h.await(sequence).outcome(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Harness pipelined(final RegistrySettings settings)
    {
        return Harness.start(new EngineContext().topology(Topology.PIPELINED), settings);
    }

    @Test
    void theGlobalRateLimitAdmitsExactlyItsLimit() throws Exception
    {
        try (Harness h = pipelined(RegistrySettings.builder().globalRateLimitPerSec(300).maxDevicesPerDid(0).build()))
        {
            final Map<String, Integer> counts = race(h, n -> peer(n).build());
            assertEquals(Map.of("ADDED", 300, "REJECTED RATE_LIMITED", 1700), counts);
            assertEquals(300, h.engine.view().size());
            assertEquals(1700, h.engine.stats().reasons("RATE_LIMITED"));
        }
    }

    @Test
    void eachDidWindowAdmitsExactlyItsLimit() throws Exception
    {
        try (Harness h = pipelined(RegistrySettings.builder().didRateLimitPerMin(5).maxDevicesPerDid(0).build()))
        {
            final Map<String, Integer> counts = race(h, n -> peer(n).did("did:test:d" + n % 8).build());
            assertEquals(Map.of("ADDED", 40, "REJECTED RATE_LIMITED", 1960), counts);
            for (int d = 0; d < 8; d++)
            {
                assertEquals(5, h.engine.view().byDid("did:test:d" + d).size(), "DID " + d);
            }
        }
    }

    @Test
    void eachDidHoldsExactlyItsDevicesAndEachSubnetItsPeers() throws Exception
    {
        final RegistrySettings settings = RegistrySettings.builder().maxDevicesPerDid(3).maxPeersPerSubnet(7).build();
        try (Harness h = pipelined(settings))
        {
            final Map<String, Integer> counts = race(h, n -> n % 2 == 0 ?
                peer(n).did("did:test:d" + n / 2 % 16).build() : at(n, "10.0." + n % 5 + "." + n % 200 + ":1").build());
            assertEquals(48 + 35, counts.get("ADDED"), counts.toString());
            assertEquals(1000 - 48, counts.get("REJECTED DEVICE_LIMIT"), counts.toString());
            assertEquals(1000 - 35, counts.get("REJECTED SUBNET_LIMIT"), counts.toString());
        }
    }

    @Test
    void capacityWithOnlyPinnedPeersAdmitsExactlyMaxPeers() throws Exception
    {
        try (Harness h = pipelined(RegistrySettings.builder().maxPeers(100).maxDevicesPerDid(0).build()))
        {
            final Map<String, Integer> counts = race(h, n -> peer(n).pinned(true).build());
            assertEquals(Map.of("ADDED", 100, "REJECTED CAPACITY", 1900), counts);
            assertEquals(100, h.engine.stats().outcomes(OutcomeCode.ADDED));
        }
    }
}
