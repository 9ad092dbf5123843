package io.peerlane.tools.journal;

import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalReader;
import io.peerlane.tools.ToolException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Refuses a journal whose first segment follows segments that are not there. Its header's Previous Last
 * Sequence says what came before: {@code -1} for a journal that starts at its beginning (every journal
 * {@code generate} and {@code import} write, and an engine's until it prunes). Replaying or exporting the
 * rest as if it were the whole would give another state with no warning, so the tool stops and names the
 * missing sequences.
 */
public final class JournalStart
{
    private static final Pattern SEGMENT = Pattern.compile("journal-\\d{10}\\.seg");

    private JournalStart()
    {
    }

    /**
     * @param directory the journal.
     * @param reader    a reader of it that has read (or tried to read) its first record.
     * @throws ToolException corrupt (3) naming the missing sequences.
     */
    public static void require(final Path directory, final JournalReader reader)
    {
        require(directory, reader, NOT_COVERED);
    }

    /** No snapshot: nothing before the journal is covered. */
    public static final long NOT_COVERED = Long.MIN_VALUE;

    /**
     * @param directory    the journal.
     * @param reader       a reader of it that has read (or tried to read) its first record.
     * @param coveredUpTo  the sequence a state snapshot holds the state as of, or {@link #NOT_COVERED}.
     * @throws ToolException corrupt (3) naming the missing sequences when the snapshot does not reach them.
     */
    public static void require(final Path directory, final JournalReader reader, final long coveredUpTo)
    {
        final String gap = gap(directory, reader);
        if (null == gap || coveredUpTo >= reader.precedingSequence())
        {
            return;
        }
        throw ToolException.corrupt(gap + (coveredUpTo == NOT_COVERED ? "" : "; the snapshot given holds the " +
            "state only as of sequence " + coveredUpTo));
    }

    /**
     * @param directory the journal.
     * @param reader    a reader of it that has read (or tried to read) its first record.
     * @return the line naming the missing sequences, or null when the journal starts at its beginning.
     */
    public static String gap(final Path directory, final JournalReader reader)
    {
        final long preceding = reader.precedingSequence();
        if (preceding == JournalDescriptor.NO_SEQUENCE)
        {
            return null;
        }
        return directory + ": does not start at its beginning: the records up to sequence " + preceding +
            " are missing: the header of its first segment, " + firstSegment(directory) + " at offset 0, says " +
            "it follows sequence " + preceding + " (earlier segments were deleted, or pruned after a snapshot), " +
            "so what it holds is not the whole recording";
    }

    private static String firstSegment(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> SEGMENT.matcher(n).matches()).sorted()
                .findFirst().map(n -> directory.resolve(n).toString()).orElse("(none)");
        }
        catch (final IOException ex)
        {
            return "(unlisted)";
        }
    }
}
