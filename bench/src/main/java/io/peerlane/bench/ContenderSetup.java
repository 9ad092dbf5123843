package io.peerlane.bench;

import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.observer.PeerObserver;

import java.util.List;

/** What a contender is built from for one run: the workload, the knobs, fresh observers and the probe. */
final class ContenderSetup
{
    final Workload workload;
    final int ringSize;
    final Topology topology;
    final WaitStrategyKind waitStrategy;
    final List<PeerObserver> observers;
    final LatencyProbe probe;
    /** Where Peerlane keeps its counters file ({@code --counters}), or null. */
    java.nio.file.Path countersDirectory;

    ContenderSetup(
        final Workload workload,
        final int ringSize,
        final Topology topology,
        final WaitStrategyKind waitStrategy,
        final List<PeerObserver> observers,
        final LatencyProbe probe)
    {
        this.workload = workload;
        this.ringSize = ringSize;
        this.topology = topology;
        this.waitStrategy = waitStrategy;
        this.observers = observers;
        this.probe = probe;
    }

    /** @return the user's observers followed by the probe's, which therefore sees delivery to all of them. */
    PeerObserver[] observersWithProbe()
    {
        final PeerObserver[] out = observers.toArray(new PeerObserver[observers.size() + 1]);
        out[observers.size()] = probe.observer();
        return out;
    }
}
