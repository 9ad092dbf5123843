package io.peerlane.state;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.List;


/**
 * Lincheck: the lock-free read path is linearizable against the single writer. One writer thread (the
 * "writer" group never runs in parallel with itself, as the commit stage never does) upserts, removes and
 * commits two-peer batches; reader threads look peers up in the live table ({@link RegistryState#read})
 * and take views ({@link RegistryState#readView}). Every read must match some point of a sequential
 * execution: a lookup never sees a write that has not begun or misses one that has ended (read-your-
 * writes), and a view never holds half a batch (the pair {@code id}, {@code id + 4} always agree).
 * The sequential specification is this class run on one thread.
 */
@Param(name = "id", gen = IntGen.class, conf = "0:3")
public class RegistryReadLinearizabilityTest
{
    private static final RegistrySettings SETTINGS = RegistrySettings.builder().maxDevicesPerDid(0).build();

    private final RegistryState state = new RegistryState(SETTINGS, List.of());
    private final CommitResult out = new CommitResult();
    private long sequence;
    private long version;

    @Operation(nonParallelGroup = "writer")
    public String upsert(@Param(name = "id") final int id)
    {
        return commit(MutationValue.upsert(1_000, peer(id, ++version), null));
    }

    @Operation(nonParallelGroup = "writer")
    public String remove(@Param(name = "id") final int id)
    {
        return commit(MutationValue.remove(1_000, id(id)));
    }

    @Operation(nonParallelGroup = "writer")
    public String upsertPair(@Param(name = "id") final int id)
    {
        final long v = ++version;
        return commit(MutationValue.batch(1_000,
            Batch.builder().upsert(peer(id, v)).upsert(peer(id + 4, v)).build(), null));
    }

    @Operation(nonParallelGroup = "writer")
    public String removePair(@Param(name = "id") final int id)
    {
        return commit(MutationValue.batch(1_000, Batch.builder().remove(id(id)).remove(id(id + 4)).build(), null));
    }

    @Operation
    public long get(@Param(name = "id") final int id)
    {
        final PeerRecord r = state.read(id(id));
        return null == r ? -1 : r.version();
    }

    @Operation
    public String pairInOneView(@Param(name = "id") final int id)
    {
        final RegistryView view = state.readView();
        final PeerRecord a = view.get(id(id));
        final PeerRecord b = view.get(id(id + 4));
        return (null == a ? "-" : Long.toString(a.version())) + "/" + (null == b ? "-" : Long.toString(b.version())) +
            " of " + view.size();
    }

    private String commit(final Mutation m)
    {
        state.commit(m, sequence++, out);
        return out.toString();
    }

    private static NodeId id(final int n)
    {
        return NodeId.of(0, 0, 0, n);
    }

    private static PeerRecord peer(final int n, final long version)
    {
        return PeerRecord.builder(id(n)).did("did:test:p" + n).device("d").publicKeyHex("0a").version(version)
            .lastSeen(1_000).build();
    }

    @Test
    void modelChecking()
    {
        LinCheckerKt.check(new ModelCheckingOptions().iterations(8).invocationsPerIteration(200)
            .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(1), RegistryReadLinearizabilityTest.class);
    }

    @Test
    void stress()
    {
        LinCheckerKt.check(new StressOptions().iterations(30).invocationsPerIteration(2_000)
            .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(1), RegistryReadLinearizabilityTest.class);
    }
}
