package io.peerlane.tools.journal;

import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.StateSnapshot;
import io.peerlane.tools.ExitCodes;
import io.peerlane.tools.ToolException;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A state snapshot ({@code engine.snapshot(file, timeout)}) that covers the start of a journal whose first
 * segments were pruned: the state as of its sequence, so the records after it are all a replay needs.
 */
public final class SnapshotCover
{
    private SnapshotCover()
    {
    }

    /**
     * @param snapshot the snapshot file.
     * @param settings the settings to read it with (the journal's).
     * @return the sequence of the last op it holds.
     * @throws ToolException usage (2) when missing, corrupt (3) when not a valid snapshot, failure (1) when unreadable.
     */
    public static long sequence(final Path snapshot, final RegistrySettings settings)
    {
        if (!Files.isRegularFile(snapshot))
        {
            throw ToolException.usage("--snapshot " + snapshot + ": no such snapshot file");
        }
        try
        {
            return StateSnapshot.read(snapshot, settings, List.of()).publishedSequence();
        }
        catch (final IllegalArgumentException ex)
        {
            throw ToolException.corrupt("--snapshot " + snapshot + ": " + ex.getMessage());
        }
        catch (final UncheckedIOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, "--snapshot " + snapshot + ": " + ex.getMessage());
        }
    }
}
