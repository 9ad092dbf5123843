package io.peerlane.bench.jmh;

import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One mutation through each stage's work, single-threaded, to see where the time of the pipeline goes:
 * the prepare stage's vote (the validator set's authorised-key check), the commit stage's rules and state
 * change (the single writer, with the read view published every 256 changes as the engine does under
 * load), and the publish stage's delivery of the committed event to the three built-in subsystems.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Thread)
public class StageBenchmark
{
    private PeerRecord[] records;
    private RegistryState state;
    private final CommitResult result = new CommitResult();
    private long time;
    private final RegistryEvent event = new RegistryEvent();
    private ValidatorSetObserver validators;
    private KademliaObserver kademlia;
    private MeshObserver mesh;
    private long version;
    private long sequence;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        records = new PeerRecord[BenchRecords.PER_THREAD * 4];
        for (int t = 0; t < 4; t++)
        {
            System.arraycopy(BenchRecords.forThread(t), 0, records, t * BenchRecords.PER_THREAD, BenchRecords.PER_THREAD);
        }
        state = new RegistryState(RegistrySettings.defaults(), List.of());
        validators = new ValidatorSetObserver();
        kademlia = new KademliaObserver(NodeId.of(0x0123_4567_89AB_CDEFL, 1, 2, 3));
        mesh = new MeshObserver();
        time = records[0].lastSeen();
        for (final PeerRecord r : records)
        {
            commitNext();
        }
    }

    private PeerRecord nextRecord()
    {
        final PeerRecord base = records[next++ & (records.length - 1)];
        return base.withVersion(++version, base.lastSeen());
    }

    private CommitResult commitNext()
    {
        state.commit(MutationValue.upsert(time, nextRecord()), ++sequence, result);
        if ((sequence & 255) == 0)
        {
            state.view();
        }
        return result;
    }

    @Benchmark
    public Object prepareVote()
    {
        return validators.vote(nextRecord());
    }

    @Benchmark
    public Object commit()
    {
        return commitNext();
    }

    @Benchmark
    public Object commitAndPublishToSubsystems()
    {
        final CommitResult committed = commitNext();
        for (int line = 0, lines = committed.lineCount(); line < lines; line++)
        {
            event.wrap(committed, line);
            kademlia.onEvent(event);
            mesh.onEvent(event);
            validators.onEvent(event);
        }
        return committed;
    }
}
