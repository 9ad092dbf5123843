package io.peerlane.tools;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.replication.ReplicaContext;
import io.peerlane.replication.ReplicatedRegistry;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code replicate-bench}: a replicated registry of three (or n) replicas in this JVM on loopback ports, its
 * leader driven by one producer keeping a window of upserts outstanding, against the single-node engine
 * driven the same way in the same run. Commit latency is from submit to acknowledgement (for the replicas:
 * committed on a majority and applied by the leader; for the single node: committed by the engine).
 * <p>
 * The decision: one process and one producer, so the figure is the replication's cost on this machine, with
 * both sides given the same load shape (a window, not one op at a time). Storage lies under
 * {@code java.io.tmpdir} and is deleted at the end, whatever the ending.
 */
@Command(name = "replicate-bench", mixinStandardHelpOptions = true,
    description = {
        "Runs a replicated registry (Apache Ratis, gRPC on loopback) of --replicas replicas in this process and " +
            "reports replicated upserts/s and commit latency (p50, p99, p99.9) against the single-node engine " +
            "under the same load in the same run.",
        "Storage goes to a temporary directory under java.io.tmpdir (or --work-dir), deleted at the end. Progress once " +
            "a second on stderr."})
final class ReplicateBenchCommand implements Callable<Integer>
{
    private static final RegistrySettings SETTINGS = RegistrySettings.builder().build();
    private static final int IDS = 10_000;
    /** Held: gRPC's INFO lines (java.util.logging) would interleave with the report; warnings still show. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

    @Spec
    CommandSpec spec;

    @Option(names = "--ops", paramLabel = "N", description = "Measured upserts per side, 1000 to 100000000 (default: ${DEFAULT-VALUE}).")
    long ops = 200_000;

    @Option(names = "--warmup", paramLabel = "N", description = "Upserts before measuring, per side, 0 to 100000000 (default: ${DEFAULT-VALUE}).")
    long warmup = 50_000;

    @Option(names = "--window", paramLabel = "N", description = "Upserts outstanding, 1 to 65536 (default: ${DEFAULT-VALUE}).")
    int window = 16_384;

    @Option(names = "--replicas", paramLabel = "N", description = "Replicas, an odd number from 1 to 7 (default: ${DEFAULT-VALUE}).")
    int replicas = 3;

    @Option(names = "--batch-ops", paramLabel = "N", description = "Most upserts in one log entry, 1 to 65535 (default: ${DEFAULT-VALUE}).")
    int batchOps = ReplicaContext.MAX_BATCH_OPS_DEFAULT;

    @Option(names = "--in-flight", paramLabel = "N", description = "Most log entries in flight, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    int inFlight = ReplicaContext.MAX_IN_FLIGHT_ENTRIES_DEFAULT;

    @Option(names = "--raft", paramLabel = "KEY=VALUE",
        description = "A Ratis property for every replica (ReplicaContext.raftProperty), such as " +
            "raft.server.log.write.buffer.size=8MB; repeatable.")
    java.util.Map<String, String> raft = new java.util.LinkedHashMap<>();

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "Where the replicas' temporary storage directory is made, an existing directory (default: java.io.tmpdir).")
    Path workDir;

    @Option(names = "--no-single-node", negatable = true, description = "Also run the single-node engine (default: true).")
    boolean singleNode = true;

    @Override
    public Integer call() throws Exception
    {
        check("--ops", ops, 1_000, 100_000_000);
        check("--warmup", warmup, 0, 100_000_000);
        check("--window", window, 1, 65_536);
        check("--batch-ops", batchOps, 1, 65_535);
        check("--in-flight", inFlight, 1, 1024);
        if (replicas < 1 || replicas > 7 || replicas % 2 == 0)
        {
            throw ToolException.usage("--replicas: " + replicas + " must be an odd number in [1, 7]");
        }
        for (final java.util.Map.Entry<String, String> p : raft.entrySet())
        {
            if (!p.getKey().startsWith("raft.") || p.getValue().isEmpty())
            {
                throw ToolException.usage("--raft: " + p.getKey() + "=" + p.getValue() +
                    " must be KEY=VALUE with a Ratis key (raft.*) and a value");
            }
        }
        if (null != workDir && !Files.isDirectory(workDir))
        {
            throw ToolException.usage("--work-dir: " + workDir + " is not an existing directory");
        }
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
        // The tool halts on any thread's uncaught exception; a Ratis or gRPC thread's (seen at shutdown) is
        // theirs, not a failed run, and must not skip the cleanup: one line, then on. Out of memory still halts.
        final Thread.UncaughtExceptionHandler halting = Thread.getDefaultUncaughtExceptionHandler();
        final PrintWriter warn = spec.commandLine().getErr();
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) ->
        {
            if (ex instanceof OutOfMemoryError && null != halting)
            {
                halting.uncaughtException(thread, ex);
                return;
            }
            warn.println("replicate-bench: warning: thread " + thread.getName() + " failed: " + ex);
            warn.flush();
        });
        try
        {
            return measure();
        }
        finally
        {
            Thread.setDefaultUncaughtExceptionHandler(halting);
        }
    }

    private Integer measure() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        out.printf("replicate-bench: %d replicas on loopback (gRPC), %,d upserts after %,d warm-up, window %d, " +
            "entries of up to %d ops, %d in flight%s%n", replicas, ops, warmup, window, batchOps, inFlight,
            raft.isEmpty() ? "" : ", Ratis " + raft);
        final Result replicated = runReplicated(err);
        out.println(replicated.line(replicas + " replicas, loopback"));
        if (singleNode)
        {
            final Result single = runSingleNode(err);
            out.println(single.line("single-node engine"));
            out.printf("replicated / single-node throughput: %.2fx%n", replicated.opsPerSecond / single.opsPerSecond);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void check(final String option, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw ToolException.usage(option + ": " + value + " must be in [" + min + ", " + max + "]");
        }
    }

    private Result runReplicated(final PrintWriter err) throws Exception
    {
        final Path dir = null == workDir ? Files.createTempDirectory("peerlane-replicate-bench-") :
            Files.createTempDirectory(workDir, "peerlane-replicate-bench-");
        final ReplicatedRegistry[] cluster = new ReplicatedRegistry[replicas];
        // Ctrl-C: the replicas are closed and their storage deleted all the same.
        final Thread cleanup = new Thread(() -> closeAndDelete(cluster, dir, err), "peerlane-replicate-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            final UUID group = UUID.randomUUID();
            final int[] ports = new int[replicas];
            for (int i = 0; i < replicas; i++)
            {
                ports[i] = freePort();
            }
            for (int i = 0; i < replicas; i++)
            {
                final ReplicaContext ctx = new ReplicaContext().id("r" + i).groupId(group)
                    .storageDirectory(dir.resolve("r" + i)).settings(SETTINGS)
                    .maxBatchOps(batchOps).maxInFlightEntries(inFlight).snapshotThreshold(1_000_000);
                raft.forEach(ctx::raftProperty);
                for (int p = 0; p < replicas; p++)
                {
                    ctx.peer("r" + p, new InetSocketAddress(InetAddress.getLoopbackAddress().getHostAddress(), ports[p]));
                }
                cluster[i] = ReplicatedRegistry.launch(ctx);
            }
            final ReplicatedRegistry leader = awaitLeader(cluster, 30);
            final Driver submit = (time, record, done) -> leader.submit(MutationValue.upsert(time, record, null))
                .whenComplete((code, error) -> done.accept(error));
            drive("replicated warm-up", warmup, submit, err, 0);
            return drive("replicated", ops, submit, err, warmup);
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // The hook runs, or has run: it cleans up.
            }
            closeAndDelete(cluster, dir, err);
        }
    }

    private static synchronized void closeAndDelete(final ReplicatedRegistry[] cluster, final Path dir, final PrintWriter err)
    {
        for (int i = 0; i < cluster.length; i++)
        {
            final ReplicatedRegistry r = cluster[i];
            cluster[i] = null;
            if (null != r)
            {
                try
                {
                    r.close();
                }
                catch (final RuntimeException ex)
                {
                    err.println("replicate-bench: closing " + r.id() + ": " + ex.getMessage());
                }
            }
        }
        try
        {
            deleteTree(dir);
        }
        catch (final UncheckedIOException ex)
        {
            // A warning, not the run's error: a failure that ended the run must not be hidden behind this one.
            err.println("replicate-bench: warning: could not delete " + dir + ": " + ex.getMessage());
        }
    }

    private Result runSingleNode(final PrintWriter err) throws Exception
    {
        final int slots = Integer.highestOneBit(window) << 1;
        @SuppressWarnings("unchecked")
        final java.util.function.Consumer<Throwable>[] pending = new java.util.function.Consumer[slots];
        final EngineContext ctx = new EngineContext().settings(SETTINGS)
            .outcomeListener((sequence, mutation, result) ->
            {
                final int slot = (int)(mutation.time() & (slots - 1));
                final java.util.function.Consumer<Throwable> done = pending[slot];
                pending[slot] = null;
                done.accept(null);
            });
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            // A slot per op in the window, keyed by the op's unique time; the window bounds what is outstanding.
            final Driver submit = (time, record, done) ->
            {
                pending[(int)(time & (slots - 1))] = done;
                engine.upsert(time, record);
            };
            drive("single-node warm-up", warmup, submit, err, 0);
            return drive("single-node", ops, submit, err, warmup);
        }
    }

    /** Submits one upsert; {@code done} is called once with null or the error. */
    private interface Driver
    {
        void submit(long time, PeerRecord record, java.util.function.Consumer<Throwable> done) throws Exception;
    }

    private Result drive(final String label, final long n, final Driver driver, final PrintWriter err, final long first)
        throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Semaphore outstanding = new Semaphore(window);
        final AtomicLong done = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long cpu0 = processCpuNanos();
        final long start = System.nanoTime();
        try (Progress progress = n > 0 ? new Progress("replicate-bench " + label, n, done::get, err, null) : null)
        {
            for (long i = 0; i < n && null == failure.get(); i++)
            {
                outstanding.acquire();
                final long time = 1_000_000 + first + i;
                final PeerRecord record = record(first + i);
                final long t0 = System.nanoTime();
                driver.submit(time, record, error ->
                {
                    final long latency = System.nanoTime() - t0;
                    if (null != error)
                    {
                        failure.compareAndSet(null, error);
                    }
                    synchronized (histogram)
                    {
                        histogram.recordValue(Math.min(latency, histogram.getHighestTrackableValue()));
                        done.lazySet(done.get() + 1);   // one writer at a time: under the histogram's lock
                    }
                    outstanding.release();
                });
            }
            if (!outstanding.tryAcquire(window, 60, TimeUnit.SECONDS))
            {
                throw new ToolException(ExitCodes.FAILURE, label + ": " + (window - outstanding.availablePermits()) +
                    " upserts not acknowledged within 60 s");
            }
        }
        final long nanos = System.nanoTime() - start;
        final long cpu = processCpuNanos() - cpu0;
        final Throwable error = failure.get();
        if (null != error)
        {
            throw new ToolException(ExitCodes.FAILURE, label + ": an upsert failed: " + error);
        }
        synchronized (histogram)
        {
            return new Result(n, nanos, cpu < 0 ? -1 : cpu, histogram);
        }
    }

    /** Upsert {@code i}: peer {@code i % IDS}, a newer version each time; the parsed parts are made once per peer. */
    private static PeerRecord record(final long i)
    {
        final int n = (int)(i % IDS);
        return PeerRecord.builder(Parts.IDS[n]).did(Parts.DIDS[n]).device(Parts.DEVICES[n]).publicKey(Parts.KEYS[n])
            .version(i + 1).lastSeen(1_000_000 + i).endpoint(Parts.ENDPOINTS[n]).build();
    }

    /** The parts of the bench's peers, parsed once (a producer has them parsed before it builds a record). */
    private static final class Parts
    {
        static final NodeId[] IDS = new NodeId[ReplicateBenchCommand.IDS];
        static final String[] DIDS = new String[ReplicateBenchCommand.IDS];
        static final String[] DEVICES = new String[ReplicateBenchCommand.IDS];
        static final PublicKey[] KEYS = new PublicKey[ReplicateBenchCommand.IDS];
        static final Endpoint[] ENDPOINTS = new Endpoint[ReplicateBenchCommand.IDS];

        static
        {
            for (int n = 0; n < IDS.length; n++)
            {
                IDS[n] = NodeId.of(0x5EED_0000_0000_0000L, 0, 0, n);
                DIDS[n] = "did:bench:peer" + n;
                DEVICES[n] = "dev" + n;
                KEYS[n] = PublicKey.fromHex("key", String.format("%016x", n));
                ENDPOINTS[n] = Endpoint.of("10.0." + (n % 250) + ".1:4000", Protocol.TCP, 5, 0.9);
            }
        }
    }

    private static ReplicatedRegistry awaitLeader(final ReplicatedRegistry[] cluster, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() - deadline < 0)
        {
            for (final ReplicatedRegistry r : cluster)
            {
                if (r.isLeaderReady())
                {
                    return r;
                }
            }
            LockSupport.parkNanos(10_000_000);
        }
        throw new ToolException(ExitCodes.FAILURE, "no leader elected within " + seconds + " s");
    }

    /** @return this process's CPU time (all threads) in ns, or -1 where the JVM does not say. */
    private static long processCpuNanos()
    {
        final java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** Deletes {@code dir} and what is in it, trying again for up to 2 s while a closing thread still writes there. */
    static void deleteTree(final Path dir)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true)
        {
            try
            {
                deleteOnce(dir);
                return;
            }
            catch (final UncheckedIOException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static void deleteOnce(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException ex) throws IOException
                {
                    if (ex instanceof java.nio.file.NoSuchFileException)
                    {
                        return FileVisitResult.CONTINUE;   // gone already
                    }
                    throw ex;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("replicate-bench: could not delete " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** One side's figures. */
    private static final class Result
    {
        final double opsPerSecond;
        final double cpuMicrosPerOp;
        final Histogram latency;

        Result(final long ops, final long nanos, final long cpuNanos, final Histogram latency)
        {
            this.opsPerSecond = ops * 1e9 / nanos;
            this.cpuMicrosPerOp = cpuNanos < 0 ? -1 : cpuNanos / 1e3 / ops;
            this.latency = latency;
        }

        String line(final String name)
        {
            return String.format("%-24s %,12.0f ops/s   commit p50 %s  p99 %s  p99.9 %s   CPU %s us/op", name,
                opsPerSecond, micros(latency.getValueAtPercentile(50)), micros(latency.getValueAtPercentile(99)),
                micros(latency.getValueAtPercentile(99.9)), cpuMicrosPerOp < 0 ? "?" : String.format("%.1f", cpuMicrosPerOp));
        }

        private static String micros(final long nanos)
        {
            return nanos >= 10_000_000 ? String.format("%,8.1f ms", nanos / 1e6) : String.format("%,8.1f us", nanos / 1e3);
        }
    }
}
