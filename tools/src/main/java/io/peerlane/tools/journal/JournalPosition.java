package io.peerlane.tools.journal;

import io.peerlane.journal.JournalEntry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private volatile long position;

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
        if (f != file)
        {
            if (null != file)
            {
                base += fileSize;
            }
            file = f;
            fileSize = size(f);
        }
        position = base + entry.offset();
    }

    /** @return the share of the journal's bytes read, in [0, 1]; 0 when its size is unknown. */
    public double share()
    {
        return totalBytes <= 0 ? 0 : Math.min(1.0, (double)position / totalBytes);
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
