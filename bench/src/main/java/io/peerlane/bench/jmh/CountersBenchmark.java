package io.peerlane.bench.jmh;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.metrics.CountersFile;
import io.peerlane.observer.ObserverRole;
import io.peerlane.peer.PeerRecord;
import org.agrona.concurrent.status.CountersReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The cost of the counters: {@link EngineThroughputBenchmark}'s engine (compact, three no-op observers, one
 * producer, a new record per op) with its counters in a plain buffer ({@code memory}: no counters directory),
 * in a memory-mapped counters file ({@code file}), and in the file while another thread reads every counter
 * each millisecond, as {@code ./peerlane stat} does at a far slower pace ({@code file+reader}).
 * <p>
 * The counters cannot be switched off: the observers' counts the engine always kept are the counters now, and
 * the commit stage adds one release store per outcome. To compare with the engine before the counters, run
 * {@code EngineThroughputBenchmark.peerlane1Producer} on both commits (BENCHMARKS.md). Under {@code -prof gc}
 * every mode must stay at the record alone ({@code gc.alloc.rate.norm} 104 B/op).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
public class CountersBenchmark
{
    /** One engine per trial, its counters where {@link #counters} says. */
    @State(Scope.Benchmark)
    public static class Engine
    {
        @Param({"memory", "file", "file+reader"})
        public String counters;

        PeerlaneEngine engine;
        Path dir;
        Thread reader;
        volatile boolean reading;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            final EngineContext ctx = new EngineContext()
                .topology(Topology.COMPACT)
                .waitStrategy(WaitStrategyKind.BLOCKING)
                .observer("noop-1", ObserverRole.STANDARD, e -> { })
                .observer("noop-2", ObserverRole.STANDARD, e -> { })
                .observer("noop-3", ObserverRole.STANDARD, e -> { });
            if (!"memory".equals(counters))
            {
                dir = Files.createTempDirectory("peerlane-jmh-counters");
                ctx.countersDirectory(dir);
            }
            engine = PeerlaneEngine.launch(ctx);
            if ("file+reader".equals(counters))
            {
                reading = true;
                reader = new Thread(this::read, "counters-reader");
                reader.setDaemon(true);
                reader.start();
            }
        }

        /** The sum of the last read, kept so that the reads are not optimised away. */
        volatile long readSum;

        /** Another reader of the mapped file, as a stat tool in another process would be; allocates nothing. */
        private void read()
        {
            try (CountersFile file = CountersFile.open(dir))
            {
                final CountersReader counters = file.reader();
                while (reading)
                {
                    long sum = 0;
                    for (int id = 0, max = counters.maxCounterId(); id <= max; id++)
                    {
                        if (counters.getCounterState(id) == CountersReader.RECORD_ALLOCATED)
                        {
                            sum += counters.getCounterValue(id);
                        }
                    }
                    readSum = sum;
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            reading = false;
            if (null != reader)
            {
                reader.join();
            }
            engine.close();
            io.peerlane.bench.TempDirectory.delete(dir);
        }
    }

    /** A producer thread's own records and version counter. */
    @State(Scope.Thread)
    public static class Producer
    {
        PeerRecord[] records;
        long version;
        int next;

        @Setup(Level.Trial)
        public void setUp(final Engine engine)
        {
            records = BenchRecords.forThread(engine.threads.getAndIncrement());
        }

        PeerRecord nextRecord()
        {
            final PeerRecord base = records[next++ & (BenchRecords.PER_THREAD - 1)];
            return base.withVersion(++version, base.lastSeen());
        }
    }

    @Benchmark
    @Threads(1)
    public long peerlane1Producer(final Engine engine, final Producer producer)
    {
        return engine.engine.upsert(producer.nextRecord());
    }
}
