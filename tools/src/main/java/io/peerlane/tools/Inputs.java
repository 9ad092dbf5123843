package io.peerlane.tools;

import io.peerlane.journal.JournalCorruptException;
import io.peerlane.journal.JournalException;
import io.peerlane.tools.trace.Trace;
import io.peerlane.tools.trace.TraceFormatException;
import io.peerlane.tools.trace.TraceReader;

import io.peerlane.tools.output.WriteFailure;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Opens the tool's inputs and turns every way they can be wrong into one line and an exit code. */
final class Inputs
{
    private static final Pattern SEGMENT = Pattern.compile("journal-\\d{10}\\.seg");

    private Inputs()
    {
    }

    /**
     * @param file a trace file.
     * @return the trace, read whole.
     * @throws ToolException usage (2) when missing, corrupt (3) naming the file and line when malformed.
     */
    static Trace readTrace(final Path file, final PrintWriter err)
    {
        requireFile(file, "trace");
        final AtomicLong bytes = new AtomicLong();
        long size;
        try
        {
            size = Files.size(file);
        }
        catch (final IOException ex)
        {
            size = 0;
        }
        final long total = size;
        try (Progress progress = new Progress("reading " + file, total, bytes::get, err, null).unit("bytes"))
        {
            return TraceReader.read(file, bytes);
        }
        catch (final TraceFormatException ex)
        {
            throw ToolException.corrupt(file + ": " + ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, file + ": cannot read: " + WriteFailure.reason(ex));
        }
        catch (final OutOfMemoryError ex)
        {
            throw new ToolException(ExitCodes.FAILURE, file + ": too large to read whole in a heap of " +
                OutOfMemory.heapMib() + " MiB; give the JVM more (PEERLANE_JAVA_OPTS=-Xmx4g) or convert the " +
                "trace to a journal with import and replay the journal, which is streamed");
        }
    }

    /**
     * @param directory a journal directory.
     * @throws ToolException usage (2) when missing or not a directory, corrupt (3) when it holds no segment.
     */
    static void requireJournal(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw ToolException.usage(directory + ": no such journal directory");
        }
        if (!Files.isDirectory(directory))
        {
            throw ToolException.usage(directory + ": is not a directory (a journal is a directory of segments)");
        }
        try (Stream<Path> files = Files.list(directory))
        {
            if (files.noneMatch(p -> SEGMENT.matcher(p.getFileName().toString()).matches()))
            {
                throw ToolException.corrupt(directory + ": not a journal: it holds no segment file (journal-*.seg)");
            }
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, directory + ": cannot list: " + WriteFailure.reason(ex));
        }
    }

    /**
     * @param file a file that must exist.
     * @param what what it is, for the message.
     * @throws ToolException usage (2) when missing or a directory.
     */
    static void requireFile(final Path file, final String what)
    {
        if (!Files.exists(file))
        {
            throw ToolException.usage(file + ": no such " + what + " file");
        }
        if (Files.isDirectory(file))
        {
            throw ToolException.usage(file + ": is a directory, not a " + what + " file");
        }
    }

    /**
     * @param ex a journal error.
     * @return the tool error: corrupt (3) naming file, offset and last good sequence, or failure (1) for I/O.
     */
    static ToolException journalError(final JournalException ex)
    {
        if (ex instanceof JournalCorruptException)
        {
            return ToolException.corrupt("corrupt journal: " + ex.getMessage());
        }
        return new ToolException(ExitCodes.FAILURE, "journal error: " + ex.getMessage());
    }

    /**
     * @param file     the torn segment.
     * @param offset   the first byte ignored.
     * @param sequence the last intact record's sequence, or -1.
     * @return the warning line.
     */
    static String tornTailWarning(final Path file, final long offset, final long sequence)
    {
        return "warning: torn last record in " + file + " at offset " + offset + " ignored (last intact sequence " +
            (sequence < 0 ? "none" : Long.toString(sequence)) + ")";
    }
}
