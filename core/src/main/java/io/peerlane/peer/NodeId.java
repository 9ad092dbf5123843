package io.peerlane.peer;

/**
 * A 32-byte node id, held as four big-endian longs so that equality, ordering and XOR distance cost a
 * handful of instructions and no array walk.
 * <p>
 * Ids order as their lowercase hex text does (unsigned, most significant byte first), which is the id
 * order of TRACE.md.
 */
public final class NodeId implements Comparable<NodeId>
{
    /** Length of an id in bytes. */
    public static final int BYTES = 32;
    /** Length of an id as hex text. */
    public static final int HEX_CHARS = 64;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Seeds the hash per process, so that ids cannot be crafted to collide in the registry's maps; nothing
     * that is written out depends on hash order.
     */
    private static final long HASH_SEED = new java.security.SecureRandom().nextLong();

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;
    private final int hash;

    private NodeId(final long w0, final long w1, final long w2, final long w3)
    {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
        this.hash = seededHash(w0, w1, w2, w3);
    }

    private static int seededHash(final long w0, final long w1, final long w2, final long w3)
    {
        long h = mix(HASH_SEED ^ w0);
        h = mix(h ^ w1);
        h = mix(h ^ w2);
        h = mix(h ^ w3);
        return (int)(h ^ (h >>> 32));
    }

    private static long mix(final long value)
    {
        long z = value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param w0 most significant 8 bytes.
     * @param w1 next 8 bytes.
     * @param w2 next 8 bytes.
     * @param w3 least significant 8 bytes.
     * @return the id.
     */
    public static NodeId of(final long w0, final long w1, final long w2, final long w3)
    {
        return new NodeId(w0, w1, w2, w3);
    }

    /**
     * Parses 64 lowercase hex characters.
     *
     * @param field name of the field, for the error.
     * @param hex   the text.
     * @return the id.
     * @throws InvalidInputException when the text is not 64 lowercase hex characters.
     */
    public static NodeId fromHex(final String field, final String hex)
    {
        if (null == hex)
        {
            throw new InvalidInputException(field, null, "is required: 64 lowercase hex characters");
        }
        if (hex.length() != HEX_CHARS)
        {
            throw new InvalidInputException(field, hex, "must be 64 lowercase hex characters, got " + hex.length());
        }
        final long[] words = new long[4];
        for (int i = 0; i < HEX_CHARS; i++)
        {
            final int nibble = lowerHexValue(hex.charAt(i));
            if (nibble < 0)
            {
                throw new InvalidInputException(
                    field, hex, "must be 64 lowercase hex characters (bad character at " + i + ")");
            }
            words[i >> 4] = (words[i >> 4] << 4) | nibble;
        }
        return new NodeId(words[0], words[1], words[2], words[3]);
    }

    /**
     * @param hex the text.
     * @return the id.
     * @throws InvalidInputException when the text is not 64 lowercase hex characters.
     */
    public static NodeId fromHex(final String hex)
    {
        return fromHex("id", hex);
    }

    /**
     * @param bytes 32 bytes, most significant first.
     * @return the id.
     */
    public static NodeId fromBytes(final byte[] bytes)
    {
        if (null == bytes || bytes.length != BYTES)
        {
            throw new InvalidInputException("id", null == bytes ? null : bytes.length + " bytes", "must be 32 bytes");
        }
        return new NodeId(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    static int lowerHexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static long word(final byte[] bytes, final int offset)
    {
        long w = 0;
        for (int i = 0; i < 8; i++)
        {
            w = (w << 8) | (bytes[offset + i] & 0xFF);
        }
        return w;
    }

    /**
     * @param index 0 (most significant) to 3.
     * @return that 64-bit word of the id.
     */
    public long word(final int index)
    {
        switch (index)
        {
            case 0: return w0;
            case 1: return w1;
            case 2: return w2;
            case 3: return w3;
            default: throw new IndexOutOfBoundsException("word index " + index + " is outside [0, 3]");
        }
    }

    /**
     * @return the 32 bytes, most significant first.
     */
    public byte[] toBytes()
    {
        final byte[] bytes = new byte[BYTES];
        for (int i = 0; i < BYTES; i++)
        {
            bytes[i] = (byte)(word(i >> 3) >>> (56 - 8 * (i & 7)));
        }
        return bytes;
    }

    /**
     * @return 64 lowercase hex characters.
     */
    public String toHex()
    {
        final char[] chars = new char[HEX_CHARS];
        for (int i = 0; i < HEX_CHARS; i++)
        {
            chars[i] = HEX[(int)(word(i >> 4) >>> (60 - 4 * (i & 15))) & 0xF];
        }
        return new String(chars);
    }

    /**
     * Index of the highest bit in which two ids differ, counted from the least significant bit (0 to 255),
     * or -1 when they are equal: the Kademlia bucket index of {@code other} seen from this id.
     *
     * @param other the other id.
     * @return the index of the highest differing bit, or -1.
     */
    public int highestDifferingBit(final NodeId other)
    {
        long x = w0 ^ other.w0;
        if (x != 0)
        {
            return 255 - Long.numberOfLeadingZeros(x);
        }
        x = w1 ^ other.w1;
        if (x != 0)
        {
            return 191 - Long.numberOfLeadingZeros(x);
        }
        x = w2 ^ other.w2;
        if (x != 0)
        {
            return 127 - Long.numberOfLeadingZeros(x);
        }
        x = w3 ^ other.w3;
        if (x != 0)
        {
            return 63 - Long.numberOfLeadingZeros(x);
        }
        return -1;
    }

    /**
     * @param other the other id.
     * @return the XOR distance to {@code other} as an id.
     */
    public NodeId xor(final NodeId other)
    {
        return new NodeId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2, w3 ^ other.w3);
    }

    /**
     * Compares the XOR distances {@code this ^ a} and {@code this ^ b} without allocating.
     *
     * @param a first id.
     * @param b second id.
     * @return negative when {@code a} is closer to this id than {@code b}, 0 when equal, positive otherwise.
     */
    public int compareDistance(final NodeId a, final NodeId b)
    {
        int c = Long.compareUnsigned(w0 ^ a.w0, w0 ^ b.w0);
        if (c != 0)
        {
            return c;
        }
        c = Long.compareUnsigned(w1 ^ a.w1, w1 ^ b.w1);
        if (c != 0)
        {
            return c;
        }
        c = Long.compareUnsigned(w2 ^ a.w2, w2 ^ b.w2);
        if (c != 0)
        {
            return c;
        }
        return Long.compareUnsigned(w3 ^ a.w3, w3 ^ b.w3);
    }

    @Override
    public int compareTo(final NodeId other)
    {
        int c = Long.compareUnsigned(w0, other.w0);
        if (c != 0)
        {
            return c;
        }
        c = Long.compareUnsigned(w1, other.w1);
        if (c != 0)
        {
            return c;
        }
        c = Long.compareUnsigned(w2, other.w2);
        if (c != 0)
        {
            return c;
        }
        return Long.compareUnsigned(w3, other.w3);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof NodeId))
        {
            return false;
        }
        final NodeId that = (NodeId)o;
        return hash == that.hash && w0 == that.w0 && w1 == that.w1 && w2 == that.w2 && w3 == that.w3;
    }

    /**
     * A hash of all 256 bits under a per-process random seed, worked out once when the id is made (on the
     * producer's thread, not the single writer's).
     */
    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return toHex();
    }
}
