package io.peerlane.state;

import java.security.SecureRandom;

/**
 * Per-process seeded hashes for the registry's indexes, so that input cannot be crafted to collide (node
 * ids carry a seeded hash of their own, made once when the id is made).
 * Nothing that is written out depends on hash order: outputs sort by id.
 */
final class KeyHashers
{
    /** A hash of a key; the indexes take the bits they need from it. */
    @FunctionalInterface
    interface KeyHasher<K>
    {
        int hash(K key);
    }

    private static final long SEED = new SecureRandom().nextLong() | 1;

    static final KeyHasher<String> STRING = s ->
    {
        long h = SEED;
        for (int i = 0; i < s.length(); i++)
        {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return fold(mix(h ^ s.length()));
    };

    private KeyHashers()
    {
    }

    /** Spreads a hash over the low bits an open-addressing table indexes by. */
    static int spread(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static long mix(final long value)
    {
        long z = value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int fold(final long value)
    {
        return (int)(value ^ (value >>> 32));
    }
}
