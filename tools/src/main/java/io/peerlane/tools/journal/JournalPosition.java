package io.peerlane.tools.journal;

import io.peerlane.journal.JournalEntry;

import io.peerlane.journal.JournalDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * How far through a journal a reader is, as a share of its segments' bytes: a journal's record count is not
 * known before the end, its size is, so this is what a progress line's ETA is computed from. The reading
 * thread calls {@link #at(JournalEntry)} per record (a comparison and an ordered write); the progress thread
 * reads {@link #share()}.
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

    /** @param directory a journal's directory; its segment files are measured now. */
    public JournalPosition(final Path directory)
    {
        long sum = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory))
        {
            for (final Path p : dir)
            {
                if (SEGMENT.matcher(p.getFileName().toString()).matches())
                {
                    sum += Files.size(p);
                }
            }
        }
        catch (final IOException ex)
        {
            sum = 0;
        }
        totalBytes = sum;
    }

    /** @param entry the record just read; on the reading thread. */
    public void at(final JournalEntry entry)
    {
        final Path f = entry.file();
        final long offset = entry.offset();
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
     * last segment that is full to within the largest record read may have had a successor.
     *
     * @param directory the journal, read to its end through {@link #at(JournalEntry)}.
     * @return a warning naming the segment, its size and bound, or null when it has room for another record.
     */
    public String fullLastSegmentWarning(final Path directory)
    {
        if (null == file || largestFrame <= 0)
        {
            return null;
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
        final long size = size(file);
        if (bound - size >= largestFrame)
        {
            return null;
        }
        return "warning: " + directory + ": its last segment, " + file.getFileName() + ", is full to within one record " +
            "of its bound (" + size + " of " + bound + " bytes): if its writer went on, a later segment is missing " +
            "(the chain of segments cannot tell)";
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
