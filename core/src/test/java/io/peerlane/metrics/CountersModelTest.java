package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.Peers;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Counters against a sequential model under many threads and seeds: four producers publish seeded random ops
 * while a reader thread reads every counter in a loop; once the engine has closed, every outcome and refusal
 * count equals the count of the outcome listener's log (the commit order, one thread) and every observer's counts
 * equal what its callbacks saw; throughout, no counter that only grows was ever read going down.
 */
class CountersModelTest
{
    private static final int PRODUCERS = 4;
    private static final int OPS = 2_000;
    private static final int SEEDS = 4;

    /** Counts what an observer's callbacks saw; each observer's callbacks run on one thread at a time. */
    private static final class Seen implements PeerObserver
    {
        volatile long events;
        volatile long votes;
        volatile long vetoes;

        @Override
        public Vote vote(final PeerRecord proposed)
        {
            votes++;
            if (proposed.trust() < 0.2)
            {
                vetoes++;
                return Vote.REJECT;
            }
            return Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            events++;
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void countersEqualTheSequentialModel(final Topology topology) throws Exception
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        for (int s = 0; s < SEEDS; s++)
        {
            final long seed = base + s;
            System.out.println("seed=" + seed + " topology=" + topology);
            run(topology, seed);
        }
    }

    private static void run(final Topology topology, final long seed) throws Exception
    {
        final long[] outcomes = new long[OutcomeCode.values().length];
        final long[] refusals = new long[Refusal.values().length];
        final Seen standard = new Seen();
        final Seen critical = new Seen();
        final Seen bestEffort = new Seen();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(128)
            .settings(RegistrySettings.builder().maxPeers(300).maxPeersPerSubnet(3).build())
            .outcomeListener((sequence, mutation, result) ->
            {
                outcomes[result.code().ordinal()]++;
                final Refusal refusal = result.refusal();
                if (null != refusal)
                {
                    refusals[refusal.ordinal()]++;
                }
            })
            .observer("standard", ObserverRole.STANDARD, standard)
            .observer("critical", ObserverRole.CRITICAL, critical)
            .observer("best-effort", ObserverRole.BEST_EFFORT, bestEffort);
        final AtomicBoolean reading = new AtomicBoolean(true);
        final AtomicReference<String> wentDown = new AtomicReference<>();
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        final Thread reader = new Thread(() -> readMonotone(engine.counters(), reading, wentDown), "counters-reader");
        reader.start();
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++)
        {
            final int producer = p;
            final Random random = new Random(seed * 31 + p);
            producers.add(new Thread(() ->
            {
                final long[] versions = new long[200];
                for (int i = 0; i < OPS; i++)
                {
                    // Each producer owns the ids n % PRODUCERS == producer, so its versions increase per id.
                    final int slot = random.nextInt(versions.length);
                    final int n = slot * PRODUCERS + producer;
                    final int kind = random.nextInt(10);
                    if (kind == 0)
                    {
                        engine.remove(i, Peers.id(n));
                    }
                    else if (kind == 1)
                    {
                        engine.touch(i, Peers.id(n), i);
                    }
                    else
                    {
                        final long version = kind == 2 ? versions[slot] : ++versions[slot];
                        engine.upsert(i, Peers.peer(n, version, i).trust(kind == 3 ? 0.1 : 0.5).build());
                    }
                }
            }));
        }
        producers.forEach(Thread::start);
        for (final Thread t : producers)
        {
            t.join();
        }
        final List<ObserverStats> stats;
        engine.close();
        reading.set(false);
        reader.join();
        assertNull(wentDown.get(), "seed " + seed);
        stats = engine.observerStats();
        final EngineCounters counters = engine.counters();
        long total = 0;
        for (final OutcomeCode code : OutcomeCode.values())
        {
            total += outcomes[code.ordinal()];
            assertEquals(outcomes[code.ordinal()], value(counters, CounterKind.OUTCOMES, code.name()), code + ", seed " + seed);
        }
        assertEquals((long)PRODUCERS * OPS, total, "seed " + seed);
        for (final Refusal refusal : Refusal.values())
        {
            assertEquals(refusals[refusal.ordinal()], value(counters, CounterKind.REFUSALS, refusal.name()),
                refusal + ", seed " + seed);
        }
        assertEquals(standard.events, value(counters, CounterKind.OBSERVER_EVENTS, "standard"), "seed " + seed);
        assertEquals(critical.events, value(counters, CounterKind.OBSERVER_EVENTS, "critical"), "seed " + seed);
        assertEquals(critical.votes, value(counters, CounterKind.OBSERVER_VOTES, "critical"), "seed " + seed);
        assertEquals(critical.vetoes, value(counters, CounterKind.OBSERVER_VETOES, "critical"), "seed " + seed);
        assertEquals(bestEffort.events, value(counters, CounterKind.OBSERVER_EVENTS, "best-effort"), "seed " + seed);
        for (final ObserverStats s : stats)
        {
            assertEquals(s.delivered(), value(counters, CounterKind.OBSERVER_EVENTS, s.name()), s.name());
        }
    }

    private static long value(final EngineCounters counters, final CounterKind kind, final String tag)
    {
        for (final EngineCounters.Entry e : counters.entries())
        {
            if (e.kind() == kind && java.util.Objects.equals(tag, e.tag()))
            {
                return counters.value(e.id());
            }
        }
        throw new AssertionError("no counter " + kind.label(tag));
    }

    private static void readMonotone(final EngineCounters counters, final AtomicBoolean reading,
        final AtomicReference<String> wentDown)
    {
        final CountersReader reader = counters.reader();
        final long[] last = new long[reader.maxCounterId() + 1];
        while (reading.get())
        {
            for (final EngineCounters.Entry e : counters.entries())
            {
                if (e.kind().monotonic())
                {
                    final long v = reader.getCounterValue(e.id());
                    if (v < last[e.id()] && null == wentDown.get())
                    {
                        wentDown.set(e.kind().label(e.tag()) + " read " + v + " after " + last[e.id()]);
                    }
                    last[e.id()] = v;
                }
            }
            Thread.yield();
        }
    }
}
