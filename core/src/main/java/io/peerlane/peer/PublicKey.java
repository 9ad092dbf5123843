package io.peerlane.peer;

import java.util.Arrays;

/** A peer's public key: 1 to 4096 bytes, immutable, written as lowercase hex. */
public final class PublicKey
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bytes;
    private final int hash;

    private PublicKey(final byte[] bytes)
    {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * @param field the field's path for errors.
     * @param hex   lowercase hex, an even number of characters, 1 to 4096 bytes.
     * @return the key.
     * @throws InvalidInputException naming the field when the text is not such hex.
     */
    public static PublicKey fromHex(final String field, final String hex)
    {
        if (null == hex)
        {
            throw new InvalidInputException(field, null, "is required: lowercase hex, 1 to 4096 bytes");
        }
        if (hex.isEmpty() || (hex.length() & 1) != 0 || hex.length() > 2 * Limits.MAX_PUBLIC_KEY_BYTES)
        {
            throw new InvalidInputException(field, hex,
                "must be lowercase hex of 1 to 4096 bytes (an even count of 2 to 8192 characters), got " +
                hex.length() + " characters");
        }
        final byte[] bytes = new byte[hex.length() >> 1];
        for (int i = 0; i < hex.length(); i++)
        {
            final int nibble = NodeId.lowerHexValue(hex.charAt(i));
            if (nibble < 0)
            {
                throw new InvalidInputException(field, hex, "must be lowercase hex (bad character at " + i + ")");
            }
            bytes[i >> 1] |= (byte)(nibble << ((i & 1) == 0 ? 4 : 0));
        }
        return new PublicKey(bytes);
    }

    /**
     * @param field the field's path for errors.
     * @param bytes 1 to 4096 bytes; copied.
     * @return the key.
     */
    public static PublicKey fromBytes(final String field, final byte[] bytes)
    {
        if (null == bytes || bytes.length == 0 || bytes.length > Limits.MAX_PUBLIC_KEY_BYTES)
        {
            throw new InvalidInputException(field, null == bytes ? null : bytes.length + " bytes", "must be 1 to 4096 bytes");
        }
        return new PublicKey(bytes.clone());
    }

    /** @return a copy of the key's bytes. */
    public byte[] toBytes()
    {
        return bytes.clone();
    }

    /**
     * A hash of the key's bytes under a secret seed, for maps that must resist crafted collisions.
     *
     * @param seed the seed.
     * @return the hash.
     */
    public long seededHash(final long seed)
    {
        long h = seed;
        for (final byte b : bytes)
        {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h ^ bytes.length;
    }

    /**
     * Reads one byte without copying the key, for encoders that must not allocate.
     *
     * @param index from 0 to {@link #length()} - 1.
     * @return that byte.
     */
    public byte byteAt(final int index)
    {
        return bytes[index];
    }

    /** @return the length in bytes. */
    public int length()
    {
        return bytes.length;
    }

    /** @return lowercase hex. */
    public String toHex()
    {
        final char[] chars = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            chars[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            chars[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(chars);
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof PublicKey && ((PublicKey)o).hash == hash &&
            Arrays.equals(((PublicKey)o).bytes, bytes));
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        final String hex = toHex();
        return hex.length() > 16 ? hex.substring(0, 16) + "..." : hex;
    }
}
