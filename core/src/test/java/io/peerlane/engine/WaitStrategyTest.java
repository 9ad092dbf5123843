package io.peerlane.engine;

import io.peerlane.observer.ObserverRole;
import io.peerlane.outcome.OutcomeCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every wait strategy runs the pipeline to the same end: a producer that keeps the ring full (so the
 * producer gate's batched wake-ups are exercised on a small ring), then one that waits for each outcome
 * (so the consumer goes idle and is woken every time), in both topologies.
 */
class WaitStrategyTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void everyStrategyDrainsAFullRingAndWakesForSingleEvents(final WaitStrategyKind wait)
    {
        for (final Topology topology : Topology.values())
        {
            final AtomicLong delivered = new AtomicLong();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology).waitStrategy(wait)
                .ringSize(16).observer("count", ObserverRole.STANDARD, e -> delivered.addAndGet(e.changeCount()))))
            {
                for (int i = 0; i < 2_000; i++)
                {
                    engine.upsert(1, peer(i % 100, 1 + i / 100, 1).build());
                }
                for (int i = 0; i < 50; i++)
                {
                    assertEquals(OutcomeCode.UPDATED,
                        engine.upsertAndWait(1, peer(i, 1_000 + i, 1).build(), WAIT).code(), wait + " " + topology);
                }
                assertEquals(100, engine.view().size(), wait + " " + topology);
                assertEquals(1_000 + 7, engine.get(peer(7, 1, 1).build().id()).version(), wait + " " + topology);
            }
            assertEquals(2_050, delivered.get(), "every event delivered before close returned: " + wait + " " + topology);
        }
    }
}
