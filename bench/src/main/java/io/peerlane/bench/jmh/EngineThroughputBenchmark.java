package io.peerlane.bench.jmh;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.observer.ObserverRole;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Committed upserts per second through the engine (compact, three no-op observers) against, in the same
 * run and on the same records: a raw Disruptor ring whose one handler puts each record in a plain
 * {@link HashMap} (the ideal single writer: the state change alone), and a raw ring with a no-op handler
 * (the ceiling). Every producer makes one record per op ({@link PeerRecord#withVersion}) in all three, so
 * the difference in {@code gc.alloc.rate.norm} under {@code -prof gc} is what the engine itself allocates.
 * <p>
 * Producers block when the ring is full, so in steady state the publish rate is the commit rate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
public class EngineThroughputBenchmark
{
    /** One Peerlane engine per trial, with the same wait strategy as the raw rings. */
    @State(Scope.Benchmark)
    public static class Engine
    {
        public String waitStrategy = "BLOCKING";

        PeerlaneEngine engine;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void start()
        {
            engine = PeerlaneEngine.launch(new EngineContext()
                .topology(Topology.COMPACT)
                .waitStrategy(WaitStrategyKind.valueOf(waitStrategy))
                .observer("noop-1", ObserverRole.STANDARD, e -> { })
                .observer("noop-2", ObserverRole.STANDARD, e -> { })
                .observer("noop-3", ObserverRole.STANDARD, e -> { }));
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            engine.close();
        }
    }

    /** The same engine with the journal stage on (default force policy), for the cost of recording. */
    @State(Scope.Benchmark)
    public static class JournalEngine
    {
        public String waitStrategy = "BLOCKING";

        PeerlaneEngine engine;
        final AtomicInteger threads = new AtomicInteger();
        java.nio.file.Path dir;

        @Setup(Level.Trial)
        public void start()
        {
            try
            {
                dir = java.nio.file.Files.createTempDirectory("peerlane-jmh-journal");
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
            engine = PeerlaneEngine.launch(new EngineContext()
                .topology(Topology.COMPACT)
                .waitStrategy(WaitStrategyKind.valueOf(waitStrategy))
                .journal(new io.peerlane.journal.JournalWriter.Context().directory(dir.resolve("journal")))
                .observer("noop-1", ObserverRole.STANDARD, e -> { })
                .observer("noop-2", ObserverRole.STANDARD, e -> { })
                .observer("noop-3", ObserverRole.STANDARD, e -> { }));
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            engine.close();
            io.peerlane.bench.TempDirectory.delete(dir);
        }
    }

    /** A raw ring slot. */
    public static final class Slot
    {
        PeerRecord record;
    }

    /** A raw multi-producer ring with one handler. */
    public abstract static class RawRing
    {
        Disruptor<Slot> disruptor;
        RingBuffer<Slot> ring;
        final AtomicInteger threads = new AtomicInteger();

        abstract EventHandler<Slot> handler();

        @Setup(Level.Trial)
        public void start()
        {
            disruptor = new Disruptor<>(Slot::new, io.peerlane.config.Configuration.RING_SIZE_DEFAULT, r ->
            {
                final Thread t = new Thread(r, "raw-ring");
                t.setDaemon(true);
                return t;
            }, ProducerType.MULTI, new com.lmax.disruptor.BlockingWaitStrategy());
            disruptor.handleEventsWith(handler());
            ring = disruptor.start();
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            disruptor.shutdown();
        }

        void publish(final PeerRecord record)
        {
            final long sequence = ring.next();
            ring.get(sequence).record = record;
            ring.publish(sequence);
        }
    }

    /** The ideal single writer: the same upserts into a plain HashMap. */
    @State(Scope.Benchmark)
    public static class HashMapRing extends RawRing
    {
        final HashMap<NodeId, PeerRecord> map = new HashMap<>();

        @Override
        EventHandler<Slot> handler()
        {
            return (slot, sequence, endOfBatch) -> map.put(slot.record.id(), slot.record);
        }
    }

    /** The ceiling: a handler that does nothing. */
    @State(Scope.Benchmark)
    public static class NoOpRing extends RawRing
    {
        @Override
        EventHandler<Slot> handler()
        {
            return (slot, sequence, endOfBatch) -> { };
        }
    }

    /** A producer thread's own records and version counter. */
    public abstract static class ProducerBase
    {
        PeerRecord[] records;
        long version;
        int next;

        PeerRecord nextRecord()
        {
            final PeerRecord base = records[next++ & (BenchRecords.PER_THREAD - 1)];
            return base.withVersion(++version, base.lastSeen());
        }
    }

    /** A producer of the plain engine. */
    @State(Scope.Thread)
    public static class Producer extends ProducerBase
    {
        @Setup(Level.Trial)
        public void setUp(final Engine engine)
        {
            records = BenchRecords.forThread(engine.threads.getAndIncrement());
        }
    }

    /** The same, for the raw rings. */
    @State(Scope.Thread)
    public static class RawProducer extends ProducerBase
    {
        @Setup(Level.Trial)
        public void setUp()
        {
            records = BenchRecords.forThread(THREADS.getAndIncrement() & 3);
        }
    }

    /**
     * The consumer thread's CPU time, as a JMH secondary result {@code consumerCpuNs}: the nanoseconds of CPU the
     * consumer (the engine's compact thread, or the raw ring's handler thread) used over the measured iterations,
     * summed. Divided by the ops of those iterations (the score times the measured seconds) it is the consumer's
     * CPU per op, a figure that moves less than ops/s with how the scheduler places producer and consumer on two
     * cores. With several producers only the first producer's state measures it.
     */
    @State(Scope.Thread)
    @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.EVENTS)
    public static class ConsumerCpu
    {
        static final AtomicInteger CLAIMED = new AtomicInteger();
        /** Nanoseconds of the consumer's CPU in this iteration (JMH sums the iterations'). */
        public long consumerCpuNs;
        private boolean measures;
        private long threadId = -1;
        private long start;

        @Setup(Level.Trial)
        public void claim()
        {
            measures = CLAIMED.getAndIncrement() % 64 == 0;
        }

        @TearDown(Level.Trial)
        public void release()
        {
            CLAIMED.set(0);
        }

        @Setup(Level.Iteration)
        public void begin()
        {
            consumerCpuNs = 0;
            if (!measures)
            {
                return;
            }
            threadId = -1;
            for (final Thread t : Thread.getAllStackTraces().keySet())
            {
                if (t.getName().startsWith("peerlane-compact") || t.getName().startsWith("raw-ring"))
                {
                    threadId = t.getId();
                }
            }
            start = cpu();
        }

        @TearDown(Level.Iteration)
        public void end()
        {
            final long end = cpu();
            // -1: the thread ended or CPU time is not measured here; report nothing rather than a negative.
            if (measures && threadId >= 0 && start >= 0 && end >= start)
            {
                consumerCpuNs = end - start;
            }
        }

        private long cpu()
        {
            return threadId < 0 ? 0 : java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
        }
    }

    static final AtomicInteger THREADS = new AtomicInteger();

    @Benchmark
    @Threads(1)
    public long peerlane1Producer(final Engine engine, final Producer producer, final ConsumerCpu cpu)
    {
        return engine.engine.upsert(producer.nextRecord());
    }

    @Benchmark
    @Threads(4)
    public long peerlane4Producers(final Engine engine, final Producer producer, final ConsumerCpu cpu)
    {
        return engine.engine.upsert(producer.nextRecord());
    }

    /**
     * Every event its own run: the producer awaits each outcome before the next publish, so the commit stage
     * wakes, decides one event and sleeps again. Beyond the record, the producer is handed an
     * {@link io.peerlane.outcome.Outcome} (its own allocation, outside the engine).
     */
    @Benchmark
    @Threads(1)
    public Object peerlaneAwait1Producer(final Engine engine, final Producer producer)
    {
        return engine.engine.upsertAndWait(producer.nextRecord(), AWAIT);
    }

    private static final java.time.Duration AWAIT = java.time.Duration.ofSeconds(10);

    @Benchmark
    @Threads(1)
    public long peerlaneJournal1Producer(final JournalEngine engine, final JournalProducer producer)
    {
        return engine.engine.upsert(producer.nextRecord());
    }

    @Benchmark
    @Threads(4)
    public long peerlaneJournal4Producers(final JournalEngine engine, final JournalProducer producer)
    {
        return engine.engine.upsert(producer.nextRecord());
    }

    /** A producer of the journaling engine. */
    @State(Scope.Thread)
    public static class JournalProducer extends ProducerBase
    {
        @Setup(Level.Trial)
        public void setUp(final JournalEngine engine)
        {
            records = BenchRecords.forThread(engine.threads.getAndIncrement());
        }
    }

    @Benchmark
    @Threads(1)
    public void hashMapRing1Producer(final HashMapRing ring, final RawProducer producer, final ConsumerCpu cpu)
    {
        ring.publish(producer.nextRecord());
    }

    @Benchmark
    @Threads(4)
    public void hashMapRing4Producers(final HashMapRing ring, final RawProducer producer, final ConsumerCpu cpu)
    {
        ring.publish(producer.nextRecord());
    }

    @Benchmark
    @Threads(1)
    public void noOpRing1Producer(final NoOpRing ring, final RawProducer producer)
    {
        ring.publish(producer.nextRecord());
    }

    @Benchmark
    @Threads(4)
    public void noOpRing4Producers(final NoOpRing ring, final RawProducer producer)
    {
        ring.publish(producer.nextRecord());
    }
}
