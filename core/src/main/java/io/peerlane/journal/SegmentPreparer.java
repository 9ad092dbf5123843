package io.peerlane.journal;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;

/**
 * Creates, maps and pre-faults the journal's next segment on a thread of its own, as Aeron pre-allocates its
 * terms, so that the writer's thread finds a segment whose pages are allocated and mapped when it rolls and only
 * stores into it. Without it, the first store into each 4 KiB page of a fresh sparse segment takes a page fault
 * that allocates a block, some 16 records apart, on the thread that commits.
 * <p>
 * The segment is prepared under a name readers do not list ({@code journal-<index>.seg.prep}) and the writer
 * renames it into place once its header is in it, so a process killed at any moment leaves either no new
 * segment or one that starts with its header, as a segment created in place would; a left-over prepared file is
 * deleted when a writer opens the directory ({@link #deleteLeftovers}). One preparation at a time, started by
 * the writer when its segment is half full (so a journal that never fills half a segment never prepares one):
 * the writer waits in {@link #take} only when it fills half a segment faster than this thread touches the
 * next one. The thread ends when idle for a second, so a writer that is never closed leaves no thread behind.
 * A failure to create, map or touch the file (a full disk included, which a touch raises) reaches the writer from
 * {@link #take}; the writer then creates the segment itself, as without a preparer, and fails only if that fails
 * too.
 * <p>
 * Used by the writer's thread only; the one task in flight runs on the preparer's daemon thread.
 */
final class SegmentPreparer
{
    /** Suffix of a segment being prepared. */
    static final String SUFFIX = ".prep";
    /** The stride of the touches: every page of the smallest size a mapping can have. */
    private static final int PAGE_SIZE = 4096;

    /** A prepared segment: its hidden file, its open channel and its whole mapping, every page touched. */
    static final class Prepared
    {
        final Path file;
        final FileChannel channel;
        final MappedByteBuffer map;

        Prepared(final Path file, final FileChannel channel, final MappedByteBuffer map)
        {
            this.file = file;
            this.channel = channel;
            this.map = map;
        }
    }

    private final Path directory;
    private final JournalWriter.ChannelFactory channelFactory;
    private final ExecutorService executor;
    private Future<Prepared> pending;
    private long pendingIndex = -1;
    private long pendingLength;

    SegmentPreparer(final Path directory, final JournalWriter.ChannelFactory channelFactory)
    {
        this.directory = directory;
        this.channelFactory = channelFactory;
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r ->
        {
            final Thread t = new Thread(r, "peerlane-journal-prefault");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    /** @param index a segment index. @return where that segment is prepared before it is renamed into place. */
    Path preparedFile(final long index)
    {
        return directory.resolve(JournalDescriptor.segmentFileName(index) + SUFFIX);
    }

    /**
     * Starts preparing segment {@code index}, {@code length} bytes long; one at a time.
     *
     * @param index  the next segment's index.
     * @param length its mapped length.
     */
    void prepare(final long index, final long length)
    {
        discard();
        final Path file = preparedFile(index);
        pendingIndex = index;
        pendingLength = length;
        pending = executor.submit(() -> touch(file, length));
    }

    /**
     * The prepared segment {@code index} when one of at least {@code length} bytes was started, waiting for it;
     * otherwise null after letting go of any other preparation, and the writer creates the segment itself.
     *
     * @throws IOException when the preparation failed; its file is gone.
     */
    Prepared take(final long index, final long length) throws IOException
    {
        if (null == pending || pendingIndex != index || pendingLength < length)
        {
            discard();
            return null;
        }
        final Future<Prepared> f = pending;
        pending = null;
        pendingIndex = -1;
        try
        {
            return awaitUninterruptibly(f);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IOException)
            {
                throw (IOException)cause;
            }
            throw new IOException("cannot prepare " + preparedFile(index).getFileName() + ": " + cause, cause);
        }
    }

    /** Lets go of a preparation that will not be used: waits for it, unmaps, closes and deletes its file. */
    void discard()
    {
        final Future<Prepared> f = pending;
        if (null == f)
        {
            return;
        }
        final Path file = preparedFile(pendingIndex);
        pending = null;
        pendingIndex = -1;
        try
        {
            release(awaitUninterruptibly(f));
        }
        catch (final ExecutionException ignore)
        {
            // The task cleaned up after itself; a file it could not delete is deleted below or at the next open.
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // Best effort: the next writer to open this directory deletes it.
        }
    }

    /** Discards any preparation and stops the thread. */
    void close()
    {
        try
        {
            discard();
        }
        finally
        {
            executor.shutdown();
        }
    }

    /** Deletes prepared segments a killed writer left in {@code directory}. */
    static void deleteLeftovers(final Path directory) throws IOException
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "journal-*.seg" + SUFFIX))
        {
            for (final Path p : files)
            {
                Files.deleteIfExists(p);
            }
        }
    }

    private Prepared touch(final Path file, final long length) throws IOException
    {
        FileChannel channel = null;
        MappedByteBuffer map = null;
        try
        {
            channel = channelFactory.open(file);
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            // A store into each page allocates its block and maps it into this process for every thread. The file
            // is new, so its bytes are zeros already: storing a zero changes nothing the writer will read.
            for (int pos = 0; pos < length; pos += PAGE_SIZE)
            {
                map.put(pos, (byte)0);
            }
            return new Prepared(file, channel, map);
        }
        catch (final IOException | RuntimeException | InternalError ex)
        {
            if (null != map)
            {
                IoUtil.unmap(map);
            }
            if (null != channel)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            Files.deleteIfExists(file);
            if (ex instanceof IOException)
            {
                throw (IOException)ex;
            }
            throw new IOException("cannot prepare " + file.getFileName() + ": " + ex, ex);
        }
    }

    private static void release(final Prepared p)
    {
        IoUtil.unmap(p.map);
        try
        {
            p.channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing a channel of a file about to be deleted: nothing is lost.
        }
    }

    private static Prepared awaitUninterruptibly(final Future<Prepared> f) throws ExecutionException
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return f.get();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
