package io.peerlane.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.RegistryStats;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Micrometer binder on a {@link SimpleMeterRegistry}: the meters are there, their values equal
 * {@code stats()} and {@code observerStats()} after a seeded load, and scraping never makes the writer wait nor
 * waits for it. Both are shown without timing: the writer commits thousands of ops while a scraper is held
 * inside a scrape, and a full scrape completes while the writer is held inside an observer's callback.
 */
class MeterBinderTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EngineContext context(final Topology topology, final RegistrySettings settings,
        final PeerObserver standard)
    {
        return new EngineContext().topology(topology).ringSize(1024).settings(settings)
            .observer("audit", ObserverRole.STANDARD, standard)
            .observer("gate", ObserverRole.CRITICAL, new PeerObserver()
            {
                @Override
                public Vote vote(final PeerRecord proposed)
                {
                    if (proposed.trust() > 0.95)
                    {
                        throw new IllegalStateException("too trusting");
                    }
                    return proposed.trust() < 0.2 ? Vote.REJECT : Vote.ACCEPT;
                }

                @Override
                public void onEvent(final RegistryEvent event)
                {
                }
            });
    }

    /** A seeded load with refusals of several kinds, vetoes and a throwing vote; returns the last op's time. */
    private static long load(final PeerlaneEngine engine, final Random random, final int ops)
    {
        final long[] versions = new long[2_000];
        long t = 0;
        for (int i = 0; i < ops; i++)
        {
            t = i;
            final int n = random.nextInt(versions.length);
            final int kind = random.nextInt(20);
            if (kind == 0)
            {
                engine.remove(t, Peers.id(n));
                continue;
            }
            final long version = kind == 1 ? versions[n] : ++versions[n];
            final double trust = kind == 2 ? 0.1 : kind == 3 ? 0.99 : 0.5;
            engine.upsert(t, Peers.peer(n, version, t).trust(trust).build());
        }
        final Outcome last = engine.upsertAndWait(t, Peers.peer(100_000, 1, t).build(), WAIT);
        assertNotNull(last);
        return t;
    }

    private static double value(final MeterRegistry registry, final String name, final String key, final String tag)
    {
        final var search = null == key ? registry.find(name) : registry.find(name).tag(key, tag);
        final FunctionCounter counter = search.functionCounter();
        if (null != counter)
        {
            return counter.count();
        }
        final Gauge gauge = search.gauge();
        assertNotNull(gauge, name + " " + key + "=" + tag + " is registered");
        return gauge.value();
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void metersArePresentAndEqualStats(final Topology topology)
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("seed=" + seed);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final RegistrySettings settings = RegistrySettings.builder().maxPeers(1_000).maxPeersPerSubnet(4).build();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, settings, e -> { })))
        {
            new PeerlaneMeterBinder(engine.counters(), "engine", "test").bindTo(registry);
            load(engine, new Random(seed), 30_000);
            engine.close();
            final RegistryStats stats = engine.stats();
            long refused = 0;
            for (final OutcomeCode code : OutcomeCode.values())
            {
                assertEquals(stats.outcomes(code), value(registry, "peerlane.outcomes", "outcome", code.name()),
                    code.name() + ", seed " + seed);
            }
            for (final Refusal refusal : Refusal.values())
            {
                refused += stats.reasons(refusal.name());
                assertEquals(stats.reasons(refusal.name()), value(registry, "peerlane.refusals", "reason", refusal.name()),
                    refusal.name() + ", seed " + seed);
            }
            assertTrue(refused > 0 && stats.outcomes(OutcomeCode.ABORTED) > 0, "the load refused and aborted: " + stats.reasons());
            for (final ObserverStats s : engine.observerStats())
            {
                assertEquals(s.delivered(), value(registry, "peerlane.observer.events", "observer", s.name()), s.name());
                assertEquals(s.votes(), value(registry, "peerlane.observer.votes", "observer", s.name()), s.name());
                assertEquals(s.vetoes(), value(registry, "peerlane.observer.vetoes", "observer", s.name()), s.name());
                assertEquals(s.failures(), value(registry, "peerlane.observer.failures", "observer", s.name()), s.name());
            }
            assertTrue(engine.observerStats("gate").failures() > 0 && engine.observerStats("gate").vetoes() > 0);
            assertEquals(engine.view().size(), value(registry, "peerlane.peers.live", null, null));
            assertEquals(1024, value(registry, "peerlane.ring.capacity", null, null));
            assertEquals("test", registry.find("peerlane.outcomes").tag("outcome", "ADDED").functionCounter()
                .getId().getTag("engine"), "the common tags");
        }
    }

    /** Reads every meter of the registry once, as a scrape does. */
    private static long scrape(final MeterRegistry registry)
    {
        long values = 0;
        for (final Meter meter : registry.getMeters())
        {
            for (final Measurement m : meter.measure())
            {
                values += (long)m.getValue() >= 0 ? 1 : 0;
            }
        }
        return values;
    }

    @Test
    void theWriterCommitsWhileAScraperIsHeldInsideAScrape() throws Exception
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong scrapes = new AtomicLong();
        final ExecutorService scraper = Executors.newSingleThreadExecutor();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(context(Topology.COMPACT, RegistrySettings.defaults(), e -> { })))
        {
            new PeerlaneMeterBinder(engine.counters()).bindTo(registry);
            // A meter of some other library whose value blocks, the way a gauge behind a busy monitor does: the
            // scraper's first scrape is stuck inside it, with the engine's meters read before or after it.
            Gauge.builder("zz.blocking", release, latch ->
            {
                inside.countDown();
                try
                {
                    latch.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }).register(registry);
            final Future<?> scraping = scraper.submit(() ->
            {
                while (!stop.get())
                {
                    scrape(registry);
                    scrapes.incrementAndGet();
                }
                return null;
            });
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the scraper is inside a scrape");
            final long committedBefore = engine.stats().outcomes(OutcomeCode.ADDED);
            // 20,000 ops, 20 rings' worth: the writer could not get through them if it waited for the scraper.
            load(engine, new Random(7), 20_000);
            assertEquals(0, scrapes.get(), "the scraper was inside its first scrape throughout");
            assertTrue(engine.stats().outcomes(OutcomeCode.ADDED) > committedBefore + 1_000);
            release.countDown();
            // Then a scraper that keeps scraping during a whole run of 50,000 ops.
            final long scrapesBefore = scrapes.get();
            load(engine, new Random(8), 50_000);
            engine.close();
            stop.set(true);
            scraping.get(60, TimeUnit.SECONDS);
            assertTrue(scrapes.get() > scrapesBefore, "it scraped during the run");
            assertEquals(engine.stats().outcomes(OutcomeCode.ADDED), value(registry, "peerlane.outcomes", "outcome", "ADDED"));
        }
        finally
        {
            release.countDown();
            stop.set(true);
            scraper.shutdownNow();
        }
    }

    @Test
    void aScrapeCompletesWhileTheWriterIsHeldInsideACallback() throws Exception
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ExecutorService scraper = Executors.newSingleThreadExecutor();
        final PeerObserver holding = event ->
        {
            if (event.seq() == 5)
            {
                inside.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (PeerlaneEngine engine = PeerlaneEngine.launch(context(Topology.COMPACT, RegistrySettings.defaults(), holding)))
        {
            new PeerlaneMeterBinder(engine.counters()).bindTo(registry);
            for (int n = 1; n <= 10; n++)
            {
                engine.upsert(n, Peers.peer(n, 1, n).build());
            }
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the compact thread (the single writer) is held in a callback");
            final Future<Long> scrape = scraper.submit(() -> scrape(registry));
            assertTrue(scrape.get(30, TimeUnit.SECONDS) > 0, "a full scrape completed while the writer was held");
            assertTrue(engine.healthReport().contains("in observer 'audit'"), "and so does the health report");
            release.countDown();
        }
        finally
        {
            release.countDown();
            scraper.shutdownNow();
        }
    }
    @Test
    void anObserverRegisteredAgainUnderItsNameIsBoundToItsNewCounters()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()))
        {
            engine.register("again", ObserverRole.STANDARD, e -> { });
            final PeerlaneMeterBinder binder = new PeerlaneMeterBinder(engine.counters());
            binder.bindTo(registry);
            engine.upsertAndWait(1, Peers.peer(1, 1, 1).build(), WAIT);
            io.peerlane.testing.Await.until("one event delivered", 30,
                () -> value(registry, "peerlane.observer.events", "observer", "again") == 1, () -> "");
            engine.unregister("again");
            io.peerlane.testing.Await.until("its counters freed", 30,
                () -> Double.isNaN(value(registry, "peerlane.observer.events", "observer", "again")),
                () -> engine.counters().entries().toString());
            engine.register("again", ObserverRole.STANDARD, e -> { });
            binder.bindTo(registry);
            assertEquals(0, value(registry, "peerlane.observer.events", "observer", "again"), "the new counters");
            engine.upsertAndWait(2, Peers.peer(2, 1, 2).build(), WAIT);
            io.peerlane.testing.Await.until("its first event", 30,
                () -> value(registry, "peerlane.observer.events", "observer", "again") == 1, () -> "");
            assertEquals(1, registry.find("peerlane.observer.events").tag("observer", "again").meters().size());
        }
    }
}
