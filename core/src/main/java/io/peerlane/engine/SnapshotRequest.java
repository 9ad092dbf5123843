package io.peerlane.engine;

import java.nio.file.Path;

/** A state snapshot taken by the commit stage at one sequence, travelling through the ring as a control event. */
final class SnapshotRequest
{
    final Path file;
    volatile RuntimeException error;
    volatile long sequence;

    SnapshotRequest(final Path file)
    {
        this.file = file;
    }
}
