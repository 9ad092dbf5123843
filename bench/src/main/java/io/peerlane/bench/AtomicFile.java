package io.peerlane.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every file the bench writes goes through here: written under a temporary name in the same directory,
 * then moved into place in one step, so a reader (a CI job, a browser, a crashed run's successor) finds
 * either the old file or the whole new one, never half of one.
 */
final class AtomicFile
{
    /** Writes an open temporary file; the caller's stream is closed before the move. */
    @FunctionalInterface
    interface Writer
    {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private AtomicFile()
    {
    }

    /**
     * @param file  where the bytes end up.
     * @param bytes the whole content.
     * @throws IOException when it cannot be written; the old file, if any, is then left as it was.
     */
    static void write(final Path file, final byte[] bytes) throws IOException
    {
        write(file, out -> out.write(bytes));
    }

    /**
     * @param file   where the content ends up.
     * @param writer writes the content to a temporary file beside it.
     * @throws IOException when it cannot be written; the old file, if any, is then left as it was.
     */
    static void write(final Path file, final Writer writer) throws IOException
    {
        final Path temp = createTemp(file);
        try
        {
            try (OutputStream out = Files.newOutputStream(temp))
            {
                writer.writeTo(out);
            }
            moveIntoPlace(temp, file);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Not {@link Files#createTempFile}: that makes the file readable by its owner only, and the report is
     * meant to be read by others (a CI artifact, a web server); this one gets the permissions of any new file.
     *
     * @param file the final name.
     * @return a new empty temporary file in the same directory (made if missing), hidden by a leading dot.
     * @throws IOException when it cannot be made.
     */
    static Path createTemp(final Path file) throws IOException
    {
        final Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final String prefix = "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".";
        while (true)
        {
            final Path temp = dir.resolve(prefix + TEMP_COUNTER.incrementAndGet() + ".tmp");
            try
            {
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            }
            catch (final FileAlreadyExistsException ex)
            {
                // Left by an earlier process with the same pid: take the next number.
            }
        }
    }

    /**
     * @param temp a complete temporary file from {@link #createTemp}.
     * @param file the final name, replaced in one step where the file system can.
     * @throws IOException when it cannot be moved.
     */
    static void moveIntoPlace(final Path temp, final Path file) throws IOException
    {
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
