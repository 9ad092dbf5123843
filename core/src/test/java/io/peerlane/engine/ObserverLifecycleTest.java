package io.peerlane.engine;

import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.Await;
import io.peerlane.testing.MirrorObserver;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObserverLifecycleTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    static Stream<Arguments> seeds()
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        final List<Arguments> args = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            for (final Topology topology : Topology.values())
            {
                args.add(Arguments.of(base + i, topology));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("seeds")
    void observerRegisteredUnderLoadRebuildsTheRegistry(final long seed, final Topology topology) throws Exception
    {
        System.out.println("ObserverLifecycleTest seed=" + seed + " topology=" + topology);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(128).publishLanes(2)
            .settings(EngineModelTest.settings());
        final AtomicLong clock = new AtomicLong(1_000);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final MirrorObserver mirror = new MirrorObserver();
        final MirrorObserver late = new MirrorObserver();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final CountDownLatch started = new CountDownLatch(4);
            final CountDownLatch done = new CountDownLatch(4);
            for (int p = 0; p < 4; p++)
            {
                final RandomWorkload workload = new RandomWorkload(seed * 17 + p, 24, clock);
                new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < 1500; i++)
                        {
                            workload.publishOne(engine);
                            if (i == 200)
                            {
                                started.countDown();
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        done.countDown();
                    }
                }).start();
            }
            assertTrue(started.await(30, TimeUnit.SECONDS));
            engine.register("mirror", ObserverRole.STANDARD, mirror);
            engine.register("late", ObserverRole.CRITICAL, late);
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertNull(failure.get());
            engine.close();
            for (final MirrorObserver m : List.of(mirror, late))
            {
                assertEquals(List.of(), m.problems(), "seed " + seed);
                assertEquals(1, m.snapshots());
                assertEquals(engine.view().eventSeq(), m.lastSeq(), "seed " + seed);
                EngineModelTest.assertSameState(engine.view().sortedById(), m.peers(), "seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void blockedBestEffortObserverNeverStopsProducersAndResynchronises(final Topology topology) throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger blockedOnce = new AtomicInteger();
        final MirrorObserver mirror = new MirrorObserver()
        {
            @Override
            public void onEvent(final RegistryEvent event)
            {
                if (blockedOnce.getAndIncrement() == 0)
                {
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
                super.onEvent(event);
            }
        };
        final int ringSize = 64;
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(ringSize)
            .settings(RegistrySettings.builder().maxPeers(0).maxDevicesPerDid(0).build())
            .observer("slow", ObserverRole.BEST_EFFORT, mirror);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final int publishes = ringSize * 20;
            for (int i = 0; i < publishes; i++)
            {
                engine.upsert(10 + i, peer(i % 300, 1 + i / 300, 10 + i).build());
            }
            // Producers finished far more than a ring of publishes while the observer is stuck.
            assertEquals(OutcomeCode.TICKED, engine.tickAndWait(WAIT).code());
            assertEquals(ObserverRole.BEST_EFFORT, engine.observerStats("slow").role());
            assertEquals("OVERRUN", engine.observerStats("slow").state());
            release.countDown();
            Await.until("the relay to ask for a re-synchronisation", 20, () ->
            {
                engine.tick(20_000);
                return mirror.overruns() > 0 && mirror.lastSeq() == engine.view().eventSeq();
            }, () -> engine.healthReport());
            assertEquals(2, mirror.snapshots());
            assertEquals(List.of(), mirror.problems());
            EngineModelTest.assertSameState(engine.view().sortedById(), mirror.peers(), "after resync");
            assertTrue(engine.observerStats("slow").overruns() >= 1);
        }
    }

    /** A critical observer that hangs on a latch for peers of version 99. */
    static final class Hanging implements PeerObserver
    {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();

        @Override
        public Vote vote(final PeerRecord proposed)
        {
            if (proposed.version() == 99)
            {
                entered.incrementAndGet();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
        }
    }

    @Test
    void pipelinedGoesOnPastAHungCriticalObserverAndQuarantinesIt()
    {
        final Hanging hanging = new Hanging();
        final EngineContext ctx = new EngineContext().topology(Topology.PIPELINED).ringSize(64)
            .observer("hung", ObserverRole.CRITICAL, hanging,
                ObserverOptions.defaults().voteDeadline(Duration.ofMillis(50)).quarantineAfter(3));
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final Outcome first = engine.upsertAndWait(1, peer(1, 99, 1).build(), WAIT);
            assertEquals(OutcomeCode.ABORTED, first.code());
            assertEquals("hung", first.reason());
            assertEquals(AbortCause.TIMEOUT, first.cause());
            // Still hung: the next votes are late at once, and past 3 misses the observer leaves the gate.
            assertEquals(AbortCause.TIMEOUT, engine.upsertAndWait(1, peer(2, 1, 1).build(), WAIT).cause());
            assertEquals(AbortCause.TIMEOUT, engine.upsertAndWait(1, peer(3, 1, 1).build(), WAIT).cause());
            assertEquals("QUARANTINED", engine.observerStats("hung").state());
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(4, 1, 1).build(), WAIT).code());
            for (int i = 0; i < 500; i++)
            {
                engine.upsert(1, peer(10 + i, 1, 1).build());
            }
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(5, 1, 1).build(), WAIT).code());
            assertTrue(engine.healthReport().contains("'hung' CRITICAL QUARANTINED"), engine.healthReport());
            assertTrue(engine.observerStats("hung").voteRunningMs() >= 0, "its vote is still running");
            hanging.release.countDown();
            assertTrue(engine.readmit("hung"));
            Await.until("the hung vote to return", 20, () -> engine.observerStats("hung").voteRunningMs() < 0,
                engine::healthReport);
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(6, 1, 1).build(), WAIT).code());
        }
    }

    @Test
    void compactHealthReportNamesAHungCriticalObserverWhileItHangs()
    {
        final Hanging hanging = new Hanging();
        final EngineContext ctx = new EngineContext().topology(Topology.COMPACT).ringSize(16)
            .observer("hung", ObserverRole.CRITICAL, hanging,
                ObserverOptions.defaults().voteDeadline(Duration.ofMillis(50)));
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            engine.upsert(1, peer(1, 99, 1).build());
            Await.until("the vote to hang", 20, () -> hanging.entered.get() == 1, engine::healthReport);
            assertTrue(engine.healthReport().contains("in observer 'hung' for"), engine.healthReport());
            for (int i = 0; i < 15; i++)
            {
                engine.upsert(1, peer(10 + i, 1, 1).build());
            }
            final PublishTimeoutException timeout = assertThrows(PublishTimeoutException.class,
                () -> engine.upsert(peer(2, 1, 1).build(), Duration.ofMillis(100)));
            assertTrue(timeout.getMessage().contains("in observer 'hung'"), timeout.getMessage());
            hanging.release.countDown();
            final Outcome next = engine.upsertAndWait(1, peer(3, 1, 1).build(), WAIT);
            assertEquals(OutcomeCode.ADDED, next.code());
            assertEquals(1, engine.observerStats("hung").deadlineMisses(), "the late vote was judged when it returned");
            assertNull(engine.view().get(id(1)), "the late vote refused its upsert");
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void throwingObserverIsCountedAndSkipped(final Topology topology)
    {
        final AtomicInteger healthyEvents = new AtomicInteger();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(64)
            .observer("thrower", ObserverRole.STANDARD, e ->
            {
                throw new IllegalStateException("boom " + e.seq());
            })
            .observer("healthy", ObserverRole.STANDARD, e -> healthyEvents.incrementAndGet());
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            for (int i = 0; i < 300; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            Await.until("all events delivered", 20, () -> healthyEvents.get() == 300, engine::healthReport);
            final ObserverStats stats = engine.observerStats("thrower");
            assertEquals(300, stats.failures());
            assertEquals("QUARANTINED", stats.state(), "past the default count it is reported quarantined");
            assertTrue(stats.lastError().contains("boom"), stats.lastError());
            assertTrue(engine.healthReport().contains("'thrower'"));
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void reentrantObserverDoesNotDeadlock(final Topology topology)
    {
        final AtomicReference<PeerlaneEngine> ref = new AtomicReference<>();
        final AtomicInteger republished = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final java.util.Set<io.peerlane.peer.NodeId> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicReference<String> awaitError = new AtomicReference<>();
        final java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(16)
            .observer("echo", ObserverRole.STANDARD, e ->
            {
                final PeerRecord r = e.change().record();
                if (r.version() < 40)
                {
                    try
                    {
                        // Publishing from a callback never waits for the ring: it gets a slot or is refused.
                        ref.get().upsert(e.time(), r.withVersion(r.version() + 1, r.lastSeen()));
                        republished.incrementAndGet();
                    }
                    catch (final IllegalStateException ex)
                    {
                        refused.incrementAndGet();
                        stopped.add(r.id());
                    }
                }
                if (r.version() == 5 && null == awaitError.get())
                {
                    try
                    {
                        ref.get().tickAndWait(Duration.ofSeconds(1));
                    }
                    catch (final IllegalStateException ex)
                    {
                        awaitError.set(ex.getMessage());
                    }
                }
                if (r.version() >= 5 && !registered.get())
                {
                    try
                    {
                        // Like any publish from a callback, the registration is refused when the ring is full
                        // (and its name freed again); a later callback tries again.
                        ref.get().register("from-callback", ObserverRole.STANDARD, ev -> { });
                        registered.set(true);
                    }
                    catch (final IllegalStateException ex)
                    {
                        refused.incrementAndGet();
                    }
                }
            });
        try (PeerlaneEngine engine = new PeerlaneEngine(ctx))
        {
            ref.set(engine);
            engine.start();
            for (int i = 0; i < 8; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            // Every chain of echoes ends: at version 40, or where a re-entrant publish found the ring full.
            Await.until("the echoes to settle", 30, () -> engine.view().size() == 8 && engine.view().sortedById()
                .stream().allMatch(r -> r.version() == 40 || stopped.contains(r.id())), engine::healthReport);
            assertTrue(awaitError.get().contains("cannot await"), awaitError.get());
            if (!registered.get())
            {
                // Every try found the ring full while the echoes ran: one more event, on an idle ring, tries again.
                engine.upsert(1, peer(0, 41, 1).build());
            }
            Await.until("the registration from a callback", 20, () -> null != engine.observerStats("from-callback"),
                engine::healthReport);
            assertTrue(republished.get() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void unregisteringCutsCleanlyAtOneSequence(final Topology topology)
    {
        final MirrorObserver mirror = new MirrorObserver();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology).ringSize(64)
            .observer("mirror", ObserverRole.STANDARD, mirror)))
        {
            for (int i = 0; i < 200; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            engine.upsertAndWait(1, peer(500, 1, 1).build(), WAIT);
            final long cut = engine.view().eventSeq();
            assertEquals(cut, engine.unregister("mirror"), "the cut is the last event it was given");
            assertEquals(cut, mirror.lastSeq(), "given everything up to the cut by the time unregister returns");
            for (int i = 0; i < 200; i++)
            {
                engine.upsert(1, peer(1_000 + i, 1, 1).build());
            }
            engine.close();
            assertEquals(List.of(), mirror.problems());
            assertEquals(cut, mirror.lastSeq(), "every event before the cut, none after");
            assertEquals(201, mirror.peers().size());
            assertNull(engine.observerStats("mirror"));
        }
    }

    @Test
    void limitsAndDuplicateNamesAreRefusedClearly()
    {
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()))
        {
            for (int i = 0; i < io.peerlane.config.Configuration.MAX_OBSERVERS_DEFAULT; i++)
            {
                engine.register("o" + i, ObserverRole.STANDARD, e -> { });
            }
            final IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> engine.register("o50", ObserverRole.STANDARD, e -> { }));
            assertTrue(tooMany.getMessage().contains("maxObservers") && tooMany.getMessage().contains("50"),
                tooMany.getMessage());
            assertTrue(engine.unregister("o7") >= 0);
            assertEquals(PeerlaneEngine.NOT_REGISTERED, engine.unregister("o7"));
            final IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> engine.register("o8", ObserverRole.STANDARD, e -> { }));
            assertTrue(duplicate.getMessage().contains("already registered"), duplicate.getMessage());
            engine.register("o7", ObserverRole.CRITICAL, e -> { });
            assertNotNull(engine.observerStats("o7"));
            assertEquals(50, engine.observerStats().size());
        }
    }
}
