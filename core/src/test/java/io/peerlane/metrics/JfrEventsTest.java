package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.ObserverOptions;
import io.peerlane.engine.Outcome;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.OutcomeCode;
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
