package io.peerlane.model;

import java.math.BigInteger;

/**
 * The reference model's own reading of TRACE.md's "Addresses" paragraph, kept apart from the production
 * parser on purpose: an IP is a family (4 or 6) and its bits as a {@link BigInteger}; a subnet or a CIDR
 * network is written as a plain string key so that equal networks compare equal however they were written.
 */
public final class AddressText
{
    private AddressText()
    {
    }

    /** An IP address: family 4 or 6 and its 32 or 128 bits. */
    public record Ip(int family, BigInteger bits)
    {
        int width()
        {
            return family == 4 ? 32 : 128;
        }

        /** @return the key of its subnet: IPv4 /24 or IPv6 /48. */
        public String subnetKey()
        {
            return networkKey(family, bits, family == 4 ? 24 : 48);
        }
    }

    /** A network of a subnet ban. */
    public record Network(int family, BigInteger bits, int prefix)
    {
        /** @return the key under which equal networks compare equal. */
        public String key()
        {
            return networkKey(family, bits, prefix);
        }

        /**
         * @param ip an address.
         * @return whether the address lies in this network.
         */
        public boolean contains(final Ip ip)
        {
            return ip.family() == family && networkKey(family, ip.bits(), prefix).equals(key());
        }
    }

    /**
     * @param address an endpoint address.
     * @return its IP, or null when the address has none (a host name, a Bluetooth address, a malformed IP).
     */
    public static Ip ofEndpoint(final String address)
    {
        if (address.startsWith("/ip4/") || address.startsWith("/ip6/"))
        {
            final String rest = address.substring(5);
            final int slash = rest.indexOf('/');
            if (slash < 0)
            {
                return null;
            }
            final String host = rest.substring(0, slash);
            return address.charAt(3) == '4' ? ipv4(host) : ipv6(host);
        }
        if (address.startsWith("["))
        {
            final int close = address.indexOf("]:");
            if (close < 0 || !isPort(address.substring(close + 2)))
            {
                return null;
            }
            return ipv6(address.substring(1, close));
        }
        final int colon = address.lastIndexOf(':');
        if (colon < 0 || !isPort(address.substring(colon + 1)))
        {
            return null;
        }
        return ipv4(address.substring(0, colon));
    }

    /**
     * @param cidr a valid CIDR such as {@code 10.1.2.0/24} or {@code 2001:db8::/32}.
     * @return its network.
     */
    public static Network cidr(final String cidr)
    {
        final int slash = cidr.indexOf('/');
        final String host = cidr.substring(0, slash);
        final Ip ip = host.indexOf(':') >= 0 ? ipv6(host) : ipv4(host);
        if (null == ip)
        {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        return new Network(ip.family(), ip.bits(), Integer.parseInt(cidr.substring(slash + 1)));
    }

    /**
     * @param text {@code a.b.c.d}, decimal octets without leading zeros.
     * @return the address, or null.
     */
    public static Ip ipv4(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            return null;
        }
        long bits = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !allDigits(part) || (part.length() > 1 && part.charAt(0) == '0'))
            {
                return null;
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255)
            {
                return null;
            }
            bits = (bits << 8) | octet;
        }
        return new Ip(4, BigInteger.valueOf(bits));
    }

    /**
     * @param text RFC 4291 text: eight groups of 1 to 4 hex digits, one {@code ::} for one or more zero
     *             groups, an optional dotted IPv4 tail worth two groups; either case; no zone.
     * @return the address, or null.
     */
    public static Ip ipv6(final String text)
    {
        final int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0)
        {
            return null;
        }
        final String head = gap < 0 ? text : text.substring(0, gap);
        final String tail = gap < 0 ? "" : text.substring(gap + 2);
        final int[] headGroups = groups(head, gap < 0);
        final int[] tailGroups = groups(tail, true);
        if (null == headGroups || null == tailGroups)
        {
            return null;
        }
        final int explicit = headGroups.length + tailGroups.length;
        if ((gap < 0 && explicit != 8) || (gap >= 0 && explicit > 7))
        {
            return null;
        }
        final int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        BigInteger bits = BigInteger.ZERO;
        for (final int g : all)
        {
            bits = bits.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return new Ip(6, bits);
    }

    /** Groups of one side of {@code ::}; a dotted IPv4 may end the last side only. */
    private static int[] groups(final String side, final boolean mayEndInIpv4)
    {
        if (side.isEmpty())
        {
            return new int[0];
        }
        final String[] parts = side.split(":", -1);
        final int last = parts.length - 1;
        final boolean v4Tail = parts[last].indexOf('.') >= 0;
        if (v4Tail && !mayEndInIpv4)
        {
            return null;
        }
        final int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++)
        {
            final String p = parts[i];
            if (i == last && v4Tail)
            {
                final Ip v4 = ipv4(p);
                if (null == v4)
                {
                    return null;
                }
                out[i] = v4.bits().intValue() >>> 16;
                out[i + 1] = v4.bits().intValue() & 0xffff;
            }
            else
            {
                if (p.isEmpty() || p.length() > 4 || !allHex(p))
                {
                    return null;
                }
                out[i] = Integer.parseInt(p, 16);
            }
        }
        return out;
    }

    private static boolean isPort(final String text)
    {
        return !text.isEmpty() && text.length() <= 5 && allDigits(text) && Integer.parseInt(text) <= 65535;
    }

    private static boolean allDigits(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f')
            {
                return false;
            }
        }
        return true;
    }

    private static String networkKey(final int family, final BigInteger bits, final int prefix)
    {
        final int width = family == 4 ? 32 : 128;
        return family + ":" + bits.shiftRight(width - prefix).toString(16) + "/" + prefix;
    }
}
