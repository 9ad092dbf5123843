package io.peerlane.tools.journal;

import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * How far through a journal a reader is, as a share of its segments' bytes: a journal's record count is not
 * known before the end, its size is, so this is what a progress line's ETA is computed from. The reading
 * thread calls {@link #at(JournalEntry)} per record (a comparison and an ordered write); the progress thread
 * reads {@link #share()}.
 * <p>
 * A killed engine's mapped writer leaves its last segment at the full bound, the unwritten rest zeros (sparse):
 * its size says nothing of how much it holds. The last segment is therefore measured to the end of its last
 * whole frame (a hop from length word to length word), and {@link #fullLastSegmentWarning(Path, JournalReader)}
 * takes the end of the data from the reader (its torn-tail offset), not from the file's size.
 */
public final class JournalPosition
{
    private static final Pattern SEGMENT = Pattern.compile("journal-\\d{10}\\.seg");

    private final long totalBytes;
    private Path file;
    private long base;
    private long fileSize;
    private long lastOffset = -1;
    private long largestFrame;
    /** Written with a release store (no fence on the reading thread's path), read by the progress thread. */
    private final AtomicLong position = new AtomicLong();

    /**
     * @param directory a journal's directory; its segment files are measured now, the last one to the end of its
     *                  last whole frame.
     */
    public JournalPosition(final Path directory)
    {
        long sum = 0;
        Path last = null;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory))
        {
            for (final Path p : dir)
            {
                if (SEGMENT.matcher(p.getFileName().toString()).matches())
                {
                    sum += Files.size(p);
                    if (null == last || p.getFileName().toString().compareTo(last.getFileName().toString()) > 0)
                    {
                        last = p;
                    }
                }
            }
            if (null != last)
            {
                sum += dataEnd(last) - Files.size(last);
            }
        }
        catch (final IOException ex)
        {
            sum = 0;
        }
        totalBytes = sum;
    }

    /**
     * @param segment a segment file.
     * @return the end of its last whole frame (frames hopped by their length words, not checked further); its
     *         size when its header cannot be read.
     */
    static long dataEnd(final Path segment) throws IOException
    {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ))
        {
            final long size = ch.size();
            if (size < JournalDescriptor.HEADER_LENGTH || size > Integer.MAX_VALUE)
            {
                return size;
            }
            final MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            final int headerLength = map.getInt(JournalDescriptor.HEADER_LENGTH_OFFSET);
            if (headerLength < JournalDescriptor.HEADER_LENGTH || headerLength > JournalDescriptor.MAX_HEADER_LENGTH ||
                headerLength > size)
            {
                return size;
            }
            long p = headerLength;
            while (p + JournalDescriptor.FRAME_PREAMBLE_LENGTH <= size)
            {
                final int length = map.getInt((int)p + JournalDescriptor.FRAME_LENGTH_OFFSET);
                final int check = map.getInt((int)p + JournalDescriptor.LENGTH_CHECK_OFFSET);
                if (check != ~length || length < JournalDescriptor.MIN_FRAME_LENGTH ||
                    length > JournalDescriptor.MAX_FRAME_LENGTH || p + length > size)
                {
                    break;
                }
                p += length;
            }
            return p;
        }
    }

    /** @param entry the record just read; on the reading thread. */
    public void at(final JournalEntry entry)
    {
        at(entry.file(), entry.offset());
    }

    /**
     * @param f      the segment of the record just read or checked; on the reading thread.
     * @param offset the record's offset in it.
     */
    public void at(final Path f, final long offset)
    {
        if (f != file)
        {
            if (null != file)
            {
                base += fileSize;
                largestFrame = Math.max(largestFrame, fileSize - lastOffset);
            }
            file = f;
            fileSize = size(f);
        }
        else
        {
            largestFrame = Math.max(largestFrame, offset - lastOffset);
        }
        lastOffset = offset;
        position.lazySet(base + offset);
    }

    /** @return the share of the journal's bytes read, in [0, 1]; 0 when its size is unknown. */
    public double share()
    {
        return totalBytes <= 0 ? 0 : Math.min(1.0, (double)position.get() / totalBytes);
    }

    /**
     * A journal whose last segment was deleted reads as a whole one: the chain of segments cannot tell. What
     * can be told: the writer opens a new segment only when the next record does not fit its bound, so a
     * last segment whose records end within the largest record read of its bound may have had a successor.
     * Where the records end comes from the reader (the torn-tail offset, the first byte it ignored), not from
     * the file's size: a killed mapped writer leaves the file at its full bound.
     *
     * @param directory the journal, read to its end through {@link #at(JournalEntry)}.
     * @param reader    the reader that read it, after its {@code next()} returned null.
     * @return a warning naming the segment, where its records end and its bound, or null when it has room for
     *         another record.
     */
    public String fullLastSegmentWarning(final Path directory, final JournalReader reader)
    {
        if (null == file || largestFrame <= 0)
        {
            return null;
        }
        final long end;
        if (reader.tornTail())
        {
            if (!file.equals(reader.tornTailFile()))
            {
                return null; // The last segment is a later one, holding no whole record: it has room.
            }
            end = reader.tornTailOffset();
        }
        else
        {
            if (!file.getFileName().toString().equals(JournalDescriptor.segmentFileName(reader.lastSegmentIndex())))
            {
                return null; // A later segment holds no record: the writer went on and had room.
            }
            end = size(file);
        }
        final long bound;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(header, JournalDescriptor.SEGMENT_LENGTH_OFFSET) != 8)
            {
                return null;
            }
            bound = header.getLong(0);
        }
        catch (final IOException ex)
        {
            return null;
        }
        if (bound - end >= largestFrame)
        {
            return null;
        }
        return "warning: " + directory + ": its last segment, " + file.getFileName() + ", is full to within one record " +
            "of its bound (records end at byte " + end + " of " + bound + "): if its writer went on, a later segment " +
            "is missing (the chain of segments cannot tell)";
    }

    private static long size(final Path f)
    {
        try
        {
            return Files.size(f);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
