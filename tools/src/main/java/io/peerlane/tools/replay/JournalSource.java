package io.peerlane.tools.replay;

import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalReader;
import io.peerlane.mutation.Mutation;
import io.peerlane.outcome.Outcome;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.tools.ToolException;
import io.peerlane.tools.journal.JournalPosition;
import io.peerlane.tools.journal.JournalStart;

import java.nio.file.Path;

/**
 * A journal's records, streamed: each op with its recorded votes and outcome. Damage before the end stops
 * the replay with a {@link JournalException} naming the file, offset and sequence; a torn tail ends it with a
 * warning.
 */
public final class JournalSource implements ReplaySource
{
    private final RegistrySettings settings;
    private final Path directory;
    private final JournalReader reader;
    private final JournalPosition position;
    private JournalEntry entry;
    private JournalEntry pending;
    private String warning;

    /**
     * Opens the journal and reads its first record, so that a journal that does not start at its beginning
     * is refused before anything runs.
     *
     * @param directory the journal.
     * @param settings  the settings it was recorded with.
     * @throws ToolException corrupt (3) when the first segment follows segments that are not there.
     * @throws JournalException when the first record cannot be read.
     */
    public JournalSource(final Path directory, final RegistrySettings settings)
    {
        this(directory, settings, JournalStart.NOT_COVERED);
    }

    /**
     * Opens the journal after a state snapshot: its records up to the snapshot's sequence are skipped, and a
     * journal whose first segments were pruned is accepted when the snapshot reaches them.
     *
     * @param directory  the journal.
     * @param settings   the settings it was recorded with.
     * @param snapshotAt the snapshot's sequence, or {@link JournalStart#NOT_COVERED} for none.
     * @throws ToolException corrupt (3) when the records before the journal are missing and not covered.
     * @throws JournalException when a record cannot be read.
     */
    public JournalSource(final Path directory, final RegistrySettings settings, final long snapshotAt)
    {
        this.settings = settings;
        this.directory = directory;
        this.position = new JournalPosition(directory);
        this.reader = JournalReader.open(directory, (file, offset, sequence) -> warning =
            "warning: torn last record in " + file + " at offset " + offset + " ignored (last intact sequence " +
                (sequence < 0 ? "none" : Long.toString(sequence)) + ")");
        try
        {
            pending = reader.next();
            JournalStart.require(directory, reader, snapshotAt);
            while (null != pending && pending.sequence() <= snapshotAt)
            {
                pending = reader.next();
            }
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
    }

    /** @return the share of the journal read so far, for the progress line; from any thread. */
    public double share()
    {
        return position.share();
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
        if (null != pending)
        {
            entry = pending;
            pending = null;
        }
        else
        {
            entry = reader.next();
        }
        if (null == entry)
        {
            return false;
        }
        position.at(entry);
        return true;
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
    public Outcome recorded()
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
        final String full = position.fullLastSegmentWarning(directory, reader);
        return null == warning ? full : null == full ? warning : warning + System.lineSeparator() + full;
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
