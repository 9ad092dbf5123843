package io.peerlane.journal;

import io.peerlane.bench.jmh.BenchRecords;
import io.peerlane.mutation.MutationValue;
import io.peerlane.state.CommitResult;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The journal's encoder alone: the upserts of {@code JournalBenchmark.append}, each encoded as a frame (bound,
 * fields, CRC32C, length word) into 1 MiB of direct memory that stays in the cache, with no file behind it.
 * {@code JournalBenchmark.append} adds what a mapped segment costs on top (page faults, write-back, rolls);
 * this one is the CPU the writer's thread spends per record, per format version.
 * <p>
 * In {@code io.peerlane.journal} because the encoder is package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Thread)
public class FrameEncoderBenchmark
{
    private static final int MEMORY = 1 << 20;

    /** The format version encoded: 2 (packed, what the writer writes) or 1 (fixed widths, replication's). */
    @Param({ "2", "1" })
    public int version;

    private CommitResult result;
    private FrameEncoder encoder;
    private MutationValue[] upserts;
    private long sequence;
    private int next;
    private int offset = JournalDescriptor.HEADER_LENGTH;

    @Setup(Level.Trial)
    public void setUp()
    {
        upserts = BenchRecords.upserts(0);
        result = BenchRecords.added(upserts[0]);
        encoder = new FrameEncoder(version);
        encoder.wrap(ByteBuffer.allocateDirect(MEMORY));
    }

    @Benchmark
    public int encode()
    {
        final MutationValue upsert = upserts[next++ & (BenchRecords.PER_THREAD - 1)];
        final long max = FrameEncoder.maxFrameLength(upsert, result);
        if (offset + max > MEMORY)
        {
            offset = JournalDescriptor.HEADER_LENGTH;
        }
        final int length = encoder.encodeFrame(offset, max, ++sequence, upsert.time(), upsert, result);
        offset += length;
        return length;
    }
}
