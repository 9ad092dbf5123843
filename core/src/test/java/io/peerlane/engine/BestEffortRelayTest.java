package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.state.RegistrySettings;
import io.peerlane.testing.Await;
import io.peerlane.testing.SlowMirror;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A best-effort observer's relay: overrun and resync, and what it is given up to a cut. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BestEffortRelayTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int RING = 64;

    static Stream<Arguments> topologiesAndSeeds()
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        final List<Arguments> args = new ArrayList<>();
        for (final Topology topology : Topology.values())
        {
            args.add(Arguments.of(topology, seed));
        }
        return args.stream();
    }

    static RegistrySettings unlimited()
    {
        return RegistrySettings.builder().maxPeers(0).maxDevicesPerDid(0).build();
    }

    /**
     * Many bursts, each far more than a ring while the observer is held, so each one overruns it; some go on
     * while it runs slowly, so that it overruns again soon after a resync. After every burst it must catch up
     * with the registry, told of every overrun, with no gap and no duplicate after each snapshot.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("topologiesAndSeeds")
    void overrunThenResyncThenOverrunAgainRecoversEveryTime(final Topology topology, final long seed)
    {
        System.out.println("BestEffortRelayTest.overrunThenResync seed=" + seed + " topology=" + topology);
        final SplittableRandom random = new SplittableRandom(seed);
        final SlowMirror mirror = new SlowMirror(0);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(RING).settings(unlimited())
            .observer("slow", ObserverRole.BEST_EFFORT, mirror);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final int bursts = 16;
            long version = 1;
            for (int burst = 0; burst < bursts; burst++)
            {
                final String where = "seed " + seed + " " + topology + " burst " + burst;
                mirror.close();
                final int held = 2 * RING + random.nextInt(4 * RING);
                for (int i = 0; i < held; i++)
                {
                    engine.upsert(1, peer(random.nextInt(400), version++, 1).build());
                }
                engine.tickAndWait(WAIT);
                assertEquals("OVERRUN", engine.observerStats("slow").state(), where);
                // Let it go slowly while more comes: it may overrun again right after its resync.
                mirror.pauseNanos(random.nextBoolean() ? 0 : 1_000_000);
                mirror.open();
                final int more = random.nextInt(3 * RING);
                for (int i = 0; i < more; i++)
                {
                    engine.upsert(1, peer(random.nextInt(400), version++, 1).build());
                }
                mirror.pauseNanos(0);
                Await.until("the observer to catch up after " + where, 20, () ->
                    mirror.lastSeq() == engine.view().eventSeq() &&
                    "ACTIVE".equals(engine.observerStats("slow").state()), engine::healthReport);
                assertEquals(List.of(), mirror.problems(), where);
                EngineModelTest.assertSameState(engine.view().sortedById(), mirror.peers(), where);
                assertEquals(engine.observerStats("slow").overruns(), mirror.overruns(), where + ": told of each");
                assertTrue(mirror.overruns() >= burst + 1, where + ": " + mirror.overruns() + " overruns");
            }
            assertEquals(1 + mirror.overruns(), mirror.snapshots(), "one snapshot at registration, one per overrun");
        }
    }
}
