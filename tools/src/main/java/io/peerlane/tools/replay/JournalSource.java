package io.peerlane.tools.replay;

import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalReader;
import io.peerlane.journal.RecordedOutcome;
import io.peerlane.state.Mutation;
import io.peerlane.state.RegistrySettings;

import java.nio.file.Path;

/**
 * A journal's records, streamed: each op with its recorded votes and outcome. Damage before the end stops
 * the replay with a {@link JournalException} naming the file, offset and sequence; a torn tail ends it with a
 * warning.
 */
public final class JournalSource implements ReplaySource
{
    private final RegistrySettings settings;
    private final JournalReader reader;
    private JournalEntry entry;
    private String warning;

    /**
     * @param directory the journal.
     * @param settings  the settings it was recorded with.
     */
    public JournalSource(final Path directory, final RegistrySettings settings)
    {
        this.settings = settings;
        this.reader = JournalReader.open(directory, (file, offset, sequence) -> warning =
            "warning: torn last record in " + file + " at offset " + offset + " ignored (last intact sequence " +
                (sequence < 0 ? "none" : Long.toString(sequence)) + ")");
    }

    @Override
    public RegistrySettings settings()
    {
        return settings;
    }

    @Override
    public boolean hasRecordedVotes()
    {
        return true;
    }

    @Override
    public long total()
    {
        return 0;
    }

    @Override
    public boolean next()
    {
        entry = reader.next();
        return null != entry;
    }

    @Override
    public Mutation mutation()
    {
        return entry.mutation();
    }

    @Override
    public long label()
    {
        return entry.sequence();
    }

    @Override
    public RecordedOutcome recorded()
    {
        return entry.outcome();
    }

    @Override
    public String labelName()
    {
        return "sequence";
    }

    @Override
    public String warning()
    {
        return warning;
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
