package io.peerlane.testing;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;

/** Small factories for test records. */
public final class Peers
{
    private Peers()
    {
    }

    /** @param n a number. @return an id whose last word is {@code n}. */
    public static NodeId id(final long n)
    {
        return NodeId.of(0x1111_0000_0000_0000L, 0, 0, n);
    }

    /** @param n a number. @return a one-byte-pattern key for {@code n}. */
    public static PublicKey key(final long n)
    {
        return PublicKey.fromHex("key", String.format("%016x", n));
    }

    /**
     * @param n       peer number.
     * @param version version.
     * @param lastSeen liveness.
     * @return a builder with the required fields set.
     */
    public static PeerRecord.Builder peer(final long n, final long version, final long lastSeen)
    {
        return PeerRecord.builder(id(n))
            .did("did:test:peer" + n)
            .device("dev" + n)
            .publicKey(key(n))
            .version(version)
            .lastSeen(lastSeen)
            .endpoint(Endpoint.of("10.0." + (n % 250) + ".1:4000", Protocol.TCP, 5, 0.9));
    }
}
