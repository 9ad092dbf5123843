package io.peerlane.bench.jmh;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.state.StateSnapshot;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Snapshot creation (the registry's view for a new observer, and a state snapshot file of 4096 peers) and
 * journal append (one upsert with its outcome, flushed every 64 records as the journal stage does at the
 * end of a run of events; the page cache absorbs the writes, nothing is forced to the device).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Thread)
public class PersistenceBenchmark
{
    private RegistryState state;
    private final CommitResult result = new CommitResult();
    private long time;
    private PeerRecord[] records;
    private Path dir;
    private JournalWriter journal;
    private long sequence;
    private long version;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        records = new PeerRecord[BenchRecords.PER_THREAD * 4];
        for (int t = 0; t < 4; t++)
        {
            System.arraycopy(BenchRecords.forThread(t), 0, records, t * BenchRecords.PER_THREAD, BenchRecords.PER_THREAD);
        }
        state = new RegistryState(RegistrySettings.defaults(), List.of());
        time = records[0].lastSeen();
        for (final PeerRecord r : records)
        {
            state.commit(MutationValue.upsert(time, r.withVersion(1, r.lastSeen())), ++sequence, result);
        }
        dir = Files.createTempDirectory("peerlane-jmh");
        journal = JournalWriter.open(new JournalWriter.Context().directory(dir.resolve("journal"))
            .segmentLength(256L * 1024 * 1024).forcePolicy(ForcePolicy.NEVER));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        journal.close();
        io.peerlane.bench.TempDirectory.delete(dir);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object viewForNewObserver()
    {
        state.commit(MutationValue.upsert(time, records[next++ & (records.length - 1)].withVersion(++version + 1, time)),
            ++sequence, result);
        return state.view();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Path snapshotFileOf4096Peers()
    {
        final Path file = dir.resolve("state.snapshot");
        StateSnapshot.write(state, file);
        return file;
    }

    @Benchmark
    public long journalAppend()
    {
        final MutationValue upsert =
            MutationValue.upsert(time, records[next++ & (records.length - 1)].withVersion(++version + 1, time));
        journal.append(++sequence, time, upsert, result);
        if ((sequence & 63) == 0)
        {
            journal.endOfBatch();
        }
        return sequence;
    }
}
