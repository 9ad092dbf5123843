package io.peerlane.model;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Cidr;
import io.peerlane.peer.IpAddress;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The model's reading of TRACE.md's "Addresses" against the production parser ({@link IpAddress},
 * {@link Cidr}) on spellings chosen to sit on the edges of the text: both must find the same IP (or none),
 * and the same networks must contain it.
 */
class AddressTextTest
{
    private static final String[] ADDRESSES = {
        "1.2.3.4:80", "1.2.3.4:0", "255.255.255.255:65535", "1.2.3.4:00080", "01.2.3.4:80", "1.2.3.04:80",
        "1.2.3.4:065535", "1.2.3.4:", "1.2.3.4:99999", "1.2.3.4:65536", "256.1.1.1:1", "1.2.3:80", "1.2.3.4.5:80",
        "1.2.3.4", " 1.2.3.4:80", "1.2.3.4:+80", "1.2.3.4:8a", "1.2.3.4:80 ", "host:80", "AA:BB:CC:DD:EE:FF",
        "[::]:1", "[::1]:8080", "[::ffff:1.2.3.4]:1", "[::FFFF:1.2.3.4]:1", "[1:2:3:4:5:6:7:8]:1",
        "[1:2:3:4:5:6:7::]:1", "[::2:3:4:5:6:7:8]:1", "[1:2:3:4:5:6:7:8:9]:1", "[1::2::3]:1", "[fe80::1%eth0]:1",
        "[12345::]:1", "[::1.2.3.4]:1", "[1.2.3.4]:1", "[2001:DB8::1]:1", "[2001:0db8:0000:0000::1]:1",
        "[2001:db8::1]:", "[2001:db8::1]", "[::1]:1:2", "[1:2:3:4:5:6:1.2.3.4]:1", "[1:2:3:4:5:6:7:1.2.3.4]:1",
        "[::ffff:01.2.3.4]:1", "[:1::]:1", "[1:::2]:1", "[::1:]:1", "[]:1", "[g::1]:1", "[1:2:3:4:5:6:7:8]:65536",
        "/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/", "/ip4/01.2.3.4/tcp/1", "/ip6/::1/udp/1", "/ip6/2001:db8::/",
        "/ip6/[::1]/udp/1", "/ip6/1.2.3.4/tcp/1", "/ip4/::1/tcp/1", "/dns4/example.com/tcp/1", "/IP4/1.2.3.4/tcp/1",
        "1.2.3.255:1", "1.2.4.0:1", "[2001:db8:0:ffff::1]:1", "[2001:db8:1::1]:1",
    };

    private static final String[] CIDRS = {
        "0.0.0.0/0", "1.2.3.0/24", "1.2.0.0/16", "1.2.3.4/32", "::/0", "2001:db8::/32", "2001:0db8::/32",
        "2001:db8::/48", "::ffff:0:0/96", "::ffff:1.2.3.0/120", "::1/128",
    };

    @Test
    void findsTheSameIpAsTheProductionParser()
    {
        final List<String> disagreements = new ArrayList<>();
        final List<String> withIp = new ArrayList<>();
        for (final String address : ADDRESSES)
        {
            final AddressText.Ip mine = AddressText.ofEndpoint(address);
            final IpAddress theirs = IpAddress.fromEndpointAddress(address);
            if (null != mine)
            {
                withIp.add(address);
            }
            if (!String.valueOf(bitsOf(mine)).equals(String.valueOf(bitsOf(theirs))))
            {
                disagreements.add(address + ": model " + bitsOf(mine) + ", production " + bitsOf(theirs));
            }
        }
        assertEquals(List.of(), disagreements);
        assertEquals(23, withIp.size(), "addresses with an IP: " + withIp);
    }

    @Test
    void sameSubnetsAndNetworksAsTheProductionCode()
    {
        final List<String> disagreements = new ArrayList<>();
        for (final String a : ADDRESSES)
        {
            final AddressText.Ip mineA = AddressText.ofEndpoint(a);
            final IpAddress theirsA = IpAddress.fromEndpointAddress(a);
            if (null == mineA || null == theirsA)
            {
                continue;
            }
            for (final String b : ADDRESSES)
            {
                final AddressText.Ip mineB = AddressText.ofEndpoint(b);
                final IpAddress theirsB = IpAddress.fromEndpointAddress(b);
                if (null != mineB && null != theirsB &&
                    mineA.subnetKey().equals(mineB.subnetKey()) != (theirsA.subnetKey() == theirsB.subnetKey()))
                {
                    disagreements.add("same subnet? " + a + " " + b);
                }
            }
            for (final String cidr : CIDRS)
            {
                final Cidr theirs = (Cidr)Ban.of(BanKind.SUBNET, cidr).key();
                if (AddressText.cidr(cidr).contains(mineA) != theirs.contains(theirsA))
                {
                    disagreements.add(cidr + " contains " + a + "?");
                }
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void networksWrittenDifferentlyAreEqual()
    {
        assertEquals(AddressText.cidr("2001:0db8::/32").key(), AddressText.cidr("2001:db8::/32").key());
        assertEquals(AddressText.cidr("::ffff:1.2.3.0/120").key(), AddressText.cidr("::FFFF:102:300/120").key());
        assertNotNull(AddressText.ofEndpoint("[2001:db8::1]:9000"));
        assertNull(AddressText.ofEndpoint("10.0.1.07:4000"));
        assertEquals(AddressText.ofEndpoint("10.0.1.7:1").subnetKey(), AddressText.ofEndpoint("/ip4/10.0.1.200/x").subnetKey());
    }

    private static BigInteger bitsOf(final AddressText.Ip ip)
    {
        return null == ip ? null : ip.bits().add(BigInteger.valueOf(ip.family()).shiftLeft(200));
    }

    private static BigInteger bitsOf(final IpAddress ip)
    {
        if (null == ip)
        {
            return null;
        }
        final BigInteger lo = new BigInteger(Long.toUnsignedString(ip.lo()));
        final BigInteger bits = ip.family() == IpAddress.V4 ?
            lo : new BigInteger(Long.toUnsignedString(ip.hi())).shiftLeft(64).or(lo);
        return bits.add(BigInteger.valueOf(ip.family()).shiftLeft(200));
    }
}
