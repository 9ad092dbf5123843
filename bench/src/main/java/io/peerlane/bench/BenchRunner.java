package io.peerlane.bench;

import io.peerlane.mutation.MutationValue;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the contenders on the same workload: an unrecorded warm-up of each on a prefix of the ops, then the
 * measured runs in rounds, one run of each contender a round (see {@link #run(List)}). Each run opens the contender fresh, loads the population into it (untimed; in a measured run the
 * heap it takes is measured with full collections before and after), then starts the producers together,
 * samples the probe's recorders once a second (interval logs and a progress line), and stops the clock when
 * every op has been committed and delivered. CPU time, collector pauses and allocation are read just before
 * the producers start and just after the last op is delivered, while the producers are still alive.
 */
final class BenchRunner
{
    private static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final BenchConfig config;
    private final Workload workload;
    private final PrintWriter out;
    private final LatencyProbe probe;
    private final Map<Metric, Histogram> recycled = new EnumMap<>(Metric.class);

    BenchRunner(final BenchConfig config, final Workload workload, final PrintWriter out)
    {
        this.config = config;
        this.workload = workload;
        this.out = out;
        this.probe = new LatencyProbe(workload.totalOps());
    }

    /**
     * Warms every contender up first, in order, then makes the measured runs round by round: run 1 of each
     * contender, then run 2 of each, and so on.
     * <p>
     * Why not one contender after another: the contenders share most of their code (the registry's rules, the
     * subsystems, the probe), and the JIT compiles it while the first contender runs. Measured one after the
     * other, the first contender's runs paid for the compilation and the later ones did not: on 2 cores the
     * same build gave Peerlane 220 k ops/s at 9.0 µs CPU per op when it ran first and 359 k at 4.5 µs when it
     * ran after rwlock, and rwlock 311 k first against 264 k second. Rounds also spread the machine's drift
     * over every contender alike.
     *
     * @param kinds the contenders, in the order given.
     * @return each contender's measured runs, in the same order.
     * @throws IOException when an interval log cannot be written.
     */
    List<ContenderResult> run(final List<ContenderKind> kinds) throws IOException
    {
        if (config.warmupOps > 0)
        {
            for (final ContenderKind kind : kinds)
            {
                final RunResult warm = runOnce(kind, Math.min(config.warmupOps, workload.ops()), false, null, "warm-up");
                out.printf(Locale.ROOT, "  %-14s %-9s %,12.0f ops/s  %6.2f s  (not measured)%n",
                    kind.cliName(), "warm-up", warm.opsPerSecond(), warm.elapsedNanos() / 1e9);
                out.flush();
            }
        }
        final List<IntervalLog> logs = new ArrayList<>();
        final List<List<RunResult>> runs = new ArrayList<>();
        IOException closing = null;
        Throwable failed = null;
        try
        {
            for (final ContenderKind kind : kinds)
            {
                final EnumSet<Metric> metrics =
                    kind.delivers() ? EnumSet.allOf(Metric.class) : EnumSet.of(Metric.COMMIT, Metric.HOLD_UP);
                logs.add(new IntervalLog(config.outDir, kind.cliName(), metrics));
                runs.add(new ArrayList<>());
            }
            for (int r = 1; r <= config.runs; r++)
            {
                for (int k = 0; k < kinds.size(); k++)
                {
                    final ContenderKind kind = kinds.get(k);
                    final String label = "run " + r + "/" + config.runs;
                    final RunResult result =
                        runOnce(kind, workload.ops(), config.mode == BenchConfig.Mode.RATE, logs.get(k), label);
                    runs.get(k).add(result);
                    out.printf(Locale.ROOT,
                        "  %-14s %-9s %,12.0f ops/s  %6.2f s  (process CPU %.2f s, %d GC pauses %d ms, %s B/op, %s B/peer)%n",
                        kind.cliName(), label, result.opsPerSecond(), result.elapsedNanos() / 1e9,
                        result.cpuNanos() / 1e9, result.gcPauses(), result.gcPauseMillis(),
                        result.allocatedBytes() < 0 ? "-" : Units.bytes((double)result.allocatedBytes() / result.ops()),
                        Units.bytes(result.bytesPerPeer()));
                    out.flush();
                }
            }
            for (final IntervalLog log : logs)
            {
                log.complete();
            }
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            failed = ex;
            throw ex;
        }
        finally
        {
            for (final IntervalLog log : logs)
            {
                try
                {
                    log.close();
                }
                catch (final IOException ex)
                {
                    if (null != failed)
                    {
                        failed.addSuppressed(ex);
                    }
                    else if (null == closing)
                    {
                        closing = ex;
                    }
                }
            }
        }
        if (null != closing)
        {
            throw closing;
        }
        final List<ContenderResult> results = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++)
        {
            results.add(new ContenderResult(kinds.get(k).cliName(), kinds.get(k).description(), runs.get(k)));
        }
        return results;
    }

    private RunResult runOnce(
        final ContenderKind kind, final int limit, final boolean paced, final IntervalLog log, final String label)
    {
        final boolean measured = null != log;
        final boolean measureHeap = measured && HeapUsage.usable();
        probe.reset();
        final Map<Metric, Histogram> totals = new EnumMap<>(Metric.class);
        for (final Metric metric : Metric.values())
        {
            totals.put(metric, new Histogram(1, LatencyProbe.HIGHEST_NANOS, 3));
        }
        final String tag = label.startsWith("run ") ? "run" + label.substring(4, label.indexOf('/')) : label;
        final int producers = workload.producers();
        final int first = workload.population();
        final CountDownLatch go = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(producers);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long[] start = new long[1];
        final double nanosPerOp = paced ? 1e9 / config.rate : 0;
        final Thread[] threads = new Thread[producers];
        final long elapsed;
        final long cpuNanos;
        final GcPauses gc;
        final long allocated;
        final double bytesPerPeer;
        final ContenderSetup setup = new ContenderSetup(workload, config.ringSize, config.topology,
            config.waitStrategy, config.observers.create(), probe);
        setup.countersDirectory = config.countersDirectory;
        try (Contender contender = kind.open(setup))
        {
            final long heapBefore = measureHeap ? HeapUsage.settledUsedBytes() : 0;
            load(kind, contender, label);
            contender.loaded();
            if (measureHeap)
            {
                bytesPerPeer = (double)(HeapUsage.settledUsedBytes() - heapBefore) / Math.max(1, first);
            }
            else
            {
                bytesPerPeer = Double.NaN;
                // Start each run from a collected heap, so one contender's garbage is not collected in another's time.
                System.gc();
            }
            probe.reset();
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                threads[p] = new Thread(() ->
                {
                    try
                    {
                        go.await();
                        produce(contender, producer, first, first + limit, start[0], nanosPerOp);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        done.countDown();
                        // Alive until the harness has read the allocation counters: a dead thread's bytes are lost.
                        awaitQuietly(release);
                    }
                }, "bench-producer-" + p);
                threads[p].setDaemon(true);
                threads[p].start();
            }
            final long cpuBefore = processCpuNanos();
            final GcPauses gcBefore = GcPauses.now();
            final ThreadAllocation allocationBefore = ThreadAllocation.now();
            start[0] = System.nanoTime();
            go.countDown();
            elapsed = awaitDrained(kind, label, limit, done, failure, start[0], totals, log, tag);
            allocated = ThreadAllocation.now().since(allocationBefore);
            gc = GcPauses.now().since(gcBefore);
            cpuNanos = processCpuNanos() - cpuBefore;
            release.countDown();
            for (final Thread t : threads)
            {
                t.join();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        finally
        {
            release.countDown();
            if (go.getCount() > 0)
            {
                for (final Thread t : threads)
                {
                    if (null != t)
                    {
                        t.interrupt();
                    }
                }
            }
        }
        sample(totals, log, tag);
        return new RunResult(limit, elapsed, cpuNanos, gc.count, gc.millis, allocated, bytesPerPeer, totals,
            probe.anomalies());
    }

    /** Untimed: the population, op by op from this thread, then a wait until it is committed and delivered. */
    private void load(final ContenderKind kind, final Contender contender, final String label) throws InterruptedException
    {
        final int population = workload.population();
        final int producers = workload.producers();
        for (int i = 0; i < population; i++)
        {
            probe.sent(i, System.nanoTime());
            contender.load(workload.op(i), i % producers);
        }
        awaitDrained(kind, label + " load", population, null, null, System.nanoTime(), null, null, null);
    }

    /**
     * Waits until {@code target} ops are committed and delivered and every producer is done, failing on a
     * producer's error or when nothing commits for the stall timeout; samples the recorders once a second
     * when given totals.
     *
     * @return the nanoseconds from {@code start} until then.
     */
    private long awaitDrained(
        final ContenderKind kind,
        final String label,
        final long target,
        final CountDownLatch done,
        final AtomicReference<Throwable> failure,
        final long start,
        final Map<Metric, Histogram> totals,
        final IntervalLog log,
        final String tag) throws InterruptedException
    {
        long nextSample = start + SAMPLE_NANOS;
        long lastProgress = start;
        long lastCount = -1;
        while (true)
        {
            final long committed = probe.committedCount();
            final boolean drained = committed >= target && (!kind.delivers() || probe.deliveredCount() >= target);
            final long now = System.nanoTime();
            if (drained && (null == done || done.getCount() == 0))
            {
                return now - start;
            }
            if (null != failure && null != failure.get())
            {
                throw new IllegalStateException(kind.cliName() + " " + label + ": a producer failed: " +
                    failure.get(), failure.get());
            }
            if (committed != lastCount)
            {
                lastCount = committed;
                lastProgress = now;
            }
            else if (now - lastProgress > config.stallTimeoutNanos)
            {
                throw new IllegalStateException(kind.cliName() + " " + label + ": no progress for " +
                    TimeUnit.NANOSECONDS.toSeconds(config.stallTimeoutNanos) + " s, stuck at " + committed +
                    " of " + target + " ops committed, " + probe.deliveredCount() + " delivered");
            }
            if (null != totals && now - nextSample >= 0)
            {
                nextSample += SAMPLE_NANOS;
                sample(totals, log, tag);
                out.printf("  %-14s %-9s %5.1f s  %,d of %,d ops committed (%,.0f ops/s)%n", kind.cliName(), label,
                    (now - start) / 1e9, committed, target, committed * 1e9 / (now - start));
                out.flush();
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time of the whole process: shows a design that burns cores while it waits. */
    private static long processCpuNanos()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    /** Publishes this producer's ops among {@code [first, end)}: those with {@code i % producers == producer}. */
    private void produce(
        final Contender contender, final int producer, final int first, final int end, final long start,
        final double nanosPerOp)
    {
        final int producers = workload.producers();
        final LatencyProbe probe = this.probe;
        final int from = first + Math.floorMod(producer - first, producers);
        for (int i = from; i < end; i += producers)
        {
            final MutationValue op = workload.op(i);
            final long send;
            final long before;
            if (nanosPerOp > 0)
            {
                send = start + (long)((i - first) * nanosPerOp);
                waitUntil(send);
                probe.sent(i, send);
                before = System.nanoTime();
            }
            else
            {
                send = System.nanoTime();
                probe.sent(i, send);
                before = send;
            }
            contender.publish(op, producer);
            probe.heldUp(System.nanoTime() - before);
        }
    }

    /**
     * Parks until the send time, and never spins or yields: on 2 cores, four producers yielding in a loop
     * would steal the CPU that a contender's own consumer thread needs, and bias the comparison towards the
     * designs that do their work on the producer's thread. The price is the park's wake-up jitter (tens of
     * microseconds on Linux), which counts against every contender alike since latency runs from the
     * intended time; a producer that wakes late sends every op whose time has come at once.
     */
    private static void waitUntil(final long deadline)
    {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remaining);
        }
    }

    private void sample(final Map<Metric, Histogram> totals, final IntervalLog log, final String tag)
    {
        for (final Metric metric : Metric.values())
        {
            final Recorder recorder = recorder(metric);
            final Histogram interval = recorder.getIntervalHistogram(recycled.get(metric));
            recycled.put(metric, interval);
            totals.get(metric).add(interval);
            if (null != log && interval.getTotalCount() > 0)
            {
                interval.setTag(tag);
                log.write(metric, interval);
            }
        }
    }

    private Recorder recorder(final Metric metric)
    {
        switch (metric)
        {
            case COMMIT:
                return probe.commit;
            case OBSERVER:
                return probe.observer;
            default:
                return probe.holdUp;
        }
    }
}
