package io.peerlane.engine;

import io.peerlane.mutation.Batch;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class EngineSmokeTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(Topology.class)
    void addsUpdatesRemovesAndDeliversEvents(final Topology topology)
    {
        final AtomicInteger events = new AtomicInteger();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(64)
            .observer("counter", ObserverRole.STANDARD, e -> events.addAndGet(e.changeCount()))
            .observer("gate", ObserverRole.CRITICAL, new io.peerlane.observer.PeerObserver()
            {
                public Vote vote(final io.peerlane.peer.PeerRecord r)
                {
                    return r.id().equals(id(1)) && r.version() == 13 ? Vote.REJECT : Vote.ACCEPT;
                }

                public void onEvent(final io.peerlane.observer.RegistryEvent e)
                {
                }
            });
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final long now = System.currentTimeMillis();
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(peer(1, 1, now).build(), WAIT).code());
            assertNotNull(engine.view().get(id(1)));
            assertEquals(OutcomeCode.UPDATED, engine.upsertAndWait(peer(1, 2, now).build(), WAIT).code());
            assertEquals(OutcomeCode.STALE, engine.upsertAndWait(peer(1, 2, now).build(), WAIT).code());
            final Outcome vetoed = engine.upsertAndWait(peer(1, 13, now).build(), WAIT);
            assertEquals(OutcomeCode.ABORTED, vetoed.code());
            assertEquals("gate", vetoed.reason());
            final Outcome batch = engine.batchAndWait(
                Batch.builder().upsert(peer(2, 1, now).build()).remove(id(1)).build(), WAIT);
            assertEquals(OutcomeCode.BATCH_COMMITTED, batch.code());
            assertNull(engine.view().get(id(1)));
            for (int i = 0; i < 1000; i++)
            {
                engine.upsert(peer(3, i + 1, now).build());
            }
            assertEquals(OutcomeCode.REMOVED, engine.removeAndWait(id(3), WAIT).code());
        }
        assertEquals(1 + 1 + 2 + 1000 + 1, events.get());
    }
}
