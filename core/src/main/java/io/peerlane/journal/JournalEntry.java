package io.peerlane.journal;

import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.Outcome;

import java.nio.file.Path;

/** One record read from a journal: where it lies, its ring sequence, event time, op and outcome. Immutable. */
public final class JournalEntry
{
    private final Path file;
    private final long offset;
    private final long sequence;
    private final long time;
    private final MutationValue mutation;
    private final Outcome outcome;

    JournalEntry(
        final Path file,
        final long offset,
        final long sequence,
        final long time,
        final MutationValue mutation,
        final Outcome outcome)
    {
        this.file = file;
        this.offset = offset;
        this.sequence = sequence;
        this.time = time;
        this.mutation = mutation;
        this.outcome = outcome;
    }

    /** @return the segment file holding the record. */
    public Path file()
    {
        return file;
    }

    /** @return byte offset of the record's frame in {@link #file()}. */
    public long offset()
    {
        return offset;
    }

    /** @return the ring sequence. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the event time the commit stage used. */
    public long time()
    {
        return time;
    }

    /** @return the op, with its recorded vote refusals. */
    public MutationValue mutation()
    {
        return mutation;
    }

    /** @return the outcome the engine gave it. */
    public Outcome outcome()
    {
        return outcome;
    }

    @Override
    public String toString()
    {
        return "#" + sequence + " t=" + time + " " + mutation + " -> " + outcome;
    }
}
