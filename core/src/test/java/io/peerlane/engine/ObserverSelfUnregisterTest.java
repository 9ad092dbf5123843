package io.peerlane.engine;

import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.testing.Await;
import io.peerlane.testing.MirrorObserver;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md: a callback that calls back into the registry must not deadlock. An observer of any role
 * unregisters itself from its own {@code onEvent}, in both topologies: the call returns at once, the observer
 * is given the events before its cut with no gap, nothing after, and the engine reports no error.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObserverSelfUnregisterTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int UPSERTS = 200;
    private static final long UNREGISTER_AT = 50;

    static Stream<Arguments> rolesAndTopologies()
    {
        final List<Arguments> args = new ArrayList<>();
        for (final ObserverRole role : ObserverRole.values())
        {
            for (final Topology topology : Topology.values())
            {
                args.add(Arguments.of(role, topology));
            }
        }
        return args.stream();
    }

    /** Unregisters itself when it is given event {@link #UNREGISTER_AT}, and records how that went. */
    static final class Quitter extends MirrorObserver
    {
        final AtomicReference<PeerlaneEngine> engine = new AtomicReference<>();
        final String name;
        final AtomicLong returned = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong tookNanos = new AtomicLong(-1);
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Quitter(final String name)
        {
            this.name = name;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            super.onEvent(event);
            if (event.seq() == UNREGISTER_AT)
            {
                final long start = System.nanoTime();
                try
                {
                    returned.set(engine.get().unregister(name));
                }
                catch (final Throwable ex)
                {
                    error.set(ex);
                }
                tookNanos.set(System.nanoTime() - start);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rolesAndTopologies")
    void observerUnregistersItselfFromItsOwnCallback(final ObserverRole role, final Topology topology)
    {
        final String name = "quitter-" + role + "-" + topology;
        final Quitter quitter = new Quitter(name);
        final LongAdder notAdded = new LongAdder();
        final MirrorObserver marker = new MirrorObserver();
        // A ring that never fills here: from a stage thread a full ring refuses a re-entrant publish.
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(1024)
            .settings(BestEffortRelayTest.unlimited())
            .outcomeListener((sequence, m, result) ->
            {
                if (result.code() != OutcomeCode.ADDED && result.code() != OutcomeCode.TICKED)
                {
                    notAdded.increment();
                }
            })
            // A deadline gives a critical observer its own voting thread in the pipelined topology.
            .observer(name, role, quitter, ObserverOptions.defaults().voteDeadline(Duration.ofSeconds(5)))
            // On the same (only) publish lane, after it: once this one has an event, the lane is past it.
            .observer("marker", ObserverRole.STANDARD, marker);
        final PrintStream err = System.err;
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(err, errors), true, StandardCharsets.UTF_8));
        try (PeerlaneEngine engine = new PeerlaneEngine(ctx))
        {
            quitter.engine.set(engine);
            engine.start();
            for (int i = 0; i < UPSERTS - 1; i++)
            {
                engine.upsert(1, peer(i, 1, 1).build());
            }
            engine.upsertAndWait(1, peer(UPSERTS - 1, 1, 1).build(), WAIT);
            Await.until("unregister, called from the callback, to return", 10, () -> quitter.tookNanos.get() >= 0,
                engine::healthReport);
            assertNull(quitter.error.get(), () -> "unregister threw " + quitter.error.get());
            assertTrue(quitter.tookNanos.get() < 1_000_000_000L, "returned within a second: " + quitter.tookNanos);
            assertEquals(PeerlaneEngine.CUT_PENDING, quitter.returned.get(), "from a callback the cut is not known yet");
            assertNull(engine.observerStats(name));
            if (role == ObserverRole.BEST_EFFORT)
            {
                Await.until("its relay to stop at the cut", 20, () -> !BestEffortRelayTest.relayThreadAlive(name),
                    engine::healthReport);
            }
            else
            {
                engine.upsertAndWait(1, peer(UPSERTS, 1, 1).build(), WAIT);
                final long after = engine.view().eventSeq();
                Await.until("the publish lane to pass the cut", 20, () -> marker.lastSeq() >= after,
                    engine::healthReport);
                assertTrue(quitter.lastSeq() < after, "not given the event after its unregistration");
            }
            final long last = quitter.lastSeq();
            assertTrue(last >= UNREGISTER_AT, "given the events before its cut: " + last);
            assertEquals(List.of(), quitter.problems());
            assertEquals(last, quitter.peers().size(), "one new peer per event, each given once");
            for (int i = 0; i < 100; i++)
            {
                engine.upsert(1, peer(1_000 + i, 1, 1).build());
            }
            engine.close();
            assertEquals(last, quitter.lastSeq(), "nothing after the cut");
            assertEquals(List.of(), marker.problems());
            assertEquals(0, notAdded.sum(), "every upsert was added: no vote went to a stopped voting thread");
            final String report = engine.healthReport();
            assertFalse(report.contains("ERRORS"), report);
        }
        finally
        {
            System.setErr(err);
        }
        final String logged = errors.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains(name) || logged.contains("failed to close"),
            "the error log stays quiet: " + logged.lines().limit(5).toList());
    }

    /** Writes to two streams: the test's standard error, and a copy the test reads. */
    static final class Tee extends OutputStream
    {
        private final PrintStream first;
        private final ByteArrayOutputStream second;

        Tee(final PrintStream first, final ByteArrayOutputStream second)
        {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(final int b)
        {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len)
        {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
