package io.peerlane.peer;

/**
 * An IPv4 or IPv6 address read from an endpoint address or a CIDR, with the exact text rules of
 * TRACE.md: dotted quads without leading zeros, RFC 4291 IPv6 text in either case without a zone.
 * <p>
 * No name is ever looked up: anything that is not an address in one of the accepted forms has no IP.
 */
public final class IpAddress
{
    /** IPv4 family. */
    public static final int V4 = 4;
    /** IPv6 family. */
    public static final int V6 = 6;

    private final int family;
    private final long hi;
    private final long lo;

    private IpAddress(final int family, final long hi, final long lo)
    {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * @return {@link #V4} or {@link #V6}.
     */
    public int family()
    {
        return family;
    }

    /**
     * @return the high 64 bits of an IPv6 address, 0 for IPv4.
     */
    public long hi()
    {
        return hi;
    }

    /**
     * @return the low 64 bits of an IPv6 address, or the 32-bit IPv4 address.
     */
    public long lo()
    {
        return lo;
    }

    /**
     * The subnet key of TRACE.md: the IPv4 /24 or the IPv6 /48, as one long that never collides across
     * families.
     *
     * @return the subnet key.
     */
    public long subnetKey()
    {
        return V4 == family ? (1L << 62) | (lo >>> 8) : (2L << 62) | (hi >>> 16);
    }

    /**
     * @param prefixLength bits of the network prefix.
     * @param networkHi    network's high bits (IPv6) or 0.
     * @param networkLo    network's low bits.
     * @param networkFamily family of the network.
     * @return true when this address lies in the network.
     */
    public boolean inNetwork(final int networkFamily, final long networkHi, final long networkLo, final int prefixLength)
    {
        if (networkFamily != family)
        {
            return false;
        }
        if (V4 == family)
        {
            final long mask = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return (lo & mask) == networkLo;
        }
        return (hi & maskHi(prefixLength)) == networkHi && (lo & maskLo(prefixLength)) == networkLo;
    }

    static long maskHi(final int prefixLength)
    {
        if (prefixLength <= 0)
        {
            return 0;
        }
        return prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    static long maskLo(final int prefixLength)
    {
        if (prefixLength <= 64)
        {
            return 0;
        }
        return prefixLength >= 128 ? -1L : -1L << (128 - prefixLength);
    }

    /**
     * Reads the IP of an endpoint address: {@code a.b.c.d:port}, {@code [ipv6]:port}, or a multiaddr
     * starting {@code /ip4/a.b.c.d/} or {@code /ip6/<ipv6>/}.
     *
     * @param address the endpoint address.
     * @return the IP, or null when the address has none.
     */
    public static IpAddress fromEndpointAddress(final String address)
    {
        if (address.startsWith("/ip4/"))
        {
            final int end = address.indexOf('/', 5);
            return end < 0 ? null : parseV4(address, 5, end);
        }
        if (address.startsWith("/ip6/"))
        {
            final int end = address.indexOf('/', 5);
            return end < 0 ? null : parseV6(address, 5, end);
        }
        if (address.startsWith("["))
        {
            final int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':' ||
                !isPort(address, close + 2, address.length()))
            {
                return null;
            }
            return parseV6(address, 1, close);
        }
        final int colon = address.lastIndexOf(':');
        if (colon < 0 || !isPort(address, colon + 1, address.length()))
        {
            return null;
        }
        return parseV4(address, 0, colon);
    }

    /**
     * @param text an IPv4 or IPv6 address alone.
     * @return the IP, or null when the text is neither.
     */
    public static IpAddress parse(final String text)
    {
        return text.indexOf(':') >= 0 ? parseV6(text, 0, text.length()) : parseV4(text, 0, text.length());
    }

    private static boolean isPort(final String s, final int from, final int to)
    {
        final int digits = to - from;
        if (digits < 1 || digits > 5)
        {
            return false;
        }
        int value = 0;
        for (int i = from; i < to; i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535;
    }

    /** Dotted quad, four decimal octets without leading zeros, or -1. */
    private static long parseV4Value(final String s, final int from, final int to)
    {
        long value = 0;
        int octets = 0;
        int i = from;
        while (octets < 4)
        {
            final int start = i;
            int octet = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9')
            {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3)
                {
                    return -1;
                }
            }
            final int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && s.charAt(start) == '0'))
            {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= to || s.charAt(i) != '.')
                {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    private static IpAddress parseV4(final String s, final int from, final int to)
    {
        final long value = parseV4Value(s, from, to);
        return value < 0 ? null : new IpAddress(V4, 0, value);
    }

    private static IpAddress parseV6(final String s, final int from, final int to)
    {
        final int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = from;
        if (to - from < 2)
        {
            return null;
        }
        if (s.charAt(i) == ':')
        {
            if (s.charAt(i + 1) != ':')
            {
                return null;
            }
            gap = 0;
            i += 2;
            if (i == to)
            {
                return new IpAddress(V6, 0, 0);
            }
        }
        while (i < to)
        {
            if (count == 8)
            {
                return null;
            }
            final int start = i;
            int value = 0;
            while (i < to && hexValue(s.charAt(i)) >= 0 && i - start < 4)
            {
                value = (value << 4) | hexValue(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.')
            {
                // Embedded dotted quad: the last 32 bits.
                if (count > 6)
                {
                    return null;
                }
                final long v4 = parseV4Value(s, start, to);
                if (v4 < 0)
                {
                    return null;
                }
                groups[count++] = (int)(v4 >>> 16);
                groups[count++] = (int)(v4 & 0xFFFF);
                i = to;
                break;
            }
            if (i == start)
            {
                return null;
            }
            groups[count++] = value;
            if (i == to)
            {
                break;
            }
            if (s.charAt(i) != ':')
            {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':')
            {
                if (gap >= 0)
                {
                    return null;
                }
                gap = count;
                i++;
                if (i == to)
                {
                    break;
                }
            }
            else if (i == to)
            {
                return null;
            }
        }
        if (gap < 0 ? count != 8 : count > 7)
        {
            return null;
        }
        final int[] full = new int[8];
        if (gap < 0)
        {
            System.arraycopy(groups, 0, full, 0, 8);
        }
        else
        {
            System.arraycopy(groups, 0, full, 0, gap);
            final int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++)
        {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return new IpAddress(V6, hi, lo);
    }

    private static int hexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof IpAddress && ((IpAddress)o).family == family && ((IpAddress)o).hi == hi &&
            ((IpAddress)o).lo == lo;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(hi * 31 + lo) * 31 + family;
    }

    @Override
    public String toString()
    {
        if (V4 == family)
        {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        final StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++)
        {
            if (g > 0)
            {
                sb.append(':');
            }
            final long word = g < 4 ? hi : lo;
            sb.append(Long.toHexString((word >>> (48 - 16 * (g & 3))) & 0xFFFF));
        }
        return sb.toString();
    }
}
