package io.peerlane.engine;

import io.peerlane.config.Configuration;
import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.kademlia.KademliaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shape of configuration besides {@link EngineContext} itself (whose setters {@link EngineContextLifetimeTest}
 * checks) has one lifetime: the journal's context is frozen by the engine's launch, the registry and Kademlia
 * settings and the observer options are immutable once built, so nothing done to them after launch reaches the
 * running engine, which then commits 1,000 more mutations. Every property of theirs is read when its object is
 * concluded or built, and a bad one is refused naming the property and the value.
 */
class ConfigurationLifetimeTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theJournalContextIsFrozenByLaunchAndTheEngineGoesOn() throws Exception
    {
        for (final Topology topology : Topology.values())
        {
            final Path journalDir = dir.resolve("journal-" + topology);
            final JournalWriter.Context journal = new JournalWriter.Context().directory(journalDir)
                .forcePolicy(ForcePolicy.NEVER).segmentLength(64 * 1024);
            final EngineContext ctx = context(topology).journal(journal);
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                assertTrue(journal.isConcluded(), "the engine's launch concludes the journal's context");
                final Map<String, Executable> setters = new LinkedHashMap<>();
                setters.put("directory", () -> journal.directory(dir.resolve("elsewhere")));
                setters.put("segmentLength", () -> journal.segmentLength(1 << 20));
                setters.put("forcePolicy", () -> journal.forcePolicy(ForcePolicy.EVERY_BATCH));
                setters.put("forceIntervalMs", () -> journal.forceIntervalMs(1));
                setters.put("prefault", () -> journal.prefault(false));
                setters.put("epochClock", () -> journal.epochClock(() -> 0));
                setters.put("nanoClock", () -> journal.nanoClock(() -> 0));
                assertSettersThrow(topology + " journal", setters);
                assertEquals(ForcePolicy.NEVER, journal.forcePolicy());
                assertEquals(64 * 1024, journal.segmentLength());

                commitAThousand(engine, topology.toString());
            }
            try (var files = Files.list(journalDir))
            {
                assertTrue(files.count() > 1, "the journal rolled at the 64 KiB it was launched with");
            }
        }
    }

    @Test
    void registrySettingsAreImmutableSoTheirBuilderChangedAfterLaunchChangesNothing()
    {
        for (final Topology topology : Topology.values())
        {
            final RegistrySettings.Builder builder = RegistrySettings.builder().maxPeers(2000).maxDevicesPerDid(0);
            final RegistrySettings settings = builder.build();
            try (PeerlaneEngine engine = PeerlaneEngine.launch(context(topology).settings(settings)))
            {
                builder.maxPeers(1).peerTtlMs(0);
                assertEquals(2000, engine.settings().maxPeers(), "built settings never follow their builder");
                assertEquals(RegistrySettings.PEER_TTL_MS_DEFAULT, engine.settings().peerTtlMs());
                commitAThousand(engine, topology.toString());
            }
        }
    }

    @Test
    void kademliaSettingsAreImmutableSoTheirBuilderChangedAfterLaunchChangesNothing()
    {
        final KademliaSettings.Builder builder = KademliaSettings.builder().k(16).maxPerSubnetInTable(0);
        final KademliaObserver kademlia = new KademliaObserver(NodeId.fromHex(
            "0000000000000000000000000000000000000000000000000000000000000001"), builder.build());
        final EngineContext ctx = context(Topology.PIPELINED).observer(KademliaObserver.NAME, ObserverRole.STANDARD, kademlia);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            builder.k(1).maxPerSubnetInTable(1);
            assertEquals(16, kademlia.table().settings().k());
            assertEquals(0, kademlia.table().settings().maxPerSubnetInTable());
            commitAThousand(engine, "kademlia");
            assertEquals(0, engine.observerStats(KademliaObserver.NAME).failures());
        }
        // Every test peer's id falls in one bucket of this local id: full at the k it was built with, not at 1.
        assertEquals(16, kademlia.table().size());
    }

    @Test
    void observerOptionsAreImmutableSoChangingThemAfterRegistrationChangesNothing()
    {
        final ObserverOptions options = ObserverOptions.defaults().quarantineAfter(5).voteDeadline(Duration.ofSeconds(5));
        final EngineContextLifetimeTest.CountingObserver observer = new EngineContextLifetimeTest.CountingObserver();
        final EngineContext ctx = context(Topology.PIPELINED).observer("voter", ObserverRole.CRITICAL, observer, options);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final ObserverOptions changed = options.quarantineAfter(0).voteDeadline(Duration.ofNanos(1));
            assertNotSame(options, changed);
            assertEquals(5, options.quarantineAfter(), "a \"setter\" returns a new object");
            assertEquals(Duration.ofSeconds(5).toNanos(), options.voteDeadlineNanos());
            commitAThousand(engine, "options");
            assertEquals(0, engine.observerStats("voter").deadlineMisses(), "still the 5 s deadline it registered with");
        }
    }

    @Test
    void raisingMaxObserversAfterLaunchCannotBreakRegister()
    {
        for (final Topology topology : Topology.values())
        {
            System.setProperty(Configuration.MAX_OBSERVERS_PROP_NAME, "2");
            final EngineContext ctx = context(topology);
            try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
            {
                // Raised both ways after launch: the property (read by conclude only) and the setter (refused).
                System.setProperty(Configuration.MAX_OBSERVERS_PROP_NAME, "100");
                assertThrows(IllegalStateException.class, () -> ctx.maxObservers(100));
                assertEquals(2, ctx.maxObservers(), "the concluded value, not the property's new one");

                engine.register("a", ObserverRole.CRITICAL, new EngineContextLifetimeTest.CountingObserver());
                engine.register("b", ObserverRole.BEST_EFFORT, new EngineContextLifetimeTest.CountingObserver());
                for (int round = 0; round < 3; round++)
                {
                    final IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                        () -> engine.register("c", ObserverRole.STANDARD, new EngineContextLifetimeTest.CountingObserver()));
                    assertTrue(full.getMessage().contains("the limit (maxObservers) is 2"), full.getMessage());
                    // A freed slot is taken again, never one past the arrays the engine launched with.
                    engine.unregister("a");
                    engine.register("a", ObserverRole.CRITICAL, new EngineContextLifetimeTest.CountingObserver());
                }
                commitAThousand(engine, topology.toString());
                assertEquals(0, engine.observerStats("a").failures());
            }
            finally
            {
                System.clearProperty(Configuration.MAX_OBSERVERS_PROP_NAME);
            }
        }
    }

    @Test
    void aBadJournalPropertyIsRefusedByConcludeNamingThePropertyAndTheValue()
    {
        final String[][] bad = {
            {Configuration.JOURNAL_DIR_PROP_NAME, "a\u0000b", "is not a path"},
            {Configuration.JOURNAL_SEGMENT_LENGTH_PROP_NAME, "100", "is outside [1024, "},
            {Configuration.JOURNAL_SEGMENT_LENGTH_PROP_NAME, "big", "must be an integer"},
            {Configuration.JOURNAL_FORCE_POLICY_PROP_NAME, "sometimes", "must be one of [NEVER, EVERY_BATCH, EVERY_N_MS]"},
            {Configuration.JOURNAL_FORCE_INTERVAL_MS_PROP_NAME, "-1", "is negative"},
            {Configuration.JOURNAL_FORCE_INTERVAL_MS_PROP_NAME, "1s", "must be an integer"},
            {Configuration.JOURNAL_PREFAULT_PROP_NAME, "maybe", "must be true or false"},
        };
        for (final String[] row : bad)
        {
            // Through the engine's conclude, which concludes the journal's context; nothing is frozen on failure.
            final JournalWriter.Context journal = new JournalWriter.Context();
            if (!row[0].equals(Configuration.JOURNAL_DIR_PROP_NAME))
            {
                journal.directory(dir.resolve("never"));
            }
            final EngineContext ctx = new EngineContext().journal(journal);
            refused(row, ctx::conclude);
            assertFalse(ctx.isConcluded() || journal.isConcluded(), row[0]);
            refused(row, journal::conclude);
        }
        System.setProperty(Configuration.JOURNAL_DIR_PROP_NAME, dir.resolve("from-property").toString());
        try
        {
            final JournalWriter.Context journal = new JournalWriter.Context().conclude();
            assertEquals(dir.resolve("from-property"), journal.directory());
            assertEquals(JournalWriter.Context.PREFAULT_DEFAULT, journal.prefault());
        }
        finally
        {
            System.clearProperty(Configuration.JOURNAL_DIR_PROP_NAME);
        }
        final IllegalArgumentException none =
            assertThrows(IllegalArgumentException.class, () -> new JournalWriter.Context().conclude());
        assertTrue(none.getMessage().contains(Configuration.JOURNAL_DIR_PROP_NAME), none.getMessage());
    }

    @Test
    void aBadRegistryPropertyIsRefusedByConcludeNamingThePropertyAndTheValue()
    {
        final String[][] bad = {
            {Configuration.MAX_PEERS_PROP_NAME, "-1", "(maxPeers) is outside [0, 2^53)"},
            {Configuration.MAX_PEERS_PROP_NAME, "lots", "must be an integer"},
            {Configuration.PEER_TTL_MS_PROP_NAME, "-1", "(peerTtlMs) is outside"},
            {Configuration.TOMBSTONE_TTL_MS_PROP_NAME, "9007199254740992", "(tombstoneTtlMs) is outside"},
            {Configuration.MAX_TOMBSTONES_PROP_NAME, "-2", "(maxTombstones) is outside"},
            {Configuration.MAX_DEVICES_PER_DID_PROP_NAME, "1.5", "must be an integer"},
            {Configuration.MAX_PEERS_PER_SUBNET_PROP_NAME, "-1", "(maxPeersPerSubnet) is outside"},
            {Configuration.MAX_BANS_PROP_NAME, "-1", "(maxBans) is outside"},
            {Configuration.GLOBAL_RATE_LIMIT_PER_SEC_PROP_NAME, "-1", "(globalRateLimitPerSec) is outside"},
            {Configuration.DID_RATE_LIMIT_PER_MIN_PROP_NAME, "-1", "(didRateLimitPerMin) is outside"},
            {Configuration.AUTHORIZED_VALIDATOR_KEYS_PROP_NAME, "aa01,zz", "must be comma-separated hex public keys"},
        };
        for (final String[] row : bad)
        {
            final EngineContext ctx = new EngineContext();
            refused(row, ctx::conclude);
            assertFalse(ctx.isConcluded(), row[0]);
            refused(row, () -> RegistrySettings.fromSystemProperties().build());
        }

        System.setProperty(Configuration.MAX_PEERS_PROP_NAME, "77");
        System.setProperty(Configuration.AUTHORIZED_VALIDATOR_KEYS_PROP_NAME, "aa01, bb02");
        try
        {
            final EngineContext ctx = new EngineContext().conclude();
            assertEquals(77, ctx.settings().maxPeers(), "a context given no settings reads the properties");
            assertEquals(2, ctx.settings().authorizedValidatorKeys().size());
            assertEquals(RegistrySettings.MAX_BANS_DEFAULT, ctx.settings().maxBans());
            assertEquals(RegistrySettings.MAX_PEERS_DEFAULT, RegistrySettings.defaults().maxPeers(),
                "defaults() never reads a property");
            assertEquals(RegistrySettings.MAX_PEERS_DEFAULT, RegistrySettings.builder().build().maxPeers());
            assertEquals(5, new EngineContext().settings(RegistrySettings.builder().maxPeers(5).build()).conclude()
                .settings().maxPeers(), "settings given in code win");
        }
        finally
        {
            System.clearProperty(Configuration.MAX_PEERS_PROP_NAME);
            System.clearProperty(Configuration.AUTHORIZED_VALIDATOR_KEYS_PROP_NAME);
        }
    }

    @Test
    void aBadKademliaPropertyIsRefusedNamingThePropertyAndTheValue()
    {
        final NodeId local = NodeId.fromHex("0000000000000000000000000000000000000000000000000000000000000001");
        final String[][] bad = {
            {Configuration.KADEMLIA_K_PROP_NAME, "0", "is outside [1, "},
            {Configuration.KADEMLIA_K_PROP_NAME, "twenty", "must be an integer"},
            {Configuration.KADEMLIA_REPLACEMENT_CACHE_SIZE_PROP_NAME, "-1", "is outside [0, "},
            {Configuration.KADEMLIA_MAX_PER_SUBNET_IN_BUCKET_PROP_NAME, "-1", "is outside [0, "},
            {Configuration.KADEMLIA_MAX_PER_SUBNET_IN_TABLE_PROP_NAME, "-3", "is outside [0, "},
            {Configuration.KADEMLIA_KEEP_ALL_CANDIDATES_PROP_NAME, "sure", "must be true or false"},
            {Configuration.KADEMLIA_IPV4_BUCKET_PREFIX_PROP_NAME, "33", "is outside [1, 32]"},
            {Configuration.KADEMLIA_IPV6_BUCKET_PREFIX_PROP_NAME, "65", "is outside [1, 64]"},
            {Configuration.KADEMLIA_IPV4_TABLE_PREFIX_PROP_NAME, "0", "is outside [1, 32]"},
            {Configuration.KADEMLIA_IPV6_TABLE_PREFIX_PROP_NAME, "99999999999", "must be an integer in"},
        };
        for (final String[] row : bad)
        {
            refused(row, () -> KademliaSettings.fromSystemProperties().build());
            refused(row, () -> new KademliaObserver(local));
        }
        System.setProperty(Configuration.KADEMLIA_K_PROP_NAME, "8");
        try
        {
            assertEquals(8, new KademliaObserver(local).table().settings().k());
            assertEquals(8, KademliaSettings.fromSystemProperties().build().replacementCacheSize(), "k by default");
            assertEquals(KademliaSettings.K_DEFAULT, KademliaSettings.defaults().k(), "defaults() never reads one");
            assertEquals(3, KademliaSettings.fromSystemProperties().k(3).build().k(), "a setter wins");
        }
        finally
        {
            System.clearProperty(Configuration.KADEMLIA_K_PROP_NAME);
        }
    }

    private static EngineContext context(final Topology topology)
    {
        // The peers are seen at 1 ms of the epoch: a clock there keeps them from expiring.
        return new EngineContext().topology(topology).clock(() -> 1_000)
            .settings(RegistrySettings.builder().maxDevicesPerDid(0).build());
    }

    private static void commitAThousand(final PeerlaneEngine engine, final String where)
    {
        for (int i = 0; i < 999; i++)
        {
            engine.upsert(peer(i, 1, 1).build());
        }
        assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(peer(999, 1, 1).build(), WAIT).code(), where);
        assertEquals(1000, engine.view().size(), where + ": " + engine.healthReport());
    }

    private static void assertSettersThrow(final String where, final Map<String, Executable> setters)
    {
        for (final Map.Entry<String, Executable> setter : setters.entrySet())
        {
            final IllegalStateException thrown =
                assertThrows(IllegalStateException.class, setter.getValue(), where + ": " + setter.getKey());
            assertTrue(thrown.getMessage().startsWith(setter.getKey() + ": cannot be changed after conclude()"),
                thrown.getMessage());
        }
    }

    private static void refused(final String[] row, final Executable conclude)
    {
        System.setProperty(row[0], row[1]);
        try
        {
            final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, conclude,
                row[0] + "=" + row[1]);
            assertTrue(thrown.getMessage().contains(row[0]), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(row[1]), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(row[2]), thrown.getMessage());
        }
        finally
        {
            System.clearProperty(row[0]);
        }
    }
}
