package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.Await;
import io.peerlane.testing.SlowMirror;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
                engine.upsertAndWait(1, peer(random.nextInt(400), version++, 1).build(), WAIT);
                assertEquals("OVERRUN", engine.observerStats("slow").state(), where);
                // Let it go slowly while more comes: it may overrun again right after its resync.
                mirror.pauseNanos(random.nextBoolean() ? 0 : 1_000_000);
                mirror.open();
                final int more = random.nextInt(3 * RING);
                for (int i = 0; i < more; i++)
                {
                    engine.upsert(1, peer(random.nextInt(400), version++, 1).build());
                }
                // Everything committed, so the view stands still while the observer catches up with it.
                engine.upsertAndWait(1, peer(random.nextInt(400), version++, 1).build(), WAIT);
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

    /** The case: a slow observer with 500 events queued is unregistered; it is given all 500, no more. */
    @ParameterizedTest
    @EnumSource(Topology.class)
    void unregisterDeliversExactlyTheEventsUpToTheCut(final Topology topology)
    {
        final SlowMirror mirror = new SlowMirror(1_000_000);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(1024).settings(unlimited())
            .observer("slow", ObserverRole.BEST_EFFORT, mirror);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            for (int i = 0; i < 499; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            engine.upsertAndWait(1, peer(499, 1, 1).build(), WAIT);
            final long committed = engine.view().eventSeq();
            assertEquals(500, committed);
            assertTrue(mirror.lastSeq() < committed, "the observer is still behind: " + mirror.lastSeq());

            final long cut = engine.unregister("slow");

            assertEquals(committed, cut, "the cut is the last event committed before the removal");
            assertEquals(cut, mirror.lastSeq(), "given every event up to the cut by the time unregister returns");
            assertEquals(List.of(), mirror.problems());
            assertEquals(0, mirror.overruns());
            EngineModelTest.assertSameState(engine.view().sortedById(), mirror.peers(), "at the cut");
            assertNull(engine.observerStats("slow"));
            for (int i = 0; i < 100; i++)
            {
                engine.upsert(1, peer(1_000 + i, 1, 1).build());
            }
            engine.close();
            assertEquals(cut, mirror.lastSeq(), "nothing after the cut");
            assertEquals(500, mirror.peers().size());
            assertFalse(engine.healthReport().contains("ERRORS"), engine.healthReport());
        }
    }

    /** Overrun at the cut: it is given what it had queued, then told of the overrun, with no snapshot after. */
    @ParameterizedTest
    @EnumSource(Topology.class)
    void unregisterOfAnOverrunObserverTellsItSo(final Topology topology) throws Exception
    {
        final SlowMirror mirror = new SlowMirror(0);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(RING).settings(unlimited())
            .observer("slow", ObserverRole.BEST_EFFORT, mirror);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            mirror.close();
            for (int i = 0; i < 4 * RING; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            engine.upsertAndWait(1, peer(4 * RING, 1, 1).build(), WAIT);
            assertEquals("OVERRUN", engine.observerStats("slow").state());
            final long committed = engine.view().eventSeq();
            final CompletableFuture<Long> unregistered = CompletableFuture.supplyAsync(() -> engine.unregister("slow"));
            Await.until("the removal to reach the ring", 20, () -> null == engine.observerStats("slow"),
                engine::healthReport);
            mirror.open();
            assertEquals(committed, unregistered.get(20, TimeUnit.SECONDS));
            assertEquals(1, mirror.overruns(), "told of the overrun at the cut");
            assertEquals(1, mirror.snapshots(), "no resync after the cut");
            assertEquals(List.of(), mirror.problems());
            // A ring-long queue with a slot kept free, one more taken if the registration snapshot was still there.
            assertTrue(mirror.lastSeq() < committed && mirror.lastSeq() >= RING - 2,
                "given what it had queued: " + mirror.lastSeq());
            assertEquals(mirror.lastSeq(), mirror.peers().size());
        }
    }

    /** The case: close() with 300 events queued for a slow observer gives it all 300. */
    @ParameterizedTest
    @EnumSource(Topology.class)
    void closeDeliversEveryQueuedEventWithinItsTimeout(final Topology topology)
    {
        final SlowMirror mirror = new SlowMirror(1_000_000);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(1024).settings(unlimited())
            .observer("slow", ObserverRole.BEST_EFFORT, mirror);
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        for (int i = 0; i < 300; i++)
        {
            engine.upsert(1, peer(i, 1, 1).build());
        }
        engine.close();
        assertEquals(300, engine.view().eventSeq());
        assertEquals(300, mirror.lastSeq(), "every queued event was given before close returned");
        assertEquals(List.of(), mirror.problems());
        EngineModelTest.assertSameState(engine.view().sortedById(), mirror.peers(), "at close");
        assertEquals(0, engine.observerStats("slow").undeliveredAtClose());
        assertFalse(engine.healthReport().contains("CLOSE TIMEOUT"), engine.healthReport());
        assertFalse(engine.healthReport().contains("ERRORS"), engine.healthReport());
        assertFalse(relayThreadAlive("slow"), "the relay's thread stopped");
    }

    /** A close timeout shorter than the backlog: close returns, and the health report says what was not given. */
    @ParameterizedTest
    @EnumSource(Topology.class)
    void closeTimeoutCutsDeliveryShortAndTheHealthReportSaysSo(final Topology topology)
    {
        final String name = "slow-close-" + topology;
        final SlowMirror mirror = new SlowMirror(1_000_000);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(1024).settings(unlimited())
            .closeTimeout(Duration.ofMillis(200))
            .observer(name, ObserverRole.BEST_EFFORT, mirror);
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        for (int i = 0; i < 1000; i++)
        {
            engine.upsert(1, peer(i, 1, 1).build());
        }
        final long start = System.nanoTime();
        engine.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "close is bounded by its timeout");
        // The relay stops after the callback it was in.
        Await.until("the relay to stop", 20, () -> !relayThreadAlive(name), engine::healthReport);
        final long undelivered = engine.observerStats(name).undeliveredAtClose();
        assertEquals(1000 - mirror.lastSeq(), undelivered, engine.healthReport());
        assertTrue(undelivered > 0, engine.healthReport());
        assertEquals(List.of(), mirror.problems());
        final String report = engine.healthReport();
        assertTrue(report.contains("CLOSE TIMEOUT: observer '" + name + "' BEST_EFFORT was not given " + undelivered +
            " events up to event seq 1000"), report);
    }

    /**
     * The publish lane's side of a relay copies each committed event into a copy the relay owns and reuses:
     * once every copy has been used once, offering allocates nothing. Measured on the offering thread with
     * the JVM's per-thread allocation counter, while the relay's thread delivers (the old relay allocated a
     * copy per event).
     */
    @Test
    void offeringToARelayAllocatesNothingInSteadyState() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final AtomicLong given = new AtomicLong();
        final ObserverHandle handle = new ObserverHandle("alloc", ObserverRole.BEST_EFFORT, e -> given.incrementAndGet(),
            0, 0, 0, -1, 0);
        final StageErrors errors = new StageErrors();
        final BestEffortRelay relay = new BestEffortRelay(handle, RING, errors, h -> false, r -> { });
        handle.relay = relay;
        relay.start(r ->
        {
            final Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        relay.registered(io.peerlane.state.RegistryView.empty());
        final MutationEvent event = new MutationEvent(1, new SlotReferences(1), 0);
        event.upsert(peer(1, 1, 1).build());
        event.time = 1;
        new io.peerlane.state.RegistryState(unlimited(), List.of()).commit(event, 1, event.result);
        assertEquals(1, event.result.lineCount());
        final long threadId = Thread.currentThread().getId();
        long offered = 0;
        long allocated = 0;
        for (int round = 0; round < 2000; round++)
        {
            // Less than the queue holds, then wait until the relay has given them all: never an overrun.
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < RING / 2; i++)
            {
                relay.offer(event);
            }
            final long after = threads.getThreadAllocatedBytes(threadId);
            offered += RING / 2;
            if (round >= 4)
            {
                allocated += after - before;
            }
            final long expected = offered;
            Await.until("the relay to give what was offered", 20, () -> given.get() == expected,
                () -> handle.state + ", given " + given.get());
        }
        relay.stop();
        Await.until("the relay to stop", 20, relay::stopped, () -> "given " + given.get());
        assertEquals(0, handle.overruns.get());
        assertEquals(0, errors.count());
        // A copy per event would be some 200 bytes each. What the counter shows here comes from the JIT and
        // class resolution on this thread, a few rounds in a thousand: far under a byte per offer.
        final long measured = offered - 4 * RING / 2;
        assertTrue(allocated < measured, allocated + " bytes allocated by " + measured + " offers in steady state");
    }

    static boolean relayThreadAlive(final String observer)
    {
        final String name = "peerlane-best-effort-" + observer;
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && name.equals(t.getName()));
    }
}
