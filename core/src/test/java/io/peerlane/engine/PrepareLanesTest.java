package io.peerlane.engine;

import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.PeerRecord;
import io.peerlane.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipelined topology without prepare lanes (the default): no prepare handler or thread is built, and the
 * critical votes run on the commit stage's thread just before each commit, for observers registered at
 * launch or later, deadlines included. With prepare lanes, each is a stage of its own.
 */
class PrepareLanesTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Refuses version 7 and notes the threads it voted on. */
    static final class Gate implements PeerObserver
    {
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public Vote vote(final PeerRecord proposed)
        {
            threads.add(Thread.currentThread().getName());
            return proposed.version() == 7 ? Vote.REJECT : Vote.ACCEPT;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
        }
    }

    @Test
    void pipelinedByDefaultHasNoPrepareLaneAndVotesOnTheCommitThread()
    {
        assertEquals(0, EngineContext.PREPARE_LANES_DEFAULT);
        final EngineContext ctx = new EngineContext().topology(Topology.PIPELINED).ringSize(64);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            assertEquals(0, ctx.prepareLanes());
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(1, 1, 1).build(), WAIT).code());
            final StageGraph graph = engine.stageGraph();
            assertNotNull(graph.commit.inlinePrepare(), "the commit stage runs the votes");
            assertEquals(1, graph.prepareLanes.length);
            assertSame(graph.commit.inlinePrepare(), graph.prepareLanes[0], "critical observers go to its lane");
            assertSame(graph.commit.activity, graph.prepareLanes[0].activity, "a hung vote is named as the commit's");
            final String health = engine.healthReport();
            assertFalse(health.contains("stage prepare-"), health);
            assertTrue(health.contains("stage commit at sequence"), health);

            // A critical observer registered after launch votes there, and its refusal aborts the upsert.
            final Gate gate = new Gate();
            engine.register("gate", ObserverRole.CRITICAL, gate);
            final Outcome refused = engine.upsertAndWait(1, peer(2, 7, 1).build(), WAIT);
            assertEquals(OutcomeCode.ABORTED, refused.code());
            assertEquals("gate", refused.reason());
            assertEquals(AbortCause.VETO, refused.cause());
            assertNull(engine.get(id(2)), "a vetoed upsert leaves the state untouched");
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(3, 1, 1).build(), WAIT).code());
            assertEquals(Set.of("peerlane-commit"), gate.threads, "the votes ran on the commit stage's thread");
            assertEquals(2, engine.observerStats("gate").votes());
            assertEquals(1, engine.observerStats("gate").vetoes());

            // Removed at its cut: the same record is then accepted.
            assertTrue(engine.unregister("gate") >= 0);
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(2, 7, 1).build(), WAIT).code());
        }
    }

    @Test
    void aVoteDeadlineHoldsTheCommitStageOnlyUpToIt()
    {
        final ObserverLifecycleTest.Hanging hanging = new ObserverLifecycleTest.Hanging();
        final EngineContext ctx = new EngineContext().topology(Topology.PIPELINED).ringSize(64).prepareLanes(0);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            engine.register("hung", ObserverRole.CRITICAL, hanging,
                ObserverOptions.defaults().voteDeadline(Duration.ofMillis(50)));
            final Outcome late = engine.upsertAndWait(1, peer(1, 99, 1).build(), WAIT);
            assertEquals(OutcomeCode.ABORTED, late.code());
            assertEquals("hung", late.reason());
            assertEquals(AbortCause.TIMEOUT, late.cause());
            // The commit stage went on past the hung vote: ops no critical vote looks at are decided meanwhile.
            assertEquals(OutcomeCode.TICKED, engine.tickAndWait(WAIT).code());
            assertEquals(1, hanging.entered.get());
            hanging.release.countDown();
            Await.until("the hung vote to return", 20, () -> engine.observerStats("hung").voteRunningMs() < 0,
                engine::healthReport);
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(2, 1, 1).build(), WAIT).code());
            assertEquals(1, engine.observerStats("hung").deadlineMisses());
        }
    }

    @Test
    void prepareLanesAreStagesOfTheirOwn()
    {
        final Gate gate = new Gate();
        final EngineContext ctx = new EngineContext().topology(Topology.PIPELINED).ringSize(64).prepareLanes(2)
            .observer("gate", ObserverRole.CRITICAL, gate);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            assertEquals(OutcomeCode.ABORTED, engine.upsertAndWait(1, peer(1, 7, 1).build(), WAIT).code());
            final StageGraph graph = engine.stageGraph();
            assertNull(graph.commit.inlinePrepare());
            assertEquals(2, graph.prepareLanes.length);
            final String health = engine.healthReport();
            assertTrue(health.contains("stage prepare-0 at sequence"), health);
            assertTrue(health.contains("stage prepare-1 at sequence"), health);
            assertEquals(1, gate.threads.size());
            assertTrue(gate.threads.iterator().next().startsWith("peerlane-prepare-"), gate.threads.toString());
        }
    }
}
