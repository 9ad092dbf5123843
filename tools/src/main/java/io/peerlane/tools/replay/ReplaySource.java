package io.peerlane.tools.replay;

import io.peerlane.mutation.Mutation;
import io.peerlane.outcome.Outcome;
import io.peerlane.registry.RegistrySettings;

/**
 * The ops a replay publishes, in order, each with the label its outcome line carries (a trace's line number,
 * a journal's sequence) and the outcome it was recorded with, if any. Read on the publishing thread only.
 */
public interface ReplaySource extends AutoCloseable
{
    /** @return the settings the ops were recorded with. */
    RegistrySettings settings();

    /** @return whether the ops carry recorded votes (a journal does, a trace does not). */
    boolean hasRecordedVotes();

    /** @return ops in all, or 0 when not known before the end. */
    long total();

    /**
     * Moves to the next op.
     *
     * @return false at the end.
     * @throws io.peerlane.tools.ToolException corrupt (3) when the input is damaged.
     */
    boolean next();

    /** @return the current op. */
    Mutation mutation();

    /** @return the current op's label: its line in a trace, its sequence in a journal. */
    long label();

    /** @return the current op's recorded outcome, or null when there is none to compare with. */
    Outcome recorded();

    /** @return what {@link #label()} counts, for messages: {@code line} or {@code sequence}. */
    String labelName();

    /** @return a warning to print after the run (a torn tail), or null. */
    String warning();

    @Override
    void close();
}
