package io.peerlane.engine;

import io.peerlane.metrics.SnapshotEvent;
import io.peerlane.state.RegistryState;
import io.peerlane.state.StateSnapshot;

import java.nio.file.Path;

/**
 * A state snapshot taken by the commit stage at one sequence, travelling through the ring as a control
 * event: the single writer writes the file between two events, so the snapshot is one point of the commit
 * order and no lock is taken. Its error, if any, goes back to the thread that asked.
 */
final class SnapshotRequest implements ControlEvent
{
    final Path file;
    volatile RuntimeException error;
    volatile long sequence;

    SnapshotRequest(final Path file)
    {
        this.file = file;
    }

    @Override
    public void onCommit(final CommitStage commit)
    {
        final RegistryState registry = commit.registry;
        final SnapshotEvent taken = new SnapshotEvent();
        taken.begin();
        try
        {
            StateSnapshot.write(registry, file);
            sequence = registry.view().sequence();
        }
        catch (final RuntimeException ex)
        {
            error = ex;
        }
        taken.end();
        if (taken.shouldCommit())
        {
            taken.file = String.valueOf(file);
            taken.sequence = null == error ? sequence : -1;
            taken.peers = registry.size();
            taken.error = null == error ? null : error.toString();
            taken.commit();
        }
    }
}
