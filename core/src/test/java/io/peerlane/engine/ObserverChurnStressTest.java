package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.Change;
import io.peerlane.state.RegistryView;
import io.peerlane.testing.Await;
import io.peerlane.testing.RandomWorkload;
import io.peerlane.testing.SlowMirror;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four producers, and a slow best-effort observer registered and unregistered in a loop, a fresh one each
 * time, at random slowness (some overrun and are re-synchronised, some are cut while overrun). A standard
 * recorder, registered first, records every event; the registry at event seq E is the replay of its events
 * up to E. Every snapshot a best-effort observer was given must be that registry at the snapshot's
 * {@code eventSeq()}, its events must run on from each snapshot with no gap and no duplicate, and what it
 * rebuilt must be that registry at its last event, which is its cut unless it was overrun at the cut.
 */
@Tag("stress")
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObserverChurnStressTest
{
    private static final int PRODUCERS = 4;
    private static final int OPS_PER_PRODUCER = 150_000;
    private static final long PRODUCE_FOR_NANOS = TimeUnit.SECONDS.toNanos(12);
    private static final String NAME = "churn";

    /** One change of an event, kept past the callback. */
    record Step(ChangeType type, NodeId id, PeerRecord record)
    {
    }

    /** Records every event it is given; registered first, so from event 1 on. */
    static final class Recorder implements PeerObserver
    {
        final List<List<Step>> events = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        volatile long snapshotSeq = -1;

        @Override
        public void onSnapshot(final RegistryView snapshot)
        {
            snapshotSeq = snapshot.eventSeq();
            if (snapshot.size() != 0)
            {
                problems.add("the recorder's snapshot is not empty");
            }
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            if (event.seq() != events.size() + 1)
            {
                problems.add("recorder: event " + event.seq() + " after " + events.size());
            }
            final List<Step> steps = new ArrayList<>(event.changeCount());
            for (int i = 0; i < event.changeCount(); i++)
            {
                final Change c = event.change(i);
                steps.add(new Step(c.type(), c.id(), c.record()));
            }
            events.add(steps);
        }
    }

    /** A slow best-effort mirror that keeps each snapshot it is given and whether its last word was an overrun. */
    static final class Churner extends SlowMirror
    {
        final List<RegistryView> snapshots = new ArrayList<>();
        volatile boolean overrunLast;
        volatile long events;

        Churner(final long pauseNanos)
        {
            super(pauseNanos);
        }

        @Override
        public void onSnapshot(final RegistryView snapshot)
        {
            synchronized (this)
            {
                snapshots.add(snapshot);
            }
            overrunLast = false;
            super.onSnapshot(snapshot);
        }

        @Override
        public void onOverrun(final long lastSeenSeq)
        {
            if (lastSeenSeq != lastSeq())
            {
                throw new AssertionError("onOverrun(" + lastSeenSeq + ") after event " + lastSeq());
            }
            overrunLast = true;
            super.onOverrun(lastSeenSeq);
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            super.onEvent(event);
            events++;
        }
    }

    /** One registration of the churning observer, from its snapshot to its cut. */
    record Cycle(int index, long pauseNanos, Churner churner, long cut)
    {
    }

    /** A point where the replay is compared with what a best-effort observer had. */
    record Checkpoint(long eventSeq, List<PeerRecord> expected, String where)
    {
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void churningBestEffortObserverAlwaysRebuildsTheRegistryAtItsCut(final Topology topology) throws Exception
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("ObserverChurnStressTest seed=" + seed + " topology=" + topology);
        final SplittableRandom random = new SplittableRandom(seed);
        final RegistrySettings settings = RegistrySettings.builder().maxPeers(48).peerTtlMs(400).tombstoneTtlMs(300)
            .maxTombstones(10).maxDevicesPerDid(2).maxPeersPerSubnet(6).build();
        final Recorder recorder = new Recorder();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(256).settings(settings)
            .observer("recorder", ObserverRole.STANDARD, recorder);
        final AtomicLong clock = new AtomicLong(1_000);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Cycle> cycles = new ArrayList<>();
        final long[] pauses = {0, 20_000, 200_000, 1_000_000};
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        final CountDownLatch done = new CountDownLatch(PRODUCERS);
        final long stopAt = System.nanoTime() + PRODUCE_FOR_NANOS;
        for (int p = 0; p < PRODUCERS; p++)
        {
            final RandomWorkload workload = new RandomWorkload(seed * 17 + p, 64, clock);
            final SplittableRandom pacing = new SplittableRandom(seed * 31 + p);
            final Thread producer = new Thread(() ->
            {
                try
                {
                    // Bursts with pauses between: a slow observer overruns in some and catches up in others.
                    for (int i = 0; i < OPS_PER_PRODUCER && System.nanoTime() - stopAt < 0; )
                    {
                        for (int burst = 1 + pacing.nextInt(2_000); burst > 0; burst--, i++)
                        {
                            workload.publishOne(engine);
                        }
                        LockSupport.parkNanos(pacing.nextLong(5_000_000));
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
            }, "churn-producer-" + p);
            producer.setDaemon(true);
            producer.start();
        }

        long previousCut = 0;
        while (done.getCount() > 0)
        {
            final long pause = pauses[random.nextInt(pauses.length)];
            final long wanted = random.nextInt(4) == 0 ? 0 : random.nextInt(600);
            final Churner churner = new Churner(pause);
            engine.register(NAME, ObserverRole.BEST_EFFORT, churner);
            Await.until("cycle " + cycles.size() + " to be given " + wanted + " events", 60,
                () -> churner.events >= wanted || done.getCount() == 0, engine::healthReport);
            final long cut = engine.unregister(NAME);
            final Cycle cycle = new Cycle(cycles.size(), pause, churner, cut);
            cycles.add(cycle);
            final String where = where(seed, topology, cycle);
            assertTrue(cut >= previousCut, where + ": cut " + cut + " before the previous one " + previousCut);
            assertTrue(churner.snapshots.get(0).eventSeq() >= previousCut, where + ": registered before the last cut");
            assertEquals(List.of(), churner.problems(), where);
            if (churner.overrunLast)
            {
                assertTrue(churner.lastSeq() < cut, where + ": told of an overrun, yet given up to its cut " + cut);
            }
            else
            {
                assertEquals(cut, churner.lastSeq(), where + ": given every event up to its cut, none after");
            }
            previousCut = cut;
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertNull(failure.get(), () -> "a producer failed: " + failure.get());
        engine.close();
        final long lastSeq = engine.view().eventSeq();

        assertEquals(List.of(), recorder.problems);
        assertEquals(0, recorder.snapshotSeq);
        assertEquals(lastSeq, recorder.events.size(), "the recorder has every event");

        final List<Checkpoint> checkpoints = new ArrayList<>();
        int overrunCycles = 0;
        int cutWhileOverrun = 0;
        for (final Cycle cycle : cycles)
        {
            final String where = where(seed, topology, cycle);
            final Churner churner = cycle.churner();
            for (int i = 0; i < churner.snapshots.size(); i++)
            {
                final RegistryView snapshot = churner.snapshots.get(i);
                checkpoints.add(new Checkpoint(snapshot.eventSeq(), snapshot.sortedById(), where + " snapshot " + i));
            }
            checkpoints.add(new Checkpoint(churner.lastSeq(), churner.peers(), where + " at its last event"));
            // A snapshot after each overrun, but for one at the cut.
            assertEquals(churner.snapshots.size() - 1 + (churner.overrunLast ? 1 : 0), churner.overruns(), where);
            overrunCycles += churner.overruns() > 0 ? 1 : 0;
            cutWhileOverrun += churner.overrunLast ? 1 : 0;
        }
        checkpoints.sort(Comparator.comparingLong(Checkpoint::eventSeq));
        final TreeMap<NodeId, PeerRecord> registry = new TreeMap<>();
        long replayed = 0;
        for (final Checkpoint checkpoint : checkpoints)
        {
            while (replayed < checkpoint.eventSeq())
            {
                for (final Step step : recorder.events.get((int)replayed))
                {
                    if (step.type() == ChangeType.REMOVED)
                    {
                        registry.remove(step.id());
                    }
                    else
                    {
                        registry.put(step.id(), step.record());
                    }
                }
                replayed++;
            }
            EngineModelTest.assertSameState(new ArrayList<>(registry.values()), checkpoint.expected(),
                checkpoint.where() + " (event seq " + checkpoint.eventSeq() + ")");
        }
        System.out.println("ObserverChurnStressTest " + topology + ": " + cycles.size() + " cycles, " + lastSeq +
            " events, " + overrunCycles + " cycles overran, " + cutWhileOverrun + " cut while overrun, " +
            checkpoints.size() + " checkpoints compared");
        assertTrue(cycles.size() >= 10, "only " + cycles.size() + " cycles");
    }

    private static String where(final long seed, final Topology topology, final Cycle cycle)
    {
        return "seed " + seed + " " + topology + " cycle " + cycle.index() + " (pause " + cycle.pauseNanos() + " ns)";
    }
}
