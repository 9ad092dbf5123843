package io.peerlane.bench;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;

/**
 * The engine as a user runs it: observers registered as standard observers (the probe last), the probe's
 * commit hook as the engine's outcome listener on the commit thread, ops published with their own event
 * time through the typed publishing methods. As {@code peerlane-journal} it also records every op to a
 * journal in a temporary directory ({@link ForcePolicy#NEVER}: the cost of recording, not of the device),
 * deleted when the run closes.
 */
final class PeerlaneContender implements Contender
{
    private final PeerlaneEngine engine;
    /** The recording's directory, or null. */
    private final java.nio.file.Path journalDirectory;

    PeerlaneContender(final ContenderSetup setup, final boolean recording)
    {
        final LatencyProbe probe = setup.probe;
        final EngineContext ctx = new EngineContext()
            .ringSize(setup.ringSize)
            .topology(setup.topology)
            .waitStrategy(setup.waitStrategy)
            .settings(setup.workload.settings())
            .countersDirectory(setup.countersDirectory)
            .outcomeListener((sequence, mutation, result) -> probe.committed(Workload.indexOf(mutation), result));
        final PeerObserver[] observers = setup.observersWithProbe();
        for (int i = 0; i < observers.length; i++)
        {
            final String name = i == observers.length - 1 ? "latency-probe" : "observer-" + i;
            ctx.observer(name, ObserverRole.STANDARD, observers[i]);
        }
        journalDirectory = recording ? TempDirectory.create("peerlane-bench-journal") : null;
        if (recording)
        {
            ctx.journal(new JournalWriter.Context().directory(journalDirectory).forcePolicy(ForcePolicy.NEVER));
        }
        try
        {
            engine = PeerlaneEngine.launch(ctx);
        }
        catch (final RuntimeException ex)
        {
            TempDirectory.delete(journalDirectory);
            throw ex;
        }
    }

    @Override
    public void publish(final MutationValue op, final int producer)
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
        try
        {
            engine.close();
        }
        finally
        {
            TempDirectory.delete(journalDirectory);
        }
    }

    /** @return the recording's directory, or null when this contender does not record; for tests. */
    java.nio.file.Path journalDirectory()
    {
        return journalDirectory;
    }

    /** Closes the engine and leaves the recording for a test to check. */
    void closeKeepingJournal()
    {
        engine.close();
    }
}
