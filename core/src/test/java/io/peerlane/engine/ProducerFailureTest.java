package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.observer.ObserverRole;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.HoldingObserver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User code that runs while a producer publishes (the engine's clock, a {@link Mutation}'s own methods) and
 * an interrupt must never leave a claimed slot unpublished: that would hold every stage for ever. Each
 * failure reaches the producer as a clear exception, and the engine goes on: the next 1,000 mutations
 * commit, in both topologies.
 */
class ProducerFailureTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A clock that throws or interrupts its caller when told to, once. */
    static final class FaultyClock implements LongSupplier
    {
        final AtomicBoolean throwNext = new AtomicBoolean();
        final AtomicBoolean interruptNext = new AtomicBoolean();
        long now = 1_000;

        @Override
        public long getAsLong()
        {
            if (throwNext.compareAndSet(true, false))
            {
                throw new ArithmeticException("clock source gone");
            }
            if (interruptNext.compareAndSet(true, false))
            {
                Thread.currentThread().interrupt();
            }
            return now;
        }
    }

    /** Where a {@link UserUpsert}'s recorded-vote methods break. */
    enum Breaks
    {
        NOTHING, REFUSED_BY, REFUSAL_CAUSE
    }

    /**
     * An upsert made of user code: {@code record()} answers each call with the next of its answers (the last
     * one again once they run out), and its recorded-vote methods throw where {@link Breaks} says.
     */
    static final class UserUpsert implements Mutation
    {
        private final Breaks breaks;
        private final PeerRecord[] answers;
        private int calls;

        UserUpsert(final Breaks breaks, final PeerRecord... answers)
        {
            this.breaks = breaks;
            this.answers = answers;
        }

        int calls()
        {
            return calls;
        }

        @Override
        public MutationKind kind()
        {
            return MutationKind.UPSERT;
        }

        @Override
        public long time()
        {
            return 1_000;
        }

        @Override
        public PeerRecord record()
        {
            return answers[Math.min(calls++, answers.length - 1)];
        }

        @Override
        public NodeId id()
        {
            return null;
        }

        @Override
        public long lastSeen()
        {
            return 0;
        }

        @Override
        public Batch batch()
        {
            return null;
        }

        @Override
        public Ban ban()
        {
            return null;
        }

        @Override
        public String refusedBy(final int op)
        {
            if (breaks == Breaks.REFUSED_BY)
            {
                throw new IllegalArgumentException("refusedBy broke");
            }
            return breaks == Breaks.REFUSAL_CAUSE ? "gate" : null;
        }

        @Override
        public AbortCause refusalCause(final int op)
        {
            if (breaks == Breaks.REFUSAL_CAUSE)
            {
                throw new IllegalArgumentException("refusalCause broke");
            }
            return null;
        }
    }

    private static EngineContext context(final Topology topology, final FaultyClock clock)
    {
        return new EngineContext().topology(topology).clock(clock)
            .settings(RegistrySettings.builder().maxDevicesPerDid(0).maxPeers(10_000).build());
    }

    /** Publishes 1,000 new peers from {@code first} on and checks that every one committed. */
    private static void nextThousandCommit(final PeerlaneEngine engine, final Topology topology, final int first)
    {
        for (int i = first; i < first + 999; i++)
        {
            engine.upsert(peer(i, 1, 1).build());
        }
        final Outcome last = engine.upsertAndWait(peer(first + 999, 1, 1).build(), WAIT);
        assertEquals(OutcomeCode.ADDED, last.code(), topology + ": " + last);
        for (int i = first; i < first + 1000; i++)
        {
            assertNotNull(engine.get(peer(i, 1, 1).build().id()), topology + ": peer " + i + " missing");
        }
    }

    @Test
    void aClockThatThrowsGivesAClearErrorAndTheEngineGoesOn()
    {
        for (final Topology topology : Topology.values())
        {
            final FaultyClock clock = new FaultyClock();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, clock)))
            {
                clock.throwNext.set(true);
                final IllegalStateException thrown =
                    assertThrows(IllegalStateException.class, () -> engine.upsert(peer(1, 1, 1).build()));
                assertTrue(thrown.getMessage().contains("clock threw"), thrown.getMessage());
                assertTrue(thrown.getCause() instanceof ArithmeticException);
                clock.throwNext.set(true);
                assertThrows(IllegalStateException.class, () -> engine.upsertAndWait(peer(2, 1, 1).build(), WAIT));
                nextThousandCommit(engine, topology, 10);
                assertEquals(1000, engine.view().size(), topology.toString());
            }
        }
    }

    @Test
    void aMutationWhoseRefusedByOrRefusalCauseThrowsGivesItsErrorAndTheEngineGoesOn()
    {
        for (final Topology topology : Topology.values())
        {
            try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, new FaultyClock())))
            {
                final IllegalArgumentException inName = assertThrows(IllegalArgumentException.class,
                    () -> engine.publish(new UserUpsert(Breaks.REFUSED_BY, peer(1, 1, 1).build()), true));
                assertEquals("refusedBy broke", inName.getMessage());
                final IllegalArgumentException inCause = assertThrows(IllegalArgumentException.class,
                    () -> engine.publish(new UserUpsert(Breaks.REFUSAL_CAUSE, peer(2, 1, 1).build()), true));
                assertEquals("refusalCause broke", inCause.getMessage());
                nextThousandCommit(engine, topology, 10);
                assertEquals(1000, engine.view().size(), topology.toString());
            }
        }
    }

    @Test
    void aMutationIsReadOnceSoOneThatChangesItsAnswerCannotSlipAnUncheckedInputIn()
    {
        for (final Topology topology : Topology.values())
        {
            try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, new FaultyClock())))
            {
                final PeerRecord good = peer(1, 1, 1).build();
                final UserUpsert goodThenNull = new UserUpsert(Breaks.NOTHING, good, null);
                engine.publish(goodThenNull, false);
                assertEquals(1, goodThenNull.calls(), topology + ": record() read once");
                final UserUpsert nullThenGood = new UserUpsert(Breaks.NOTHING, null, peer(2, 1, 1).build());
                final InvalidInputException thrown =
                    assertThrows(InvalidInputException.class, () -> engine.publish(nullThenGood, false));
                assertTrue(thrown.getMessage().startsWith("peer: "), thrown.getMessage());
                assertEquals(1, nullThenGood.calls(), topology + ": record() read once");
                nextThousandCommit(engine, topology, 10);
                assertNotNull(engine.get(good.id()), topology + ": the first answer was committed");
                assertNull(engine.get(peer(2, 1, 1).build().id()), topology + ": the refused op left nothing");
            }
        }
    }

    @Test
    void anInterruptBetweenClaimAndPublishStillPublishesAndKeepsTheInterrupt()
    {
        for (final Topology topology : Topology.values())
        {
            final FaultyClock clock = new FaultyClock();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology, clock)))
            {
                clock.interruptNext.set(true);   // the clock runs after the claim, before the publish
                final Outcome outcome = engine.upsertAndWait(peer(1, 1, 1).build(), WAIT);
                assertEquals(OutcomeCode.ADDED, outcome.code(), topology.toString());
                assertTrue(Thread.interrupted(), "the interrupt is the caller's to see");
                nextThousandCommit(engine, topology, 10);
            }
        }
    }

    @Test
    void aProducerInterruptedWhileTheRingIsFullGetsAClearErrorAndHoldsNoSlot() throws Exception
    {
        for (final Topology topology : Topology.values())
        {
            final HoldingObserver gate = new HoldingObserver();
            final EngineContext ctx = context(topology, new FaultyClock()).ringSize(8)
                .observer("slow-subsystem", ObserverRole.STANDARD, gate);
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                int next = 5_000;
                engine.upsert(peer(next++, 1, 1).build());
                // Once the observer holds its lane inside a callback, nothing frees a slot: the ring is truly full.
                assertTrue(gate.entered.await(20, TimeUnit.SECONDS), topology + ": the observer got its first event");
                while (engine.tryUpsert(peer(next, 1, 1).build()) != PeerlaneEngine.RING_FULL)
                {
                    next++;
                }
                final int published = next - 5_000;
                Thread.currentThread().interrupt();
                final int id = next;
                final PublishInterruptedException thrown =
                    assertThrows(PublishInterruptedException.class, () -> engine.upsert(peer(id, 1, 1).build()));
                assertTrue(thrown.getMessage().contains("not published"), thrown.getMessage());
                assertTrue(Thread.interrupted(), "the interrupt stays set");
                gate.release.countDown();
                nextThousandCommit(engine, topology, 10);
                assertEquals(1000 + published, engine.view().size(), topology.toString());
                assertFalse(engine.get(peer(id, 1, 1).build().id()) != null, "the interrupted upsert was not published");
            }
        }
    }
}
