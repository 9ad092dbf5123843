package io.peerlane.subsystem;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;

import java.util.Random;

/** Small factories for the subsystem tests. */
public final class TestPeers
{
    private TestPeers()
    {
    }

    /**
     * @param w3 the low 64 bits.
     * @return an id whose other bits are 0.
     */
    public static NodeId low(final long w3)
    {
        return NodeId.of(0, 0, 0, w3);
    }

    /**
     * @param random source.
     * @return a random id.
     */
    public static NodeId randomId(final Random random)
    {
        return NodeId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /**
     * @param base  an id.
     * @param bit   0 to 255, counted from the least significant bit.
     * @param random source of the bits below {@code bit}.
     * @return an id equal to {@code base} above {@code bit}, differing at {@code bit}, random below: a member of
     * bucket {@code bit} of a table whose local id is {@code base}.
     */
    public static NodeId inBucket(final NodeId base, final int bit, final Random random)
    {
        final long[] w = new long[4];
        for (int i = 0; i < 4; i++)
        {
            final int lowBit = 192 - 64 * i;
            final long d;
            if (bit > lowBit + 63)
            {
                d = random.nextLong();
            }
            else if (bit < lowBit)
            {
                d = 0;
            }
            else
            {
                final int b = bit - lowBit;
                d = (1L << b) | (random.nextLong() & ((1L << b) - 1));
            }
            w[i] = base.word(i) ^ d;
        }
        return NodeId.of(w[0], w[1], w[2], w[3]);
    }

    /**
     * @param id the peer's id.
     * @return a builder with the required fields filled in from the id: version 1, lastSeen 0.
     */
    public static PeerRecord.Builder peer(final NodeId id)
    {
        return PeerRecord.builder(id)
            .did("did:test:" + id.toHex().substring(0, 16))
            .device("d1")
            .publicKey(key(id.toHex().substring(0, 8)))
            .version(1)
            .lastSeen(0);
    }

    /**
     * @param hex lowercase hex.
     * @return the key.
     */
    public static PublicKey key(final String hex)
    {
        return PublicKey.fromHex("publicKey", hex);
    }

    /**
     * @param address an endpoint address.
     * @param protocol its transport.
     * @return the endpoint.
     */
    public static Endpoint endpoint(final String address, final Protocol protocol)
    {
        return Endpoint.of(address, protocol, 10, 0.5);
    }

    /**
     * @param address an endpoint address.
     * @return a TCP endpoint.
     */
    public static Endpoint tcp(final String address)
    {
        return endpoint(address, Protocol.TCP);
    }
}
