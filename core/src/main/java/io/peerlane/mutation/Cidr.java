package io.peerlane.mutation;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.IpAddress;

/** An IPv4 or IPv6 network such as {@code 10.1.2.0/24} with no host bits set; compares as a network. */
public final class Cidr
{
    private final int family;
    private final long hi;
    private final long lo;
    private final int prefixLength;

    private Cidr(final int family, final long hi, final long lo, final int prefixLength)
    {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
        this.prefixLength = prefixLength;
    }

    /**
     * @param field the field's path for errors.
     * @param text  {@code address/prefix}.
     * @return the network.
     * @throws InvalidInputException when the text is no CIDR or has host bits set.
     */
    public static Cidr parse(final String field, final String text)
    {
        final int slash = null == text ? -1 : text.indexOf('/');
        if (slash < 0)
        {
            throw new InvalidInputException(field, text, "must be a CIDR such as 10.1.2.0/24 or 2001:db8::/32");
        }
        final IpAddress ip = IpAddress.parse(text.substring(0, slash));
        final String len = text.substring(slash + 1);
        if (null == ip || len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9') ||
            (len.length() > 1 && len.charAt(0) == '0'))
        {
            throw new InvalidInputException(field, text, "must be a CIDR such as 10.1.2.0/24 or 2001:db8::/32");
        }
        final int prefix = Integer.parseInt(len);
        final int max = ip.family() == IpAddress.V4 ? 32 : 128;
        if (prefix > max)
        {
            throw new InvalidInputException(field, text, "prefix length must be at most " + max);
        }
        if (!ip.inNetwork(ip.family(), ip.hi(), ip.lo(), prefix))
        {
            throw new InvalidInputException(field, text, "must have no host bits set past the prefix");
        }
        return new Cidr(ip.family(), ip.hi(), ip.lo(), prefix);
    }

    /**
     * @param ip           an address.
     * @param prefixLength bits to keep.
     * @return the network of that length holding the address.
     */
    public static Cidr networkOf(final IpAddress ip, final int prefixLength)
    {
        if (ip.family() == IpAddress.V4)
        {
            final long mask = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return new Cidr(IpAddress.V4, 0, ip.lo() & mask, prefixLength);
        }
        final long hiMask = prefixLength <= 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
        final long loMask = prefixLength <= 64 ? 0 : prefixLength >= 128 ? -1L : -1L << (128 - prefixLength);
        return new Cidr(IpAddress.V6, ip.hi() & hiMask, ip.lo() & loMask, prefixLength);
    }

    /**
     * @param ip an address.
     * @return whether it lies in this network.
     */
    public boolean contains(final IpAddress ip)
    {
        return ip.inNetwork(family, hi, lo, prefixLength);
    }

    /** @return 4 or 6. */
    public int family()
    {
        return family;
    }

    /** @return prefix length in bits. */
    public int prefixLength()
    {
        return prefixLength;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Cidr && ((Cidr)o).family == family && ((Cidr)o).hi == hi && ((Cidr)o).lo == lo &&
            ((Cidr)o).prefixLength == prefixLength;
    }

    @Override
    public int hashCode()
    {
        return (Long.hashCode(hi) * 31 + Long.hashCode(lo)) * 31 + prefixLength * 7 + family;
    }

    @Override
    public String toString()
    {
        if (family == IpAddress.V4)
        {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF) + "/" +
                prefixLength;
        }
        final StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++)
        {
            if (g > 0)
            {
                sb.append(':');
            }
            sb.append(Long.toHexString(((g < 4 ? hi : lo) >>> (48 - 16 * (g & 3))) & 0xFFFF));
        }
        return sb.append('/').append(prefixLength).toString();
    }
}
