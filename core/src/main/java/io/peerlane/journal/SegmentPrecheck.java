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
import java.util.concurrent.locks.LockSupport;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * A second thread for {@link JournalReader#advance()}: it maps segments from the last one down and checks the
 * costly, independent part of each frame (its CRC32C and its layout, {@link FrameChecker}) while the reader
 * walks the first segments; the two meet in the middle, each segment claimed by exactly one of them.
 * <p>
 * The decision: every check that links a frame to another (sequence order, a segment's first sequence, the
 * chain of headers, the torn tail, the length words) stays on the reader's thread, in order, exactly as
 * without this class. This class only tells the reader, for a segment it mapped, the offset up to which every
 * frame, hopped from the header by its length word, passed its CRC and its layout check; the reader skips those
 * two checks for a frame that ends within it, in that same mapping, and checks everything else as before. Any
 * doubt (a header it does not read as the reader would, a frame that fails, an I/O error, a file cut while
 * mapped) ends the verified prefix there, so the reader checks the rest itself and reports damage with exactly
 * its own message. Page faults of the mapping are taken here too: the reader reads the mapping this thread
 * faulted in.
 */
final class SegmentPrecheck implements Runnable
{
    private static final int FREE = 0;
    private static final int READER = 1;
    private static final int CHECKING = 2;
    private static final int CHECKED = 3;

    private final List<Path> segments;
    private final AtomicIntegerArray state;
    private final MappedByteBuffer[] maps;
    private final long[] sizes;
    private final int[] verifiedEnds;
    private final int[] headerLengths;
    private final boolean[] allowTrailings;
    private final FrameChecker checker = new FrameChecker();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final Thread thread;
    private volatile boolean stopped;

    /** What {@link #take(int, Checked)} hands over for a segment this thread checked. */
    static final class Checked
    {
        MappedByteBuffer map;
        long size;
        int verifiedEnd;
        int headerLength;
        boolean allowTrailing;
    }

    /**
     * @param segments the journal's segment files; this thread checks from the last one down to index 1.
     */
    SegmentPrecheck(final List<Path> segments)
    {
        this.segments = segments;
        final int n = segments.size();
        state = new AtomicIntegerArray(n);
        maps = new MappedByteBuffer[n];
        sizes = new long[n];
        verifiedEnds = new int[n];
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
     * @return true when the reader checks this segment itself; false when this thread has it (then call
     * {@link #take(int, Checked)}).
     */
    boolean claim(final int index)
    {
        return state.compareAndSet(index, FREE, READER);
    }

    /**
     * Waits until this thread has checked segment {@code index} (claimed by it), then hands its mapping over to
     * the reader, which unmaps it.
     */
    void take(final int index, final Checked into)
    {
        int spins = 0;
        while (state.get(index) != CHECKED)
        {
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(20_000);
            }
        }
        into.map = maps[index];
        into.size = sizes[index];
        into.verifiedEnd = verifiedEnds[index];
        into.headerLength = headerLengths[index];
        into.allowTrailing = allowTrailings[index];
        maps[index] = null;
    }

    /** Stops the thread, waits for it and unmaps what the reader did not take. */
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
        for (int i = 0; i < maps.length; i++)
        {
            if (null != maps[i])
            {
                IoUtil.unmap(maps[i]);
                maps[i] = null;
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
            if (!state.compareAndSet(i, FREE, CHECKING))
            {
                break; // The reader got here first: everything below is its own.
            }
            try
            {
                check(i);
            }
            catch (final Throwable ex)
            {
                // An I/O error or a file cut while mapped: the reader finds and reports it itself.
                verifiedEnds[i] = 0;
            }
            state.set(i, CHECKED);
        }
    }

    private void check(final int index) throws java.io.IOException
    {
        verifiedEnds[index] = 0;
        final MappedByteBuffer map;
        final long size;
        try (FileChannel channel = FileChannel.open(segments.get(index), StandardOpenOption.READ))
        {
            size = channel.size();
            if (size > Integer.MAX_VALUE)
            {
                return;
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
        maps[index] = map;
        sizes[index] = size;
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
        headerLengths[index] = headerLength;
        allowTrailings[index] = allowTrailing;
        view.wrap(map);
        try
        {
            int position = headerLength;
            while (size - position >= FRAME_PREAMBLE_LENGTH && !stopped)
            {
                final int length = map.getInt(position + FRAME_LENGTH_OFFSET);
                if (map.getInt(position + LENGTH_CHECK_OFFSET) != ~length || length < MIN_FRAME_LENGTH ||
                    length > MAX_FRAME_LENGTH || length > size - position ||
                    FrameEncoder.crc(view, position + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET) !=
                    map.getInt(position + CRC_OFFSET))
                {
                    break;
                }
                try
                {
                    checker.check(map, position, length, allowTrailing);
                }
                catch (final FrameDecoder.MalformedRecordException ex)
                {
                    break;
                }
                position += length;
                verifiedEnds[index] = position;
            }
        }
        finally
        {
            view.wrap(0, 0);
        }
    }
}
