package io.peerlane.engine;

import io.peerlane.model.CommitLines;
import io.peerlane.model.ReferenceModel;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.testing.RandomWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Four producers publish random mutations concurrently; the commit order is recorded; a sequential model
 * fed the same commit order must give the same outcome for every mutation and the same final state, and
 * every published mutation must have exactly one outcome. Many seeds, both topologies, the pipelined one with
 * prepare lanes and without.
 */
class EngineModelTest
{
    static final int PRODUCERS = 4;
    static final int OPS_PER_PRODUCER = 400;
    static final int SEEDS = 12;

    static Stream<Arguments> seeds()
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        final List<Arguments> args = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++)
        {
            args.add(Arguments.of(base + i, Topology.COMPACT, 1));
            // Pipelined with prepare lanes ahead of commit, and with none (the votes on the commit thread).
            args.add(Arguments.of(base + i, Topology.PIPELINED, 2));
            args.add(Arguments.of(base + i, Topology.PIPELINED, 0));
        }
        return args.stream();
    }

    static RegistrySettings settings()
    {
        return RegistrySettings.builder().maxPeers(12).peerTtlMs(400).tombstoneTtlMs(300).maxTombstones(10)
            .maxDevicesPerDid(2).maxPeersPerSubnet(3).build();
    }

    /** A critical observer whose vote depends on the record alone. */
    static final class Gate implements PeerObserver
    {
        @Override
        public Vote vote(final PeerRecord proposed)
        {
            return (proposed.version() * 31 + proposed.id().word(3)) % 11 == 0 ? Vote.REJECT : Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
        }
    }

    /** A critical observer that sometimes throws from its vote. */
    static final class Flaky implements PeerObserver
    {
        @Override
        public Vote vote(final PeerRecord proposed)
        {
            if (proposed.version() == 5 && proposed.id().word(3) % 3 == 0)
            {
                throw new IllegalStateException("flaky vote");
            }
            return Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
        }
    }

    @ParameterizedTest(name = "seed {0} {1} prepareLanes {2}")
    @MethodSource("seeds")
    void concurrentProducersMatchSequentialModel(final long seed, final Topology topology, final int prepareLanes)
        throws Exception
    {
        System.out.println("EngineModelTest seed=" + seed + " topology=" + topology + " prepareLanes=" + prepareLanes);
        final List<Long> commitOrder = Collections.synchronizedList(new ArrayList<>());
        final List<MutationValue> ops = new ArrayList<>();
        final List<CommitResult> outcomes = new ArrayList<>();
        final EngineContext ctx = new EngineContext()
            .topology(topology).ringSize(256).prepareLanes(prepareLanes).publishLanes(2)
            .settings(settings())
            .observer("gate", ObserverRole.CRITICAL, new Gate())
            .observer("flaky", ObserverRole.CRITICAL, new Flaky(), ObserverOptions.defaults().quarantineAfter(0))
            .outcomeListener((sequence, m, result) ->
            {
                commitOrder.add(sequence);
                ops.add(MutationValue.copyOf(m));
                final CommitResult copy = new CommitResult();
                copy.copyFrom(result);
                outcomes.add(copy);
            });
        final ConcurrentHashMap<Long, Boolean> published = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong clock = new AtomicLong(1_000);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final CountDownLatch done = new CountDownLatch(PRODUCERS);
            for (int p = 0; p < PRODUCERS; p++)
            {
                final RandomWorkload workload = new RandomWorkload(seed * 31 + p, 24, clock);
                final Thread producer = new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < OPS_PER_PRODUCER; i++)
                        {
                            final long sequence = workload.publishOne(engine);
                            assertNull(published.put(sequence, Boolean.TRUE), "sequence given twice " + sequence);
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
                }, "producer-" + p);
                producer.start();
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "producers did not finish in 60 s");
            if (null != failure.get())
            {
                fail("producer failed, seed " + seed, failure.get());
            }
            engine.close();
            System.out.println("outcomes " + engine.stats().outcomes() + " reasons " + engine.stats().reasons() + " live " + engine.view().size());
            assertEquals(PRODUCERS * OPS_PER_PRODUCER, published.size());

            // Exactly one outcome per mutation (registrations are control events, not mutations).
            assertEquals(published.size(), commitOrder.size(), "outcomes vs published, seed " + seed);
            assertEquals(published.keySet(), new java.util.HashSet<>(commitOrder), "seed " + seed);

            // The simple sequential model (written from TRACE.md alone), fed the same commit order with the
            // same votes: the same outcome and event lines for every mutation, and the same final state.
            final ReferenceModel model = new ReferenceModel(settings());
            for (int i = 0; i < ops.size(); i++)
            {
                final List<String> expected = model.apply(i + 1, ops.get(i));
                final List<String> actual = CommitLines.of(i + 1, outcomes.get(i));
                assertEquals(expected, actual, "op " + i + " seq " + commitOrder.get(i) + " seed " + seed);
            }
            assertEquals(model.stateLines(), CommitLines.state(engine.view()), "final state, seed " + seed);
        }
    }

    static void assertSameState(final List<PeerRecord> expected, final List<PeerRecord> actual, final String where)
    {
        assertEquals(expected.size(), actual.size(), where);
        for (int i = 0; i < expected.size(); i++)
        {
            assertTrue(expected.get(i).equals(actual.get(i)), where + ": " + expected.get(i) + " vs " + actual.get(i));
        }
    }
}
