package io.peerlane.admission;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;

/**
 * Records for the admission tests: peer {@code n} has an id whose last word is {@code n} (so ids sort as
 * the numbers do), its own DID and key, and no endpoint unless the test gives some.
 */
final class Records
{
    /** An event time in 2023, far from 0 so that windows and time to live never clamp. */
    static final long T0 = 1_700_000_000_000L;

    private Records()
    {
    }

    static NodeId id(final long n)
    {
        return NodeId.of(0x0a0a_0000_0000_0000L, 0, 0, n);
    }

    static PublicKey key(final long n)
    {
        return PublicKey.fromHex("key", String.format("%016x", n));
    }

    /** @return peer {@code n} at version 1, seen at {@link #T0}, with DID {@code did:test:n<n>}. */
    static PeerRecord.Builder peer(final long n)
    {
        return PeerRecord.builder(id(n))
            .did("did:test:n" + n)
            .device("dev" + n)
            .publicKey(key(n))
            .version(1)
            .lastSeen(T0);
    }

    /** @return peer {@code n} with one TCP endpoint at {@code address}. */
    static PeerRecord.Builder at(final long n, final String address)
    {
        return peer(n).endpoint(tcp(address));
    }

    static Endpoint tcp(final String address)
    {
        return Endpoint.of(address, Protocol.TCP, 5, 0.5);
    }
}
