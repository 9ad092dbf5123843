package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.Topology;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.at;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static io.peerlane.admission.Records.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Bans through the ring, seen through outcomes: a ban removes the live peers it matches (REMOVED, cause
 * BANNED, in id order, pinned ones too) and refuses their next upserts; bans stack, one unban lifts them
 * all; a ban with {@code until} lapses when the event time reaches it; {@code maxBans} refuses BAN_LIMIT.
 */
class BanTest
{
    private static Ban node(final long n)
    {
        return Ban.of(BanKind.NODE, id(n).toHex());
    }

    private static Ban subnet(final String cidr)
    {
        return Ban.of(BanKind.SUBNET, cidr);
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void aNodeBanRemovesThePeerPinnedOrNotAndRefusesItsNextUpserts(final Topology topology)
    {
        try (Harness h = Harness.start(new EngineContext().topology(topology), RegistrySettings.defaults()))
        {
            h.upsert(T0, peer(1).pinned(true).build());
            h.upsert(T0, peer(2).build());
            final Committed ban = h.ban(T0 + 1, node(1));
            assertEquals("BAN_SET", ban.outcome());
            assertEquals(List.of("REMOVED 1 BANNED"), ban.changes);
            assertEquals("REJECTED BANNED", h.upsert(T0 + 2, peer(1).version(2).build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0 + 2, peer(1).version(3).did("did:test:other").build())
                .outcome(), "the id alone is enough");
            assertEquals("UPDATED", h.upsert(T0 + 2, peer(2).version(2).build()).outcome());
            assertEquals("BAN_SET", h.ban(T0 + 3, node(99)).outcome(), "a ban of an unknown peer is still set");
            assertEquals("REJECTED BANNED", h.upsert(T0 + 3, peer(99).build()).outcome());
        }
    }

    @Test
    void aDidBanRemovesEveryDeviceInIdOrder()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            final String did = "did:plc:mallory";
            h.upsert(T0, peer(3).did(did).build());
            h.upsert(T0, peer(1).did(did).pinned(true).build());
            h.upsert(T0, peer(5).build());
            h.upsert(T0, peer(2).did(did).build());
            final Committed ban = h.ban(T0, Ban.of(BanKind.DID, did));
            assertEquals(List.of("REMOVED 1 BANNED", "REMOVED 2 BANNED", "REMOVED 3 BANNED"), ban.changes);
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(4).did(did).build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(1).did(did).version(2).build()).outcome());
            assertEquals(1, h.engine.view().size());
            assertEquals("ADDED", h.upsert(T0, peer(4).did("did:plc:mallory2").build()).outcome(),
                "DIDs compare as written: a longer DID is another one");
        }
    }

    @Test
    void anIpv4SubnetBanMatchesEveryAddressFormInsideIt()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.upsert(T0, at(4, "10.1.2.4:80").build());
            h.upsert(T0, at(2, "/ip4/10.1.2.200/udp/9").build());
            h.upsert(T0, peer(3).endpoint(tcp("host.example:1")).endpoint(tcp("10.1.3.1:1"))
                .endpoint(tcp("10.1.2.9:1")).build());
            h.upsert(T0, at(1, "10.1.3.2:80").build());
            h.upsert(T0, at(5, "[::ffff:10.1.2.7]:80").build());
            h.upsert(T0, at(6, "10.1.2.8").build());
            final Committed ban = h.ban(T0, subnet("10.1.2.0/24"));
            assertEquals(List.of("REMOVED 2 BANNED", "REMOVED 3 BANNED", "REMOVED 4 BANNED"), ban.changes,
                "an IPv4-mapped IPv6 address and an address with no port have no IPv4 in the subnet");
            assertEquals("REJECTED BANNED", h.upsert(T0, at(7, "/ip4/10.1.2.77/tcp/1").build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(8).endpoint(tcp("10.9.9.9:1"))
                .endpoint(tcp("10.1.2.1:1")).build()).outcome(), "one endpoint inside is enough");
            assertEquals("ADDED", h.upsert(T0, at(9, "10.1.1.255:1").build()).outcome());
        }
    }

    @Test
    void subnetBansOfAnyPrefixLengthMatch()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.ban(T0, subnet("172.16.0.0/12"));
            h.ban(T0, subnet("192.0.2.77/32"));
            h.ban(T0, subnet("2001:db8:ff00::/40"));
            h.ban(T0, subnet("2001:db8:1::42/128"));
            assertEquals("REJECTED BANNED", h.upsert(T0, at(1, "172.31.255.255:1").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(2, "172.32.0.1:1").build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, at(3, "192.0.2.77:1").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(4, "192.0.2.78:1").build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, at(5, "[2001:db8:ffab::1]:1").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(6, "[2001:db8:fe00::1]:1").build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, at(7, "/ip6/2001:DB8:1:0::42/tcp/1").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(8, "/ip6/2001:db8:1::43/tcp/1").build()).outcome());
            assertEquals("BAN_SET", h.ban(T0, subnet("0.0.0.0/0")).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, at(9, "8.8.8.8:53").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(10, "[::ffff:8.8.8.8]:53").build()).outcome(),
                "an IPv4 network never holds an IPv6 address");
            assertEquals(List.of("REMOVED 10 BANNED"), h.ban(T0, subnet("::ffff:0:0/96")).changes);
        }
    }

    @Test
    void ipv6SubnetsCompareAsNetworksAndBansStackUntilOneUnbanLiftsThemAll()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.upsert(T0, at(1, "[2001:db8:5::1]:443").build());
            assertEquals(List.of("REMOVED 1 BANNED"), h.ban(T0, subnet("2001:0db8::/32")).changes);
            assertEquals("BAN_SET", h.ban(T0, subnet("2001:db8::/32")).outcome());
            assertEquals("BAN_SET", h.ban(T0, subnet("2001:DB8:0::/32")).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, at(1, "[2001:db8:5::1]:443").version(2).build()).outcome());
            assertEquals("BAN_LIFTED", h.unban(T0, subnet("2001:db8:0:0::/32")).outcome(), "the same network");
            assertEquals("NOT_FOUND", h.unban(T0, subnet("2001:db8::/32")).outcome(), "all three were lifted");
            assertEquals("ADDED", h.upsert(T0, at(1, "[2001:db8:5::1]:443").version(2).build()).outcome());
            assertEquals("NOT_FOUND", h.unban(T0, subnet("2001:db8::/33")).outcome(), "another prefix, another network");
        }
    }

    @Test
    void nodeAndDidBansStackAndLiftTogether()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.ban(T0, node(1));
            h.ban(T0, node(1));
            h.ban(T0, Ban.of(BanKind.DID, "did:test:n2"));
            assertEquals("BAN_LIFTED", h.unban(T0, node(1)).outcome());
            assertEquals("NOT_FOUND", h.unban(T0, node(1)).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(1).build()).outcome());
            assertEquals("REJECTED BANNED", h.upsert(T0, peer(2).build()).outcome());
            assertEquals("NOT_FOUND", h.unban(T0, Ban.of(BanKind.NODE, id(2).toHex())).outcome(),
                "a node unban does not lift a DID ban");
            assertEquals("BAN_LIFTED", h.unban(T0, Ban.of(BanKind.DID, "did:test:n2")).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(2).build()).outcome());
        }
    }

    @Test
    void aBanLapsesWhenTheEventTimeReachesItsUntil()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.upsert(T0, peer(1).build());
            assertEquals(List.of("REMOVED 1 BANNED"), h.ban(T0, Ban.of(BanKind.NODE, id(1).toHex(), T0 + 100)).changes);
            assertEquals("REJECTED BANNED", h.upsert(T0 + 99, peer(1).version(2).build()).outcome());
            assertEquals("ADDED", h.upsert(T0 + 100, peer(1).version(2).build()).outcome());
            assertEquals("NOT_FOUND", h.unban(T0 + 100, node(1)).outcome(), "the lapsed ban is gone");
        }
    }

    @Test
    void stackedBansWithUntilLapseOneByOne()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxBans(2).build()))
        {
            final Ban soon = Ban.of(BanKind.DID, "did:test:n1", T0 + 200);
            final Ban later = Ban.of(BanKind.DID, "did:test:n1", T0 + 300);
            h.ban(T0, soon);
            h.ban(T0, later);
            assertEquals("REJECTED BAN_LIMIT", h.ban(T0 + 199, node(5)).outcome(), "stacked bans each count");
            assertEquals("BAN_SET", h.ban(T0 + 200, node(5)).outcome(), "the first lapsed and freed a place");
            assertEquals("REJECTED BANNED", h.upsert(T0 + 299, peer(1).build()).outcome());
            assertEquals("ADDED", h.upsert(T0 + 300, peer(1).build()).outcome());
        }
    }

    @Test
    void theLastBanAllowedIsSetAndTheNextIsRefusedRemovingNothing()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxBans(3).build()))
        {
            h.upsert(T0, peer(4).build());
            assertEquals("BAN_SET", h.ban(T0, node(1)).outcome());
            assertEquals("BAN_SET", h.ban(T0, node(2)).outcome());
            assertEquals("BAN_SET", h.ban(T0, node(2)).outcome());
            final Committed refused = h.ban(T0, node(4));
            assertEquals("REJECTED BAN_LIMIT", refused.outcome());
            assertEquals(List.of(), refused.changes);
            assertEquals("UPDATED", h.upsert(T0, peer(4).version(2).build()).outcome(), "the refused ban holds nothing");
            assertEquals("BAN_LIFTED", h.unban(T0, node(2)).outcome());
            assertEquals(List.of("REMOVED 4 BANNED"), h.ban(T0, node(4)).changes, "two places were freed");
            assertEquals("BAN_SET", h.ban(T0, node(5)).outcome());
            assertEquals("REJECTED BAN_LIMIT", h.ban(T0, node(6)).outcome());
            assertEquals(5, h.engine.stats().outcomes(OutcomeCode.BAN_SET));
            assertEquals(2, h.engine.stats().reasons("BAN_LIMIT"));
        }
    }

    @Test
    void zeroBansMeansNoLimit()
    {
        try (Harness h = Harness.compact(RegistrySettings.builder().maxBans(0).build()))
        {
            for (int n = 0; n < 200; n++)
            {
                assertEquals("BAN_SET", h.ban(T0, node(n)).outcome());
            }
        }
    }

    @Test
    void aBannedUpsertFailsItsBatch()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            h.ban(T0, subnet("10.0.0.0/8"));
            final Committed failed = h.batch(T0, Batch.builder().upsert(peer(1).build())
                .upsert(at(2, "10.200.0.1:1").build()).build());
            assertEquals("BATCH_FAILED BANNED op 1", failed.outcome());
            assertNull(h.engine.view().get(id(1)));
        }
    }
}
