package io.peerlane.engine;

import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalReader;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.state.StateSnapshot;

/**
 * The registry an engine starts with: empty, or read from a state snapshot, then brought forward by the
 * journal after it ({@link EngineContext#restoreFrom}). Each journalled mutation is applied again and must
 * give the outcome it was recorded with: settings or rules that decide differently fail the restore, naming
 * the first sequence that differs, rather than start a registry that is not the one recorded.
 */
final class Recovery
{
    private Recovery()
    {
    }

    /**
     * @param ctx the engine's concluded context.
     * @return the registry to start from.
     */
    static RegistryState restore(final EngineContext ctx)
    {
        final RegistryState state = null == ctx.restoreSnapshot() ?
            new RegistryState(ctx.settings(), ctx.admissionRules()) :
            StateSnapshot.read(ctx.restoreSnapshot(), ctx.settings(), ctx.admissionRules());
        if (null == ctx.restoreJournal())
        {
            return state;
        }
        final long after = state.publishedSequence();
        final CommitResult result = new CommitResult();
        try (JournalReader reader = JournalReader.open(ctx.restoreJournal()))
        {
            JournalEntry entry;
            boolean first = true;
            while (null != (entry = reader.next()))
            {
                if (first)
                {
                    first = false;
                    checkJournalCovers(ctx, reader, after);
                }
                if (entry.sequence() <= after)
                {
                    continue;
                }
                state.commit(entry.mutation(), entry.sequence(), result);
                if (!entry.outcome().sameAs(result))
                {
                    throw new IllegalStateException("restore from " + ctx.restoreJournal() + ": sequence " +
                        entry.sequence() + " at " + entry.file() + " offset " + entry.offset() + " was recorded as " +
                        entry.outcome() + " but gives " + result + " here: the settings or rules differ");
                }
            }
        }
        return state;
    }

    /**
     * A journal whose first segment follows records it does not hold (older segments pruned or lost) restores
     * only on a snapshot that covers them.
     */
    private static void checkJournalCovers(final EngineContext ctx, final JournalReader reader, final long after)
    {
        final long preceding = reader.precedingSequence();
        if (preceding != JournalDescriptor.NO_SEQUENCE && preceding > after)
        {
            throw new IllegalStateException("restore from " + ctx.restoreJournal() + ": the journal starts after " +
                "sequence " + preceding + " (its first segment is " +
                JournalDescriptor.segmentFileName(reader.firstSegmentIndex()) + "; the ones " +
                "before it are missing), and " + (null == ctx.restoreSnapshot() ? "no snapshot covers them" :
                "the snapshot " + ctx.restoreSnapshot() + " ends at sequence " + after) + ": sequences " +
                (after + 1) + " to " + preceding + " are missing");
        }
    }
}
