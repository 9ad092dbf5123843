package io.peerlane.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * A second thread for {@link JournalReader#advance()}: it checks the costly, independent part of each frame
 * (its CRC32C and its layout, {@link FrameChecker}) of the last segments, from the last one down, while the
 * reader walks the journal from its start; each segment below the one it works on is claimed by whichever of
 * the two comes first.
 * <p>
 * The decision: every check that links a frame to another (sequence order, a segment's first sequence, the
 * chain of headers, the torn tail, the length words) stays on the reader's thread, in order, exactly as
 * without this class. This thread only publishes, per segment, the offset up to which every frame, hopped from
 * the header by its length word, passed its CRC and its layout check (an ordered store per frame); the reader
 * skips those two checks for a frame that ends within it, and checks everything else as before. Nobody waits:
 * the reader that reaches a frame this thread has not checked checks it itself, and publishes how far it got
 * so that this thread leaves a segment the reader has overtaken. Any doubt (a header it does not read as the
 * reader does, a frame that fails, an I/O error, a file cut while mapped) ends the published prefix there, so
 * the reader checks the rest itself and reports damage with exactly its own message. Each thread maps the
 * segment itself and unmaps only its own mapping.
 */
final class SegmentPrecheck implements Runnable
{
    private static final int FREE = 0;
    private static final int READER = 1;
    private static final int HELPER = 2;

    private final List<Path> segments;
    private final AtomicIntegerArray owner;
    private final AtomicIntegerArray verified;
    private final AtomicIntegerArray readerAt;
    private final long[] sizes;
    private final int[] headerLengths;
    private final boolean[] allowTrailings;
    private final FrameChecker checker = new FrameChecker();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param segments the journal's segment files; this thread checks from the last one down to index 1.
     */
    SegmentPrecheck(final List<Path> segments)
    {
        this.segments = segments;
        final int n = segments.size();
        owner = new AtomicIntegerArray(n);
        verified = new AtomicIntegerArray(n);
        readerAt = new AtomicIntegerArray(n);
        sizes = new long[n];
        headerLengths = new int[n];
        allowTrailings = new boolean[n];
        thread = new Thread(this, "peerlane-journal-precheck");
        thread.setDaemon(true);
    }

    /** @return whether a second thread is worth starting for a journal of this many segments. */
    static boolean worthwhile(final int segmentCount)
    {
        return segmentCount >= 2 && Runtime.getRuntime().availableProcessors() >= 2;
    }

    void start()
    {
        thread.start();
    }

    /**
     * Called by the reader as it opens segment {@code index}, in order.
     *
     * @return true when this thread has the segment (then ask {@link #verifiedEnd}); false when it is the
     * reader's alone.
     */
    boolean shared(final int index)
    {
        return !owner.compareAndSet(index, FREE, READER);
    }

    /**
     * @param index         a segment this thread has.
     * @param size          the segment's size as the reader mapped it.
     * @param headerLength  its header's length as the reader read it.
     * @param allowTrailing whether the reader allows trailing bytes in its frames (a newer minor version).
     * @return the offset up to which every frame passed its CRC and layout check here, for a segment read as the
     * reader reads it; 0 when none (yet).
     */
    int verifiedEnd(final int index, final long size, final int headerLength, final boolean allowTrailing)
    {
        final int end = verified.get(index);
        return end > 0 && sizes[index] == size && headerLengths[index] == headerLength &&
            allowTrailings[index] == allowTrailing ? end : 0;
    }

    /** The reader has checked segment {@code index} (one this thread has) up to {@code position}. */
    void readerAt(final int index, final int position)
    {
        readerAt.lazySet(index, position);
    }

    /** Stops the thread and waits for it. */
    void stop()
    {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run()
    {
        for (int i = segments.size() - 1; i >= 1 && !stopped; i--)
        {
            if (!owner.compareAndSet(i, FREE, HELPER))
            {
                break; // The reader got here first: everything below is its own.
            }
            MappedByteBuffer map = null;
            try (FileChannel channel = FileChannel.open(segments.get(i), StandardOpenOption.READ))
            {
                final long size = channel.size();
                if (size <= Integer.MAX_VALUE)
                {
                    map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                    check(i, map, (int)size);
                }
            }
            catch (final Throwable ex)
            {
                // An I/O error or a file cut while mapped: what is published stands, the reader checks the rest.
            }
            finally
            {
                view.wrap(0, 0);
                if (null != map)
                {
                    IoUtil.unmap(map);
                }
            }
        }
    }

    private void check(final int index, final MappedByteBuffer map, final int size)
    {
        map.order(ByteOrder.LITTLE_ENDIAN);
        if (size < HEADER_LENGTH || map.getLong(MAGIC_OFFSET) != MAGIC ||
            (map.getShort(MAJOR_VERSION_OFFSET) & 0xFFFF) != MAJOR_VERSION)
        {
            return;
        }
        final boolean allowTrailing = (map.getShort(MINOR_VERSION_OFFSET) & 0xFFFF) > MINOR_VERSION;
        final int headerLength = map.getInt(HEADER_LENGTH_OFFSET);
        if ((allowTrailing ? headerLength < HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH :
            headerLength != HEADER_LENGTH) || size < headerLength)
        {
            return;
        }
        sizes[index] = size;
        headerLengths[index] = headerLength;
        allowTrailings[index] = allowTrailing;
        view.wrap(map);
        int position = headerLength;
        while (size - position >= FRAME_PREAMBLE_LENGTH && !stopped && readerAt.get(index) < position)
        {
            final int length = map.getInt(position + FRAME_LENGTH_OFFSET);
            if (map.getInt(position + LENGTH_CHECK_OFFSET) != ~length || length < MIN_FRAME_LENGTH ||
                length > MAX_FRAME_LENGTH || length > size - position ||
                FrameEncoder.crc(view, position + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET) !=
                map.getInt(position + CRC_OFFSET))
            {
                return;
            }
            try
            {
                checker.check(map, position, length, allowTrailing);
            }
            catch (final FrameDecoder.MalformedRecordException ex)
            {
                return;
            }
            position += length;
            verified.lazySet(index, position); // Releases the header fields above with it.
        }
    }
}
