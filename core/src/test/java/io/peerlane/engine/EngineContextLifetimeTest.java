package io.peerlane.engine;

import io.peerlane.config.Configuration;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine context is a builder until {@code conclude()} (run by launch) and frozen after it: every setter
 * then throws naming the setting, and the running engine is untouched. System properties are read by
 * {@code conclude()}, never by the constructor, and a bad one is refused naming the property and the value.
 */
class EngineContextLifetimeTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void everySetterThrowsAfterLaunchAndTheEngineGoesOn()
    {
        for (final Topology topology : Topology.values())
        {
            // The peers are seen at 1 ms of the epoch: a clock there keeps them from expiring.
            final EngineContext ctx = new EngineContext().topology(topology).maxObservers(2).clock(() -> 1_000)
                .settings(RegistrySettings.builder().maxDevicesPerDid(0).build());
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                final Map<String, Executable> setters = new LinkedHashMap<>();
                setters.put("ringSize", () -> ctx.ringSize(16));
                setters.put("topology", () -> ctx.topology(Topology.PIPELINED));
                setters.put("waitStrategy", () -> ctx.waitStrategy(WaitStrategyKind.YIELDING));
                setters.put("prepareLanes", () -> ctx.prepareLanes(2));
                setters.put("publishLanes", () -> ctx.publishLanes(2));
                setters.put("maxObservers", () -> ctx.maxObservers(100));
                setters.put("settings", () -> ctx.settings(RegistrySettings.defaults()));
                setters.put("admissionRule", () -> ctx.admissionRule((proposed, current, state) -> null));
                setters.put("observer", () -> ctx.observer("late", ObserverRole.STANDARD, event -> { }));
                setters.put("clock", () -> ctx.clock(() -> 0));
                setters.put("tickIntervalMs", () -> ctx.tickIntervalMs(10));
                setters.put("outcomeListener", () -> ctx.outcomeListener((sequence, mutation, result) -> { }));
                setters.put("closeTimeout", () -> ctx.closeTimeout(Duration.ZERO));
                setters.put("journal", () -> ctx.journal(null));
                setters.put("journalFailurePolicy", () -> ctx.journalFailurePolicy(JournalFailurePolicy.DROP_JOURNAL));
                setters.put("restoreFrom", () -> ctx.restoreFrom(null, null));
                setters.put("countersDirectory", () -> ctx.countersDirectory(null));
                for (final Map.Entry<String, Executable> setter : setters.entrySet())
                {
                    final IllegalStateException thrown = assertThrows(IllegalStateException.class, setter.getValue(),
                        topology + ": " + setter.getKey());
                    assertTrue(thrown.getMessage().startsWith(setter.getKey() + ": cannot be changed after conclude()"),
                        thrown.getMessage());
                }
                assertThrows(UnsupportedOperationException.class, () -> ctx.admissionRules().add((p, c, r) -> null));
                assertTrue(ctx.isConcluded());

                // The reproduced bug: raising maxObservers after launch made register throw
                // ArrayIndexOutOfBoundsException. Now the limit the engine launched with holds, and says so.
                engine.register("a", ObserverRole.CRITICAL, new CountingObserver());
                engine.register("b", ObserverRole.STANDARD, new CountingObserver());
                final IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                    () -> engine.register("c", ObserverRole.STANDARD, new CountingObserver()));
                assertTrue(full.getMessage().contains("maxObservers"), full.getMessage());
                for (int i = 0; i < 999; i++)
                {
                    engine.upsert(peer(i, 1, 1).build());
                }
                assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(peer(999, 1, 1).build(), WAIT).code());
                assertEquals(1000, engine.view().size(), topology + ": " + engine.stats().outcomes(OutcomeCode.ADDED) +
                    " added, " + engine.healthReport());
            }
        }
    }

    @Test
    void systemPropertiesAreReadByConcludeAndABadOneIsNamed()
    {
        final String[][] bad = {
            {Configuration.TOPOLOGY_PROP_NAME, "SIDEWAYS", "must be one of [COMPACT, PIPELINED]"},
            {Configuration.WAIT_STRATEGY_PROP_NAME, "spinny", "must be one of"},
            {Configuration.RING_SIZE_PROP_NAME, "1000", "must be a power of two"},
            {Configuration.RING_SIZE_PROP_NAME, "lots", "must be an integer"},
            {Configuration.PREPARE_LANES_PROP_NAME, "-1", "must be in [0, 64]"},
            {Configuration.PUBLISH_LANES_PROP_NAME, "65", "must be in [1, 64]"},
            {Configuration.MAX_OBSERVERS_PROP_NAME, "99999999999", "must be an integer in"},
            {Configuration.TICK_INTERVAL_MS_PROP_NAME, "-1", "must be >= 0"},
            {Configuration.CLOSE_TIMEOUT_MS_PROP_NAME, "-5", "must be >= 0"},
            {Configuration.JOURNAL_FAILURE_POLICY_PROP_NAME, "shrug", "must be one of"},
        };
        for (final String[] row : bad)
        {
            System.setProperty(row[0], row[1]);
            try
            {
                final EngineContext ctx = new EngineContext();   // never throws: nothing is read yet
                final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, ctx::conclude,
                    row[0] + "=" + row[1]);
                assertTrue(thrown.getMessage().contains(row[0]), thrown.getMessage());
                assertTrue(thrown.getMessage().contains(row[1]), thrown.getMessage());
                assertTrue(thrown.getMessage().contains(row[2]), thrown.getMessage());
                assertTrue(!ctx.isConcluded());
            }
            finally
            {
                System.clearProperty(row[0]);
            }
        }
    }

    @Test
    void aPropertyGivesTheValueUnlessASetterDid()
    {
        System.setProperty(Configuration.TOPOLOGY_PROP_NAME, "pipelined");
        System.setProperty(Configuration.RING_SIZE_PROP_NAME, "64");
        System.setProperty(Configuration.CLOSE_TIMEOUT_MS_PROP_NAME, "1500");
        System.setProperty(Configuration.COUNTERS_DIR_PROP_NAME, "/tmp/peerlane-counters-from-property");
        try
        {
            final EngineContext fromProperties = new EngineContext().conclude();
            assertEquals(java.nio.file.Path.of("/tmp/peerlane-counters-from-property"), fromProperties.countersDirectory());
            assertEquals(Topology.PIPELINED, fromProperties.topology());
            assertEquals(64, fromProperties.ringSize());
            assertEquals(Duration.ofMillis(1500), fromProperties.closeTimeout());
            assertEquals(Configuration.MAX_OBSERVERS_DEFAULT, fromProperties.maxObservers());

            final EngineContext fromSetters = new EngineContext().topology(Topology.COMPACT).ringSize(128).conclude();
            assertEquals(Topology.COMPACT, fromSetters.topology());
            assertEquals(128, fromSetters.ringSize());

            // A setter's bad value is named without the property, which it overrode.
            final IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> new EngineContext().ringSize(3).conclude());
            assertEquals("ringSize: value 3 must be a power of two in [2, 2^24]", thrown.getMessage());
        }
        finally
        {
            System.clearProperty(Configuration.TOPOLOGY_PROP_NAME);
            System.clearProperty(Configuration.RING_SIZE_PROP_NAME);
            System.clearProperty(Configuration.CLOSE_TIMEOUT_MS_PROP_NAME);
            System.clearProperty(Configuration.COUNTERS_DIR_PROP_NAME);
        }
    }

    @Test
    void aConcludedContextAnswersWhatItResolvedEvenWhenThatWasNothing()
    {
        System.clearProperty(Configuration.COUNTERS_DIR_PROP_NAME);
        final EngineContext ctx = new EngineContext().conclude();
        try
        {
            System.setProperty(Configuration.COUNTERS_DIR_PROP_NAME, "/tmp/peerlane-counters-set-too-late");
            assertNull(ctx.countersDirectory(), "resolved at conclude: no counters directory");
            assertEquals(java.nio.file.Path.of("/tmp/peerlane-counters-set-too-late"),
                new EngineContext().countersDirectory(), "an open context still shows what conclude would give");
        }
        finally
        {
            System.clearProperty(Configuration.COUNTERS_DIR_PROP_NAME);
        }
    }

    /** Counts its events. */
    static final class CountingObserver implements io.peerlane.observer.PeerObserver
    {
        long events;

        @Override
        public void onEvent(final RegistryEvent event)
        {
            events++;
        }
    }
}
