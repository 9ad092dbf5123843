package io.peerlane.journal;

import java.nio.file.Path;

/** Reads a whole journal, decoding every record, and reports what it holds and any damage. */
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
        try (JournalReader reader = JournalReader.open(directory))
        {
            JournalCorruptException corruption = null;
            try
            {
                while (null != reader.next())
                {
                    // Decoding each record is the check.
                }
            }
            catch (final JournalCorruptException ex)
            {
                corruption = ex;
            }
            return new JournalReport(directory, reader.segmentCount(), reader.lastSegmentIndex(),
                reader.recordCount(), reader.firstSequence(), reader.lastSequence(), reader.tornTailFile(),
                reader.tornTailOffset(), corruption);
        }
    }
}
