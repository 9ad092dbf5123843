package io.peerlane.journal;

import java.nio.file.Path;

/**
 * Reads a whole journal and reports what it holds and any damage.
 * <p>
 * {@link #verify(Path)} runs at memory speed: it maps each segment and checks every header, frame length,
 * CRC32C, sequence, segment chain and the layout of every record in place, building no value (see
 * {@code FrameChecker}). {@link #verifyDecoding(Path)} also decodes every record through the peer model's
 * validation, as a replay would, at the cost of building each entry.
 */
public final class JournalVerifier
{
    private JournalVerifier()
    {
    }

    /**
     * @param directory the journal's directory.
     * @return the report; damage before the end is in {@link JournalReport#corruption()}, not thrown.
     * @throws JournalException when a file cannot be read.
     */
    public static JournalReport verify(final Path directory)
    {
        return verify(directory, false);
    }

    /**
     * As {@link #verify(Path)}, and every record is decoded into its entry as well, so a value that only the
     * peer model refuses is found too.
     *
     * @param directory the journal's directory.
     * @return the report; damage before the end is in {@link JournalReport#corruption()}, not thrown.
     * @throws JournalException when a file cannot be read.
     */
    public static JournalReport verifyDecoding(final Path directory)
    {
        return verify(directory, true);
    }

    private static JournalReport verify(final Path directory, final boolean decode)
    {
        try (JournalReader reader = JournalReader.open(directory))
        {
            JournalCorruptException corruption = null;
            try
            {
                if (decode)
                {
                    while (null != reader.next())
                    {
                        // Decoding each record is the check.
                    }
                }
                else
                {
                    while (reader.advance())
                    {
                        // Checking each record in place is the check.
                    }
                }
            }
            catch (final JournalCorruptException ex)
            {
                corruption = ex;
            }
            return new JournalReport(directory, reader.segmentCount(), reader.firstSegmentIndex(),
                reader.lastSegmentIndex(), reader.precedingSequence(), reader.recordCount(), reader.firstSequence(),
                reader.lastSequence(), reader.tornTailFile(), reader.tornTailOffset(), corruption);
        }
    }
}
