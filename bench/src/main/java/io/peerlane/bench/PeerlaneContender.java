package io.peerlane.bench;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;

/**
 * The engine as a user runs it: observers registered as standard observers (the probe last), the probe's
 * commit hook as the engine's outcome listener on the commit thread, ops published with their own event
 * time through the typed publishing methods.
 */
final class PeerlaneContender implements Contender
{
    private final PeerlaneEngine engine;

    PeerlaneContender(final ContenderSetup setup)
    {
        final LatencyProbe probe = setup.probe;
        final EngineContext ctx = new EngineContext()
            .ringSize(setup.ringSize)
            .topology(setup.topology)
            .waitStrategy(setup.waitStrategy)
            .settings(setup.workload.settings())
            .countersDirectory(setup.countersDirectory)
            .outcomeListener((sequence, mutation, result) -> probe.committed(WorkloadOp.indexOf(mutation), result));
        final PeerObserver[] observers = setup.observersWithProbe();
        for (int i = 0; i < observers.length; i++)
        {
            final String name = i == observers.length - 1 ? "latency-probe" : "observer-" + i;
            ctx.observer(name, ObserverRole.STANDARD, observers[i]);
        }
        engine = PeerlaneEngine.launch(ctx);
    }

    @Override
    public void publish(final WorkloadOp op, final int producer)
    {
        switch (op.kind())
        {
            case UPSERT:
                engine.upsert(op.time(), op.record());
                break;
            case REMOVE:
                engine.remove(op.time(), op.id());
                break;
            case TOUCH:
                engine.touch(op.time(), op.id(), op.lastSeen());
                break;
            case BATCH:
                engine.batch(op.time(), op.batch());
                break;
            default:
                throw new IllegalStateException("the synthetic workload has no " + op.kind());
        }
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
