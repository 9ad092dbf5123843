package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.Topology;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Tier;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.at;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.key;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When several checks fail at once, the first in TRACE.md's order decides: BANNED, RATE_LIMITED,
 * IDENTITY_CONFLICT, STALE, DEVICE_LIMIT, SUBNET_LIMIT, CAPACITY, the user's rules, ABORTED. Each test sets
 * up one adjacent pair so that both would refuse, and shows the earlier one wins; where it matters it
 * then lifts the earlier cause and shows the later one was really armed.
 */
class CheckOrderTest
{
    @Test
    void bannedBeforeRateLimitedAndABannedUpsertDoesNotCount()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().globalRateLimitPerSec(2).build()))
        {
            h.ban(T0, Ban.of(BanKind.NODE, id(9).toHex()));
            assertEquals("ADDED", h.upsert(T0, peer(1).build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(9).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(2).build()).outcome(), "the banned upsert did not count");
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(9).build()).outcome(), "window full and banned");
            assertEquals("REJECTED RATE_LIMITED", h.upsert(T0, peer(3).build()).outcome(), "the window is full");
        }
    }

    @Test
    void rateLimitedBeforeIdentityConflict()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().didRateLimitPerMin(1).build()))
        {
            h.upsert(T0, peer(1).build());
            final PeerRecord conflicting = peer(1).publicKey(key(2)).version(2).build();
            assertEquals("REJECTED RATE_LIMITED", h.upsert(T0, conflicting).outcome());
            assertEquals("REJECTED IDENTITY_CONFLICT", h.upsert(T0 + 60_000, conflicting).outcome());
        }
    }

    @Test
    void identityConflictBeforeStale()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.upsert(T0, peer(1).version(5).build());
            assertEquals("REJECTED IDENTITY_CONFLICT", h.upsert(T0, peer(1).did("did:test:thief").version(3).build())
                .outcome());
            assertEquals("REJECTED IDENTITY_CONFLICT", h.upsert(T0, peer(1).publicKey(key(7)).version(5).build())
                .outcome());
            assertEquals("STALE", h.upsert(T0, peer(1).version(5).build()).outcome());
        }
    }

    @Test
    void staleBeforeDeviceLimit()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxDevicesPerDid(1).build()))
        {
            final String did = "did:test:shared";
            h.upsert(T0, peer(1).did(did).version(5).build());
            h.remove(T0, id(1));
            h.upsert(T0, peer(2).did(did).build());
            assertEquals("STALE", h.upsert(T0, peer(1).did(did).version(5).build()).outcome(), "tombstoned at 5");
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, peer(1).did(did).version(6).build()).outcome());
        }
    }

    @Test
    void deviceLimitBeforeSubnetLimit()
    {
        final RegistrySettings settings = RegistrySettings.builder().maxDevicesPerDid(1).maxPeersPerSubnet(1).build();
        try (Harness h = Harness.compact(settings))
        {
            h.upsert(T0, at(1, "10.0.0.1:1").did("did:test:shared").build());
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, at(2, "10.0.0.2:1").did("did:test:shared").build())
                .outcome());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(2, "10.0.0.2:1").build()).outcome());
        }
    }

    @Test
    void subnetLimitBeforeCapacity()
    {
        final RegistrySettings settings = RegistrySettings.builder().maxPeersPerSubnet(1).maxPeers(1).build();
        try (Harness h = Harness.compact(settings))
        {
            h.upsert(T0, at(1, "[2001:db8::1]:1").tier(Tier.TIER1).build());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(2, "[2001:db8::2]:1").tier(Tier.TIER4).build())
                .outcome());
            assertEquals("REJECTED CAPACITY", h.upsert(T0, at(2, "[2001:db9::2]:1").tier(Tier.TIER4).build())
                .outcome());
        }
    }

    @Test
    void capacityBeforeTheUserRulesWhichAreThenNotAsked()
    {
        final AtomicInteger asked = new AtomicInteger();
        final AdmissionRule refuseTwo = (r, current, state) ->
        {
            asked.incrementAndGet();
            return r.id().equals(id(2)) ? "NOT_TWO" : null;
        };
        try (Harness h = Harness.compact(RegistrySettings.builder().maxPeers(1).build(), refuseTwo))
        {
            h.upsert(T0, peer(1).pinned(true).build());
            assertEquals(1, asked.get());
            assertEquals("REJECTED CAPACITY", h.upsert(T0, peer(2).build()).outcome());
            assertEquals(1, asked.get(), "a built-in refusal ends the checks");
            h.remove(T0, id(1));
            assertEquals("REJECTED NOT_TWO", h.upsert(T0, peer(2).build()).outcome());
            assertEquals(2, asked.get());
        }
    }

    @Test
    void theUserRulesBeforeACriticalVeto()
    {
        final PeerObserver gate = new PeerObserver()
        {
            @Override
            public Vote vote(final PeerRecord proposed)
            {
                return proposed.id().equals(id(2)) ? Vote.REJECT : Vote.ACCEPT;
            }

            @Override
            public void onEvent(final RegistryEvent event)
            {
            }
        };
        final AdmissionRule rule = (r, current, state) -> r.version() == 1 ? "FIRST_VERSION" : null;
        for (final Topology topology : Topology.values())
        {
            final EngineContext ctx = new EngineContext().topology(topology).observer("gate", ObserverRole.CRITICAL, gate);
            try (Harness h = Harness.start(ctx, RegistrySettings.defaults(), rule))
            {
                assertEquals("REJECTED FIRST_VERSION", h.upsert(T0, peer(2).build()).outcome(), topology.name());
                final Committed vetoed = h.upsert(T0, peer(2).version(2).build());
                assertEquals("ABORTED gate", vetoed.outcome(), topology.name());
                assertEquals("ADDED", h.upsert(T0, peer(3).version(2).build()).outcome(), topology.name());
            }
        }
    }
}
