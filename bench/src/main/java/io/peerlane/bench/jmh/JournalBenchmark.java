package io.peerlane.bench.jmh;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalReader;
import io.peerlane.journal.JournalReport;
import io.peerlane.journal.JournalVerifier;
import io.peerlane.journal.JournalWriter;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.ObserverRole;
import io.peerlane.state.CommitResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cost of recording, in one run:
 * <ul>
 *   <li>{@code engine}: committed upserts per second through the engine of {@link EngineThroughputBenchmark}
 *       (compact, blocking wait strategy, three no-op observers, one producer) with the journal {@code OFF}
 *       and on under each force policy; {@code OFF} against {@code NEVER} is the cost of recording itself.</li>
 *   <li>{@code append}: one upsert appended to a mapped segment by a {@link JournalWriter} alone, with a run
 *       end every 64 records as the engine's stage does; {@code -prof gc} shows what an append allocates
 *       (the records are made once, in setup).</li>
 *   <li>{@code verify} and {@code readAll}: records per second of {@link JournalVerifier#verify} (CRCs and
 *       layout in place) and of a {@link JournalReader} decoding every entry, over a journal of
 *       {@link Verify#RECORDS} upserts written in setup.</li>
 * </ul>
 * The engine runs write about 250 bytes per op to {@code java.io.tmpdir}: a 20 s trial at 1 M ops/s needs
 * some 5 GB free there.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
public class JournalBenchmark
{
    /** The engine, with or without a journal. */
    @State(Scope.Benchmark)
    public static class Recording
    {
        /** OFF, or the force policy of the journal. */
        @Param({ "OFF", "NEVER", "EVERY_N_MS", "EVERY_BATCH" })
        public String journal;

        /** COMPACT (the journal appended by the consumer thread) or PIPELINED (a journal lane). */
        @Param({ "COMPACT" })
        public String topology;

        /** Whether the writer prepares its next segment ahead ({@code JournalWriter.Context.prefault}). */
        @Param({ "true" })
        public boolean prefault;

        PeerlaneEngine engine;
        Path dir;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            final EngineContext ctx = new EngineContext()
                .topology(Topology.valueOf(topology))
                .waitStrategy(WaitStrategyKind.BLOCKING)
                .observer("noop-1", ObserverRole.STANDARD, e -> { })
                .observer("noop-2", ObserverRole.STANDARD, e -> { })
                .observer("noop-3", ObserverRole.STANDARD, e -> { });
            if (!"OFF".equals(journal))
            {
                dir = Files.createTempDirectory("peerlane-jmh-journal");
                ctx.journal(new JournalWriter.Context().directory(dir).forcePolicy(ForcePolicy.valueOf(journal))
                    .prefault(prefault));
            }
            engine = PeerlaneEngine.launch(ctx);
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            engine.close();
            delete(dir);
        }
    }

    /** A producer of the engine. */
    @State(Scope.Thread)
    public static class Producer extends EngineThroughputBenchmark.ProducerBase
    {
        @Setup(Level.Trial)
        public void setUp(final Recording recording)
        {
            records = BenchRecords.forThread(recording.threads.getAndIncrement());
        }
    }

    /** A writer alone, and the same records over and over. */
    @State(Scope.Thread)
    public static class Append
    {
        /** Whether the writer prepares its next segment ahead, or each append faults its fresh pages in. */
        @Param({ "true", "false" })
        public boolean prefault;

        CommitResult result;
        /** One upsert per record, made before the measured appends so that they allocate nothing. */
        MutationValue[] upserts;
        JournalWriter writer;
        Path dir;
        long sequence;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            upserts = BenchRecords.upserts(0);
            result = BenchRecords.added(upserts[0]);
            dir = Files.createTempDirectory("peerlane-jmh-append");
            writer = JournalWriter.open(new JournalWriter.Context().directory(dir).forcePolicy(ForcePolicy.NEVER)
                .prefault(prefault));
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            writer.close();
            delete(dir);
        }
    }

    /** A journal of {@link #RECORDS} upserts, written once. */
    @State(Scope.Benchmark)
    public static class Verify
    {
        static final int RECORDS = 2_000_000;
        Path dir;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            final MutationValue[] upserts = BenchRecords.upserts(0);
            final CommitResult result = BenchRecords.added(upserts[0]);
            dir = Files.createTempDirectory("peerlane-jmh-verify");
            try (JournalWriter writer = JournalWriter.open(new JournalWriter.Context().directory(dir)
                .forcePolicy(ForcePolicy.NEVER)))
            {
                for (int i = 0; i < RECORDS; i++)
                {
                    final MutationValue upsert = upserts[i & (BenchRecords.PER_THREAD - 1)];
                    writer.append(i + 1, upsert.time(), upsert, result);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            delete(dir);
        }
    }

    @Benchmark
    @Threads(1)
    public long engine(final Recording recording, final Producer producer, final EngineThroughputBenchmark.ConsumerCpu cpu)
    {
        return recording.engine.upsert(producer.nextRecord());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long append(final Append a)
    {
        final MutationValue upsert = a.upserts[a.next++ & (BenchRecords.PER_THREAD - 1)];
        a.writer.append(++a.sequence, upsert.time(), upsert, a.result);
        if ((a.sequence & 63) == 0)
        {
            a.writer.endOfBatch();
        }
        return a.sequence;
    }

    @Benchmark
    @OperationsPerInvocation(Verify.RECORDS)
    public long verify(final Verify v)
    {
        final JournalReport report = JournalVerifier.verify(v.dir);
        if (!report.intact() || report.recordCount() != Verify.RECORDS)
        {
            throw new IllegalStateException(report.toString());
        }
        return report.recordCount();
    }

    @Benchmark
    @OperationsPerInvocation(Verify.RECORDS)
    public long readAll(final Verify v)
    {
        long n = 0;
        try (JournalReader reader = JournalReader.open(v.dir))
        {
            for (JournalEntry e = reader.next(); null != e; e = reader.next())
            {
                n += e.sequence();
            }
        }
        return n;
    }

    static void delete(final Path dir)
    {
        io.peerlane.bench.TempDirectory.delete(dir);
    }
}
