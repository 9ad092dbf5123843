package io.peerlane.tools.output;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One output file of a command, written so that a failed or killed run never leaves the user's file half
 * written or clobbered: the bytes go to a temporary file in the target's directory (so the rename stays on
 * one file system), which {@link #commit()} flushes, forces and renames over the target in one atomic step,
 * then forces the directory so the rename survives a power cut. The rename replaces the target's inode, so the
 * temporary file first takes the existing target's POSIX permissions. A command with several outputs commits
 * them with {@link #commitAll(OutputFile...)}: every one is flushed and forced before any is renamed, so a
 * failure on one leaves every target as it was.
 * {@link #close()} without a commit deletes the temporary file and leaves the target as it was.
 * <p>
 * A target that already exists and is not a regular file (a device such as {@code /dev/null} or
 * {@code /dev/full}, a pipe) cannot be replaced by a rename; it is written in place, and every write error
 * still fails the command. A symbolic link is followed: the file it names is replaced, the link kept.
 * <p>
 * Every I/O error comes out as a {@link WriteFailure} naming the target the user gave.
 */
public final class OutputFile implements AutoCloseable
{
    private static final int BUFFER = 1 << 16;
    /** Temporary files and {@link OutputDirectory} temporaries not yet renamed or dropped, for {@link #dropAll()}. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path target;
    private final Path destination;
    private final Path temporary;
    private final OutputStream raw;
    private final OutputStream checked;
    private Writer writer;
    private PrintStream printStream;
    private boolean prepared;
    private boolean committed;
    private boolean closed;
    /** The first write error, kept because a print stream swallows it. */
    private WriteFailure failure;

    private OutputFile(final Path target, final Path destination, final Path temporary, final OutputStream raw)
    {
        this.target = target;
        this.destination = destination;
        this.temporary = temporary;
        this.raw = raw;
        this.checked = new Checked(raw);
    }

    /**
     * @param target the file the user named.
     * @return the output, open on its temporary file.
     * @throws WriteFailure when its directory is missing or not writable, or the target is a directory.
     */
    public static OutputFile create(final Path target) throws WriteFailure
    {
        Path destination = target.toAbsolutePath().normalize();
        try
        {
            if (Files.isSymbolicLink(destination))
            {
                destination = destination.toRealPath();
            }
            if (Files.isDirectory(destination))
            {
                throw new WriteFailure(target, "is a directory", null);
            }
            if (Files.exists(destination) && !Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS))
            {
                return new OutputFile(target, destination, null,
                    Files.newOutputStream(destination, StandardOpenOption.WRITE));
            }
            final Path parent = destination.getParent();
            final String blocked = WriteFailure.blockedParent(destination);
            if (null != blocked)
            {
                throw new WriteFailure(target, blocked, null);
            }
            if (null == parent || !Files.isDirectory(parent))
            {
                throw new WriteFailure(target, "directory " + (null == target.getParent() ? parent :
                    target.getParent()) + " does not exist", null);
            }
            final Path temporary = parent.resolve("." + destination.getFileName() + ".tmp-" +
                Long.toHexString(ProcessHandle.current().pid()) + "-" +
                Integer.toHexString(ThreadLocalRandom.current().nextInt()));
            final OutputFile file = new OutputFile(target, destination, temporary,
                Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            OPEN.add(temporary);
            return file;
        }
        catch (final IOException ex)
        {
            throw WriteFailure.of(target, ex);
        }
    }

    /** @return the file the user named. */
    public Path target()
    {
        return target;
    }

    /** @return the temporary file being written, or null when the target is written in place. */
    public Path temporary()
    {
        return temporary;
    }

    /** @return a buffered byte stream; its errors are {@link WriteFailure}s naming the target. */
    public OutputStream stream()
    {
        return checked;
    }

    /** @return a buffered UTF-8 writer; its errors are {@link WriteFailure}s naming the target. */
    public Writer writer()
    {
        if (null == writer)
        {
            writer = new BufferedWriter(new OutputStreamWriter(checked, StandardCharsets.UTF_8), BUFFER);
        }
        return writer;
    }

    /**
     * @return a UTF-8 print stream for libraries that write to one (HdrHistogram's log writer); a print stream
     *         swallows errors, so {@link #commit()} asks it whether one happened.
     */
    public PrintStream printStream()
    {
        if (null == printStream)
        {
            printStream = new PrintStream(checked, false, StandardCharsets.UTF_8);
        }
        return printStream;
    }

    /**
     * Flushes, forces to the device and renames the temporary file over the target: {@link #prepare()} then
     * {@link #publish()}. A command with more than one output calls {@link #commitAll(OutputFile...)} instead.
     *
     * @throws WriteFailure when any of it fails; the target is then as it was.
     */
    public void commit() throws WriteFailure
    {
        prepare();
        publish();
    }

    /**
     * Commits several outputs all or nothing: every one is prepared (flushed, forced, closed) before any is
     * renamed, so a full disk or a write error on any output leaves every target as it was. Only a failing
     * rename, after every byte is safely on the device, could leave some renamed and not others. A target
     * written in place (a device, a pipe) has had its bytes as they came; all or nothing holds for the others.
     *
     * @param files the outputs; null entries (options not given) are skipped.
     * @throws WriteFailure the first failure; no target has been touched when it comes from a prepare.
     */
    public static void commitAll(final OutputFile... files) throws WriteFailure
    {
        for (final OutputFile f : files)
        {
            if (null != f)
            {
                f.prepare();
            }
        }
        for (final OutputFile f : files)
        {
            if (null != f)
            {
                f.publish();
            }
        }
    }

    /**
     * The first phase of a commit: flushes the buffered bytes, forces them to the device, closes the temporary
     * file and gives it the existing target's POSIX permissions. The target is not touched. Idempotent.
     *
     * @throws WriteFailure when any of it fails; the target is then as it was.
     */
    public void prepare() throws WriteFailure
    {
        if (prepared)
        {
            return;
        }
        try
        {
            if (null != writer)
            {
                writer.flush();
            }
            if (null != printStream)
            {
                printStream.flush();
                if (printStream.checkError())
                {
                    throw null != failure ? failure : new WriteFailure(target, "a write failed", null);
                }
            }
            checked.flush();
            raw.close();
            closed = true;
            if (null != temporary)
            {
                try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.WRITE))
                {
                    ch.force(true);
                }
                copyPermissions();
            }
            prepared = true;
        }
        catch (final IOException ex)
        {
            throw WriteFailure.of(target, ex);
        }
    }

    /**
     * The second phase of a commit: renames the prepared temporary file over the target and forces the
     * directory, so that a power cut cannot lose the rename.
     *
     * @throws WriteFailure when the rename fails (the target is then as it was).
     * @throws IllegalStateException when not prepared.
     */
    public void publish() throws WriteFailure
    {
        if (!prepared)
        {
            throw new IllegalStateException("publish before prepare: " + target);
        }
        if (committed)
        {
            return;
        }
        if (null != temporary)
        {
            try
            {
                try
                {
                    Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (final AtomicMoveNotSupportedException ex)
                {
                    Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            catch (final IOException ex)
            {
                throw WriteFailure.of(target, ex);
            }
            OPEN.remove(temporary);
            forceDirectory(destination.getParent());
        }
        committed = true;
    }

    /**
     * Forces a directory's entries to the device (the rename just made in it); a file system that refuses to
     * open or force a directory is left as it is, the rename being made either way.
     */
    static void forceDirectory(final Path directory)
    {
        if (null == directory)
        {
            return;
        }
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ))
        {
            ch.force(true);
        }
        catch (final IOException ignore)
        {
            // Some file systems (and platforms) cannot force a directory: the rename stands, only less durably.
        }
    }

    /** A rename replaces the target's inode: the temporary takes the target's POSIX permissions first. */
    private void copyPermissions() throws IOException
    {
        if (!Files.isRegularFile(destination))
        {
            return;
        }
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = Files.getPosixFilePermissions(destination);
        }
        catch (final UnsupportedOperationException ex)
        {
            return;
        }
        Files.setPosixFilePermissions(temporary, permissions);
    }

    /** @param temporary an {@link OutputDirectory}'s temporary directory, for {@link #dropAll()}. */
    static void track(final Path temporary)
    {
        OPEN.add(temporary);
    }

    /** @param temporary a temporary renamed or deleted: {@link #dropAll()} no longer needs it. */
    static void untrack(final Path temporary)
    {
        OPEN.remove(temporary);
    }

    /**
     * Deletes every temporary file still open, and every {@link OutputDirectory}'s temporary directory with its
     * files, for a run that must stop at once (out of memory on an engine
     * thread) without unwinding; targets stay as they were.
     */
    public static void dropAll()
    {
        for (final Path p : OPEN)
        {
            try
            {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                {
                    OutputDirectory.deleteFiles(p);
                }
                Files.deleteIfExists(p);
            }
            catch (final IOException | RuntimeException ignore)
            {
                // Stopping anyway.
            }
        }
        OPEN.clear();
    }

    /** Without a commit: drops the temporary file; the target keeps what it held. Idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                raw.close();
            }
            catch (final IOException ignore)
            {
                // Being dropped: its content no longer matters.
            }
        }
        if (!committed && null != temporary)
        {
            try
            {
                Files.deleteIfExists(temporary);
                OPEN.remove(temporary);
            }
            catch (final IOException ignore)
            {
                // A stray temporary file is named after the target and harmless; the error reported matters more.
            }
        }
    }

    private WriteFailure failed(final IOException ex)
    {
        final WriteFailure f = WriteFailure.of(target, ex);
        if (null == failure)
        {
            failure = f;
        }
        return f;
    }

    /** Buffers, and words every error as a write failure of the target. */
    private final class Checked extends FilterOutputStream
    {
        private final byte[] buffer = new byte[BUFFER];
        private int count;

        Checked(final OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(final int b) throws IOException
        {
            if (count == buffer.length)
            {
                drain();
            }
            buffer[count++] = (byte)b;
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            if (len >= buffer.length)
            {
                drain();
                try
                {
                    out.write(b, off, len);
                }
                catch (final IOException ex)
                {
                    throw failed(ex);
                }
                return;
            }
            if (len > buffer.length - count)
            {
                drain();
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException
        {
            drain();
            try
            {
                out.flush();
            }
            catch (final IOException ex)
            {
                throw failed(ex);
            }
        }

        @Override
        public void close() throws IOException
        {
            flush();
        }

        private void drain() throws IOException
        {
            if (count > 0)
            {
                try
                {
                    out.write(buffer, 0, count);
                }
                catch (final IOException ex)
                {
                    throw failed(ex);
                }
                finally
                {
                    count = 0;
                }
            }
        }
    }
}
