package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.PeerRecord;
import io.peerlane.testing.HoldingObserver;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR events, read back with {@link RecordingStream}: a hung critical vote yields the deadline event naming
 * the observer, its quarantine and its readmission yield theirs; a snapshot yields its event. Events are disabled
 * by default: with no recording asking for them none is made.
 */
class JfrEventsTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A critical observer whose votes take far longer than its deadline (late under any load). */
    private static final class Hung implements PeerObserver
    {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Vote vote(final PeerRecord proposed)
        {
            try
            {
                release.await(200, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void aHungVoteYieldsTheDeadlineEventAndAQuarantineItsEvent(final Topology topology) throws Exception
    {
        final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        try (RecordingStream stream = new RecordingStream())
        {
            stream.enable(VoteDeadlineEvent.NAME);
            stream.enable(ObserverQuarantineEvent.NAME);
            stream.onEvent(VoteDeadlineEvent.NAME, events::add);
            stream.onEvent(ObserverQuarantineEvent.NAME, events::add);
            stream.startAsync();
            final Hung hung = new Hung();
            final EngineContext ctx = new EngineContext().topology(topology).ringSize(64)
                .observer("hung", ObserverRole.CRITICAL, hung,
                    ObserverOptions.defaults().voteDeadline(Duration.ofMillis(20)).quarantineAfter(2));
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                for (int n = 1; n <= 2; n++)
                {
                    final Outcome outcome = engine.upsertAndWait(n, peer(n, 1, n).build(), WAIT);
                    assertEquals(OutcomeCode.ABORTED, outcome.code());
                    assertEquals(AbortCause.TIMEOUT, outcome.cause());
                }
                assertEquals("QUARANTINED", engine.observerStats("hung").state());
                hung.release.countDown();
                assertTrue(engine.readmit("hung"));
            }
            final List<RecordedEvent> deadline = new ArrayList<>();
            final List<RecordedEvent> quarantine = new ArrayList<>();
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((deadline.size() < 2 || quarantine.size() < 2) && System.nanoTime() < until)
            {
                final RecordedEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (null != e)
                {
                    (e.getEventType().getName().equals(VoteDeadlineEvent.NAME) ? deadline : quarantine).add(e);
                }
            }
            assertEquals(2, deadline.size(), "one deadline event per late vote: " + deadline);
            for (int i = 0; i < deadline.size(); i++)
            {
                final RecordedEvent e = deadline.get(i);
                assertEquals("hung", e.getString("observer"));
                assertEquals(Duration.ofMillis(20), e.getDuration("deadline"));
                // In the pipelined topology a vote asked while the hung one still runs is late at once.
                if (i == 0 || topology == Topology.COMPACT)
                {
                    assertTrue(e.getDuration("elapsed").compareTo(Duration.ofMillis(20)) >= 0, e.toString());
                }
            }
            assertEquals(2, quarantine.size(), "quarantined, then readmitted: " + quarantine);
            assertEquals("hung", quarantine.get(0).getString("observer"));
            assertTrue(quarantine.get(0).getBoolean("quarantined"));
            assertEquals("CRITICAL", quarantine.get(0).getString("role"));
            assertEquals(2, quarantine.get(0).getLong("deadlineMisses"));
            assertEquals("hung", quarantine.get(1).getString("observer"));
            assertFalse(quarantine.get(1).getBoolean("quarantined"), "the readmission");
        }
    }

    @Test
    void aSnapshotYieldsItsEvent(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        try (RecordingStream stream = new RecordingStream())
        {
            stream.enable(SnapshotEvent.NAME);
            stream.onEvent(SnapshotEvent.NAME, events::add);
            stream.startAsync();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()))
            {
                for (int n = 1; n <= 3; n++)
                {
                    engine.upsertAndWait(n, peer(n, 1, n).build(), WAIT);
                }
                engine.snapshot(dir.resolve("state.snap"), WAIT);
            }
            final RecordedEvent e = events.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "the snapshot event");
            assertEquals(3, e.getLong("peers"));
            assertEquals(dir.resolve("state.snap").toString(), e.getString("file"));
            assertTrue(e.getLong("sequence") >= 0);
        }
    }

    @Test
    void aBestEffortOverrunAndItsResyncYieldTheirEventsAndCounts() throws Exception
    {
        final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        final HoldingObserver slow = new HoldingObserver();
        try (RecordingStream stream = new RecordingStream())
        {
            stream.enable(BestEffortEvent.NAME);
            stream.onEvent(BestEffortEvent.NAME, events::add);
            stream.startAsync();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().ringSize(16)
                .observer("slow", ObserverRole.BEST_EFFORT, slow)))
            {
                engine.upsertAndWait(1, peer(1, 1, 1).build(), WAIT);
                assertTrue(slow.entered.await(30, TimeUnit.SECONDS), "the relay is held in its first callback");
                // Its queue holds a ring: more than that while it is held is an overrun.
                for (int n = 2; n <= 40; n++)
                {
                    engine.upsertAndWait(n, peer(n, 1, n).build(), WAIT);
                }
                slow.release.countDown();
                io.peerlane.testing.Await.until("the resync", 30,
                    () -> engine.counters().reader().getCounterValue(counterId(engine, CounterKind.OBSERVER_RESYNCS, "slow")) == 1,
                    engine::healthReport);
                assertEquals(1, engine.observerStats("slow").overruns());
            }
            final List<RecordedEvent> seen = new ArrayList<>();
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 2 && System.nanoTime() < until)
            {
                final RecordedEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (null != e)
                {
                    seen.add(e);
                }
            }
            assertEquals(2, seen.size(), seen.toString());
            assertEquals("slow", seen.get(0).getString("observer"));
            assertTrue(seen.get(0).getBoolean("overrun"), "the overrun first");
            assertEquals("slow", seen.get(1).getString("observer"));
            assertFalse(seen.get(1).getBoolean("overrun"), "then the resync");
            assertTrue(seen.get(1).getLong("eventSeq") >= 40, "the resync's snapshot is at or after the last event");
        }
    }

    @Test
    void aProducerHeldUpByAFullRingYieldsItsEvent() throws Exception
    {
        final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        final HoldingObserver holding = new HoldingObserver();
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        try (RecordingStream stream = new RecordingStream())
        {
            stream.enable(ProducerHeldUpEvent.NAME).withThreshold(Duration.ZERO);
            stream.onEvent(ProducerHeldUpEvent.NAME, events::add);
            stream.startAsync();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().ringSize(16)
                .observer("holding", ObserverRole.STANDARD, holding)))
            {
                final Thread producer = new Thread(() ->
                {
                    for (int n = 1; n <= 40; n++)
                    {
                        attempts.incrementAndGet();
                        engine.upsert(n, peer(n, 1, n).build());
                    }
                }, "held-producer");
                producer.start();
                assertTrue(holding.entered.await(30, TimeUnit.SECONDS));
                // The consumer is held on the first event: the ring's 16 slots fill and the 17th publish waits.
                // Parked at the 17th: inside the engine's wait for a slot, so it is held up whenever it is released.
                io.peerlane.testing.Await.until("the producer to wait at a full ring", 30, () -> attempts.get() == 17 &&
                    (producer.getState() == Thread.State.TIMED_WAITING || producer.getState() == Thread.State.WAITING),
                    () -> "attempts " + attempts.get() + ", " + producer.getState());
                holding.release.countDown();
                producer.join(30_000);
            }
            final RecordedEvent e = events.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "the held-up event");
            assertEquals("held-producer", e.getThread().getJavaName());
            assertTrue(e.getString("stage").contains("compact"), e.toString());
            assertTrue(e.getDuration().compareTo(Duration.ZERO) > 0, e.toString());
        }
    }

    private static int counterId(final PeerlaneEngine engine, final CounterKind kind, final String tag)
    {
        for (final EngineCounters.Entry entry : engine.counters().entries())
        {
            if (entry.kind() == kind && tag.equals(entry.tag()))
            {
                return entry.id();
            }
        }
        throw new AssertionError("no counter " + kind + " " + tag);
    }

    @Test
    void eventsAreDisabledByDefault()
    {
        assertFalse(VoteDeadlineEvent.enabled(), "no recording asks for it here");
        assertFalse(ProducerHeldUpEvent.enabled());
        assertFalse(new ObserverQuarantineEvent().isEnabled());
        assertFalse(new BestEffortEvent().isEnabled());
        assertFalse(new JournalFailureEvent().isEnabled());
        assertFalse(new SnapshotEvent().isEnabled());
    }
}
