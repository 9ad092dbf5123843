package io.peerlane.tools.output;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A new journal directory, built the way {@link OutputFile} builds a file: in a temporary directory beside
 * the target, renamed onto it only by {@link #commit()}, so a failed or killed {@code generate} or
 * {@code import} leaves no half journal under the target's name. The target must be missing or an empty
 * directory (a rename replaces an empty directory); {@link #close()} without a commit deletes the temporary
 * directory and its files. Until then the temporary directory is in {@link OutputFile#dropAll()}'s list, so a
 * run halted out of memory deletes it too.
 */
public final class OutputDirectory implements AutoCloseable
{
    private final Path target;
    private final Path destination;
    private final Path temporary;
    private boolean committed;

    private OutputDirectory(final Path target, final Path destination, final Path temporary)
    {
        this.target = target;
        this.destination = destination;
        this.temporary = temporary;
    }

    /**
     * @param target the directory the user named: missing or empty (the caller checks which).
     * @return the output, with its temporary directory created.
     * @throws WriteFailure when the parent directory cannot be made or written.
     */
    public static OutputDirectory create(final Path target) throws WriteFailure
    {
        final Path destination = target.toAbsolutePath().normalize();
        final Path parent = destination.getParent();
        try
        {
            if (null == parent)
            {
                throw new WriteFailure(target, "cannot be the root directory", null);
            }
            final String blocked = WriteFailure.blockedParent(target);
            if (null != blocked)
            {
                throw new WriteFailure(target, blocked, null);
            }
            Files.createDirectories(parent);
            final Path temporary = parent.resolve("." + destination.getFileName() + ".tmp-" +
                Long.toHexString(ProcessHandle.current().pid()) + "-" +
                Integer.toHexString(ThreadLocalRandom.current().nextInt()));
            Files.createDirectory(temporary);
            OutputFile.track(temporary);
            return new OutputDirectory(target, destination, temporary);
        }
        catch (final IOException ex)
        {
            throw WriteFailure.of(target, ex);
        }
    }

    /** @return the directory to write into until the commit. */
    public Path temporary()
    {
        return temporary;
    }

    /** @return the directory the user named. */
    public Path target()
    {
        return target;
    }

    /**
     * Renames the temporary directory onto the target.
     *
     * @throws WriteFailure when it cannot (the target is then as it was).
     */
    public void commit() throws WriteFailure
    {
        try
        {
            try
            {
                Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, destination);
            }
            committed = true;
            OutputFile.untrack(temporary);
            OutputFile.forceDirectory(destination.getParent());
        }
        catch (final IOException ex)
        {
            throw WriteFailure.of(target, ex);
        }
    }

    /** Without a commit: deletes the temporary directory. Idempotent. */
    @Override
    public void close()
    {
        if (committed)
        {
            return;
        }
        deleteFiles(temporary);
        try
        {
            Files.deleteIfExists(temporary);
            OutputFile.untrack(temporary);
        }
        catch (final IOException ignore)
        {
            // A stray temporary directory is named after the target and harmless; the error reported matters more.
        }
        committed = true;
    }

    /** Deletes the files of a temporary directory (a journal's files: no subdirectories), best effort. */
    static void deleteFiles(final Path temporary)
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(temporary))
        {
            for (final Path f : files)
            {
                Files.deleteIfExists(f);
            }
        }
        catch (final IOException ignore)
        {
            // Gone already, or unreadable: what follows tries anyway.
        }
    }
}
