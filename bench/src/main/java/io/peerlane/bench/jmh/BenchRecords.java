package io.peerlane.bench.jmh;

import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.List;

/** Records for JMH producers: each producer thread owns its own ids so that its versions only grow. */
public final class BenchRecords
{
    public static final int PER_THREAD = 1024;

    private BenchRecords()
    {
    }

    /**
     * @param thread the producer thread's number.
     * @return an upsert of each of {@link #forThread}'s records, all at the first one's lastSeen, made ahead so
     * that a measured loop over them allocates nothing.
     */
    public static MutationValue[] upserts(final int thread)
    {
        final PeerRecord[] records = forThread(thread);
        final MutationValue[] upserts = new MutationValue[records.length];
        for (int i = 0; i < records.length; i++)
        {
            upserts[i] = MutationValue.upsert(records[0].lastSeen(), records[i]);
        }
        return upserts;
    }

    /**
     * @param upsert an upsert.
     * @return the outcome a fresh registry gives it (ADDED): an outcome to record with the upserts.
     */
    public static CommitResult added(final MutationValue upsert)
    {
        final CommitResult result = new CommitResult();
        new RegistryState(RegistrySettings.defaults(), List.of()).commit(upsert, 1, result);
        return result;
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
