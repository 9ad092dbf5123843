package io.peerlane.bench.jmh;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;

/** Records for JMH producers: each producer thread owns its own ids so that its versions only grow. */
public final class BenchRecords
{
    public static final int PER_THREAD = 1024;

    private BenchRecords()
    {
    }

    public static PeerRecord[] forThread(final int thread)
    {
        final PeerRecord[] records = new PeerRecord[PER_THREAD];
        for (int i = 0; i < PER_THREAD; i++)
        {
            final long n = ((long)thread << 32) | i;
            records[i] = PeerRecord.builder(NodeId.of(0xBE4C_0000_0000_0000L | thread, n * 0x9E3779B97F4A7C15L, 0, n))
                .did("did:bench:t" + thread + "-" + i)
                .device("dev" + i)
                .publicKey(PublicKey.fromHex("publicKey", String.format("%016x%016x", thread, n)))
                .version(0)
                .lastSeen(System.currentTimeMillis())
                .endpoint(Endpoint.of("10." + thread + "." + (i / 200) + "." + (i % 200) + ":4000", Protocol.TCP, 5, 0.9))
                .build();
        }
        return records;
    }
}
