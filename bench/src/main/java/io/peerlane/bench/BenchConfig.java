package io.peerlane.bench;

import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;

import java.nio.file.Path;
import java.util.List;

/** Everything a benchmark run needs besides the workload, checked by the command line before it is built. */
final class BenchConfig
{
    /** How producers offer load. */
    enum Mode
    {
        /** As fast as each contender takes it. */
        THROUGHPUT,
        /** A constant total rate, latency from each op's intended send time. */
        RATE
    }

    final List<ContenderKind> contenders;
    final Mode mode;
    final long rate;
    final int runs;
    final int warmupOps;
    final int ringSize;
    final Topology topology;
    final WaitStrategyKind waitStrategy;
    final ObserverSets observers;
    final Path outDir;
    final long stallTimeoutNanos;
    /** Where Peerlane keeps its counters file ({@code --counters}), or null. */
    Path countersDirectory;

    BenchConfig(
        final List<ContenderKind> contenders,
        final Mode mode,
        final long rate,
        final int runs,
        final int warmupOps,
        final int ringSize,
        final Topology topology,
        final WaitStrategyKind waitStrategy,
        final ObserverSets observers,
        final Path outDir,
        final long stallTimeoutNanos)
    {
        this.contenders = List.copyOf(contenders);
        this.mode = mode;
        this.rate = rate;
        this.runs = runs;
        this.warmupOps = warmupOps;
        this.ringSize = ringSize;
        this.topology = topology;
        this.waitStrategy = waitStrategy;
        this.observers = observers;
        this.outDir = outDir;
        this.stallTimeoutNanos = stallTimeoutNanos;
    }
}
