package io.peerlane.state;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PublicKey;

import java.security.SecureRandom;

/**
 * Per-process seeded hashes for the registry's indexes, so that input cannot be crafted to collide.
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

    /** Ids carry their own seeded hash, made once when the id is made. */
    static final KeyHasher<NodeId> NODE_ID = NodeId::hashCode;

    static final KeyHasher<String> STRING = s ->
    {
        long h = SEED;
        for (int i = 0; i < s.length(); i++)
        {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return fold(mix(h ^ s.length()));
    };

    static final KeyHasher<PublicKey> PUBLIC_KEY = k -> fold(mix(k.seededHash(SEED)));

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
