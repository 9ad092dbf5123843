package io.peerlane.admission;

import io.peerlane.mutation.Batch;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.Protocol;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.at;
import static io.peerlane.admission.Records.peer;
import static io.peerlane.admission.Records.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code maxPeersPerSubnet}: live peers per IPv4 /24 or IPv6 /48, with every address form of TRACE.md. Each
 * case names three addresses in one subnet, written in different forms, and one just outside it.
 */
class SubnetLimitTest
{
    private static RegistrySettings limit(final long n)
    {
        return RegistrySettings.builder().maxPeersPerSubnet(n).build();
    }

    static Stream<Arguments> subnets()
    {
        return Stream.of(
            arguments("IPv4 host:port", new String[]{ "10.1.2.1:4000", "10.1.2.254:1", "10.1.2.0:65535" },
                "10.1.3.1:4000"),
            arguments("IPv4 multiaddr", new String[]{ "/ip4/10.1.2.1/tcp/4000", "/ip4/10.1.2.2/udp/9/quic",
                "/ip4/10.1.2.3/tcp/1" }, "/ip4/10.1.1.255/tcp/4000"),
            arguments("IPv4 mixed forms", new String[]{ "10.1.2.9:80", "/ip4/10.1.2.10/tcp/80", "10.1.2.11:00080" },
                "11.1.2.9:80"),
            arguments("IPv6 brackets", new String[]{ "[2001:db8:1::1]:4000", "[2001:db8:1:ffff::2]:1",
                "[2001:db8:1:0:0:0:0:3]:65535" }, "[2001:db8:2::1]:4000"),
            arguments("IPv6 multiaddr", new String[]{ "/ip6/2001:db8:1::1/tcp/4000", "/ip6/2001:db8:1:abcd::9/udp/1",
                "/ip6/2001:db8:1::/tcp/2" }, "/ip6/2001:db8:0::1/tcp/4000"),
            arguments("IPv6 in any case and spelling", new String[]{ "[2001:DB8:1::A]:80",
                "[2001:0db8:0001:0000:0000:0000:0000:000b]:80", "/ip6/2001:db8:1:0::c/tcp/80" },
                "[2001:db8:3:0::c]:80"),
            arguments("IPv4-mapped IPv6 counts as IPv6", new String[]{ "[::ffff:10.1.2.1]:80",
                "/ip6/::ffff:10.1.2.2/tcp/1", "[::ffff:192.168.0.1]:80" }, "[2001:db8::1]:80"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subnets")
    void theLastPeerOfASubnetIsAdmittedAndTheNextIsRefused(
        final String form, final String[] inside, final String outside)
    {
        try (Harness h = Harness.compact(limit(2)))
        {
            assertEquals("ADDED", h.upsert(T0, at(1, inside[0]).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(2, inside[1]).build()).outcome());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(3, inside[2]).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(4, outside).build()).outcome(), outside + " is another subnet");
            assertEquals("ADDED", h.upsert(T0, at(5, outside).build()).outcome());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(6, outside).build()).outcome());
        }
    }

    @Test
    void anIpv4MappedAddressIsNotCountedInItsIpv4Subnet()
    {
        try (Harness h = Harness.compact(limit(1)))
        {
            assertEquals("ADDED", h.upsert(T0, at(1, "10.1.2.1:80").build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(2, "[::ffff:10.1.2.2]:80").build()).outcome());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(3, "/ip6/::ffff:10.1.2.3/tcp/1").build()).outcome(),
                "the mapped addresses share the IPv6 /48 ::/48");
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(4, "/ip4/10.1.2.4/tcp/1").build()).outcome());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "node-7.example.com:4000", "example.com:80", "localhost:1", "10.1.2.3", "10.1.2.3:",
        "10.1.2.3:65536", "10.1.2.3:123456", "010.1.2.3:80", "10.1.2.256:80", "10.1.2:80", "10.1.2.3.4:80",
        "2001:db8::1:80", "[2001:db8::1]", "[2001:db8::1]:", "[2001:db8::1]:x", "[fe80::1%eth0]:80",
        "[2001:db8::g]:80", "[1:2:3:4:5:6:7:8:9]:80", "/ip4/10.1.2.3", "/ip6/2001:db8::1", "/dns4/a.example/tcp/1",
        "/ip4/10.1.2.300/tcp/1", "AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:12", "01:23:45:67:89:ab" })
    void anAddressWithNoIpHasNoSubnet(final String address)
    {
        try (Harness h = Harness.compact(limit(1)))
        {
            for (int n = 1; n <= 3; n++)
            {
                final Endpoint bt = Endpoint.of(address, Protocol.BLUETOOTH_LE, 1, 0.5);
                assertEquals("ADDED", h.upsert(T0, peer(n).endpoint(tcp(address)).endpoint(bt).build()).outcome(),
                    address + " has no IP");
            }
        }
    }

    @Test
    void aPeerWithManyEndpointsInOneSubnetCountsOnce()
    {
        try (Harness h = Harness.compact(limit(2)))
        {
            assertEquals("ADDED", h.upsert(T0, peer(1)
                .endpoint(tcp("10.1.2.1:1"))
                .endpoint(Endpoint.of("10.1.2.1:1", Protocol.UDP, 1, 0.5))
                .endpoint(tcp("/ip4/10.1.2.2/tcp/2"))
                .endpoint(tcp("10.1.2.3:3"))
                .build()).outcome());
            assertEquals("ADDED", h.upsert(T0, at(2, "10.1.2.200:9").build()).outcome(),
                "peer 1 holds one place however many endpoints it has there");
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(3, "10.1.2.201:9").build()).outcome());
        }
    }

    @Test
    void anUpdateIsNotCountedAgainstItselfButAMoveIntoAFullSubnetIsRefused()
    {
        try (Harness h = Harness.compact(limit(2)))
        {
            h.upsert(T0, at(1, "10.1.2.1:1").build());
            h.upsert(T0, at(2, "10.1.2.2:1").build());
            h.upsert(T0, at(3, "10.9.9.9:1").build());
            assertEquals("UPDATED", h.upsert(T0, at(2, "10.1.2.2:1").version(2).build()).outcome());
            assertEquals("UPDATED", h.upsert(T0, at(2, "10.1.2.7:1").endpoint(tcp("10.1.2.8:1")).version(3).build())
                .outcome(), "more endpoints in its own subnet");
            assertEquals("REJECTED SUBNET_LIMIT",
                h.upsert(T0, at(3, "10.9.9.9:1").endpoint(tcp("10.1.2.3:1")).version(2).build()).outcome(),
                "an update is checked for its subnets");
            assertEquals("UPDATED", h.upsert(T0, at(2, "10.5.5.5:1").version(4).build()).outcome(), "moves out");
            assertEquals("UPDATED",
                h.upsert(T0, at(3, "10.9.9.9:1").endpoint(tcp("10.1.2.3:1")).version(3).build()).outcome(),
                "the place peer 2 left is free");
        }
    }

    @Test
    void oneFullSubnetAmongSeveralRefusesTheNewcomer()
    {
        try (Harness h = Harness.compact(limit(1)))
        {
            h.upsert(T0, at(1, "[2001:db8:aa::1]:1").build());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, peer(2).endpoint(tcp("10.0.0.1:1"))
                .endpoint(tcp("host.example:1")).endpoint(tcp("/ip6/2001:db8:aa:1::5/tcp/1")).build()).outcome());
            assertEquals("ADDED", h.upsert(T0, peer(2).endpoint(tcp("10.0.0.1:1"))
                .endpoint(tcp("/ip6/2001:db8:ab::5/tcp/1")).build()).outcome());
        }
    }

    @Test
    void aBatchCountsItsOwnEarlierPeersAndARemovedPeerFreesItsPlace()
    {
        try (Harness h = Harness.compact(limit(2)))
        {
            h.upsert(T0, at(1, "10.1.2.1:1").build());
            assertEquals("BATCH_FAILED SUBNET_LIMIT op 1", h.batch(T0, Batch.builder()
                .upsert(at(2, "10.1.2.2:1").build()).upsert(at(3, "10.1.2.3:1").build()).build()).outcome());
            assertEquals("BATCH_COMMITTED", h.batch(T0, Batch.builder().remove(Records.id(1))
                .upsert(at(2, "10.1.2.2:1").build()).upsert(at(3, "10.1.2.3:1").build()).build()).outcome());
            assertEquals("REJECTED SUBNET_LIMIT", h.upsert(T0, at(4, "10.1.2.4:1").build()).outcome());
        }
    }

    @Test
    void zeroMeansNoLimitAndIsTheDefault()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults()))
        {
            for (int n = 1; n <= 30; n++)
            {
                assertEquals("ADDED", h.upsert(T0, at(n, "10.1.2." + n + ":1").build()).outcome());
            }
        }
    }
}
