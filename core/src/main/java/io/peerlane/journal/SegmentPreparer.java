package io.peerlane.journal;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * that allocates a block, some 16 records apart, on the thread that commits. The preparer fills the new file
 * with zeros by large writes first and only then maps it and touches each page: the page cache takes the
 * segment a chunk at a time, which costs a third to a fifth of the CPU that faulting each page in through the
 * mapping does, CPU that on a small machine the committing thread shares.
 * <p>
 * The segment is prepared under a name readers do not list ({@code journal-<index>.seg.prep}) and the writer
 * renames it into place once its header is in it, so a process killed at any moment leaves either no new
 * segment or one that starts with its header, as a segment created in place would; a left-over prepared file is
 * deleted when a writer opens the directory ({@link #deleteLeftovers}). One preparation at a time, started by
 * the writer when its segment is half full (so a journal that never fills half a segment never prepares one):
 * the writer waits in {@link #take} only when it fills half a segment faster than this thread touches the
 * next one. The thread ends when idle for a second, so a writer that is never closed leaves no thread behind.
 * A failure to create, fill, map or touch the file (a full disk included, which the fill raises) reaches the writer from
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
    /** Bytes of each write that fills a new segment with zeros. */
    static final int FILL_CHUNK = 1024 * 1024;

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
    /**
     * The zeros each fill writes, allocated by the first preparation. Only preparations touch it, one at a time:
     * each is submitted after the writer has taken or discarded the one before, which orders them.
     */
    private ByteBuffer zeros;
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
            fillWithZeros(channel, length);
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            // The pages are in the page cache now; a store into each maps it into this process for every thread,
            // a minor fault that allocates nothing. The bytes are zeros: storing a zero changes nothing.
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

    /**
     * Writes {@code length} zero bytes at the start of the new file, in {@link #FILL_CHUNK} writes. The page cache
     * then holds the segment in large folios, allocated a chunk at a time, where touching a sparse file's mapping
     * faults each 4 KiB page in on its own: measured here, 0.28 to 0.33 ns of CPU a byte against 0.44 to 1.48
     * (BENCHMARKS.md, "Seventh session"). A full disk fails the write, with the reason, before anything is mapped.
     */
    private void fillWithZeros(final FileChannel channel, final long length) throws IOException
    {
        ByteBuffer zeros = this.zeros;
        if (null == zeros)
        {
            zeros = ByteBuffer.allocateDirect(FILL_CHUNK);
            this.zeros = zeros;
        }
        long pos = 0;
        while (pos < length)
        {
            zeros.clear().limit((int)Math.min(FILL_CHUNK, length - pos));
            while (zeros.hasRemaining())
            {
                pos += channel.write(zeros, pos);
            }
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
