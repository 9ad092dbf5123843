package io.peerlane.bench.jmh;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.peer.PeerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The read path under a concurrent writer: two readers look peers up by id in the live table
 * ({@link PeerlaneEngine#get}, a sequence-lock read that copies nothing) while a producer keeps the commit
 * stage busy with updates of the same peers. {@code writerAlone} is the same producer with no reader, so
 * the two groups' {@code writer} figures show what readers cost the writer: they write nothing shared, so
 * only the CPU they take on a small machine should show. {@code viewUnderWriter} times a whole immutable
 * copy ({@link PeerlaneEngine#view}) of the 1024 peers under the same writer.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Group)
public class ReadPathBenchmark
{
    private PeerlaneEngine engine;
    private PeerRecord[] records;

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = PeerlaneEngine.launch(new EngineContext());
        records = BenchRecords.forThread(0);
        for (final PeerRecord r : records)
        {
            engine.upsert(r.withVersion(1, r.lastSeen()));
        }
        engine.tickAndWait(java.time.Duration.ofSeconds(10));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }

    /** Per-thread position. */
    @State(Scope.Thread)
    public static class Cursor
    {
        int next;
        long version = 1;
    }

    @Benchmark
    @Group("readUnderWriter")
    @GroupThreads(2)
    public Object getById(final Cursor cursor)
    {
        return engine.get(records[cursor.next++ & (BenchRecords.PER_THREAD - 1)].id());
    }

    @Benchmark
    @Group("readUnderWriter")
    @GroupThreads(1)
    public long writer(final Cursor cursor)
    {
        return write(cursor);
    }

    @Benchmark
    @Group("writerAlone")
    @GroupThreads(1)
    public long writerAloneWriter(final Cursor cursor)
    {
        return write(cursor);
    }

    @Benchmark
    @Group("viewUnderWriter")
    @GroupThreads(1)
    public Object view()
    {
        return engine.view();
    }

    @Benchmark
    @Group("viewUnderWriter")
    @GroupThreads(1)
    public long viewWriter(final Cursor cursor)
    {
        return write(cursor);
    }

    private long write(final Cursor cursor)
    {
        final PeerRecord base = records[cursor.next++ & (BenchRecords.PER_THREAD - 1)];
        return engine.upsert(base.withVersion(++cursor.version, base.lastSeen()));
    }
}
