package io.peerlane.tools;

import io.peerlane.journal.JournalCorruptException;
import io.peerlane.journal.JournalDescriptor;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalReader;
import io.peerlane.tools.journal.JournalConfig;
import io.peerlane.tools.journal.JournalPosition;
import io.peerlane.tools.journal.JournalStart;
import io.peerlane.tools.journal.SnapshotCover;
import io.peerlane.tools.output.WriteFailure;
import picocli.CommandLine.Option;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** {@code verify}: reads a whole journal, decoding every record, and reports what it holds. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Checks a journal: every header and record, CRCs, lengths, sequence order, the chain of segments.",
        "Also checks the settings file (" + JournalConfig.FILE_NAME + ") and that the journal starts at its " +
            "beginning (its first segment follows no missing one).",
        "Prints its segments, record count and sequences. A torn last record (a crash mid-write) is reported " +
            "and ignored: exit 0 with a warning. Damage before the end exits 3 naming the file, the offset and " +
            "the last good sequence."})
final class VerifyCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal's directory.")
    Path journal;

    @Option(names = "--snapshot", paramLabel = "FILE", description = "A state snapshot (engine.snapshot) that covers " +
        "the start of a journal whose first segments were pruned: checked to reach the missing sequences.")
    Path snapshot;

    @Option(names = "--decode", description = "Also decode every record through the peer model's validation, as " +
        "a replay does (slower); without it each record's framing, CRC32C, sequence and layout are checked in place.")
    boolean decode;

    @Override
    public Integer call()
    {
        Inputs.requireJournal(journal);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final JournalConfig config = JournalConfig.read(journal);
        final long snapshotAt = null == snapshot ? JournalStart.NOT_COVERED :
            SnapshotCover.sequence(snapshot, config.settings());
        final JournalPosition position = new JournalPosition(journal);
        final AtomicLong done = new AtomicLong();
        JournalCorruptException corruption = null;
        String gap = null;
        final JournalReader reader;
        long preceding = JournalDescriptor.NO_SEQUENCE;
        try
        {
            reader = JournalReader.open(journal);
        }
        catch (final JournalException ex)
        {
            throw Inputs.journalError(ex);
        }
        try (reader;
            Progress progress = new Progress("verify", 0, done::get, err, null).unit("records")
                .fraction(position::share))
        {
            try
            {
                boolean first = true;
                // In place (framing, CRC, sequences, layout) unless --decode asks for every value to be built.
                while (decode ? null != reader.next() : reader.advance())
                {
                    if (first)
                    {
                        gap = JournalStart.gap(journal, reader);
                        preceding = reader.precedingSequence();
                        first = false;
                    }
                    position.at(reader.recordFile(), reader.recordOffset());
                    done.lazySet(done.get() + 1);
                }
                if (first)
                {
                    gap = JournalStart.gap(journal, reader);
                    preceding = reader.precedingSequence();
                }
            }
            catch (final JournalCorruptException ex)
            {
                corruption = ex;
            }
        }
        catch (final JournalException ex)
        {
            throw Inputs.journalError(ex);
        }
        out.println("journal  " + journal);
        try (Stream<Path> files = Files.list(journal))
        {
            files.map(Path::getFileName).map(Path::toString).filter(n -> n.matches("journal-\\d{10}\\.seg")).sorted()
                .forEach(n -> out.println("segment  " + n + " " + size(journal.resolve(n)) + " bytes"));
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, journal + ": cannot list: " + WriteFailure.reason(ex));
        }
        out.println("settings " + (config.stored() ? JournalConfig.FILE_NAME + " ok" :
            "none (no " + JournalConfig.FILE_NAME + "; a replay uses the engine defaults)"));
        out.println("segments " + reader.segmentCount());
        out.println("records  " + reader.recordCount());
        out.println("sequences " + (reader.recordCount() == 0 ? "none" :
            reader.firstSequence() + " to " + reader.lastSequence()));
        out.flush();
        if (reader.tornTail())
        {
            err.println(Inputs.tornTailWarning(reader.tornTailFile(), reader.tornTailOffset(), reader.lastSequence()));
        }
        if (null != corruption)
        {
            throw Inputs.journalError(corruption);
        }
        final String full = position.fullLastSegmentWarning(journal, reader);
        if (null != full)
        {
            err.println(full);
        }
        if (null != gap)
        {
            if (snapshotAt < preceding)
            {
                throw ToolException.corrupt(gap + (null == snapshot ? " (give --snapshot FILE if a state snapshot " +
                    "covers them)" : "; the snapshot " + snapshot + " holds the state only as of sequence " + snapshotAt));
            }
            out.println("snapshot " + snapshot + " covers the records up to sequence " + snapshotAt);
        }
        out.println("ok");
        out.flush();
        return ExitCodes.OK;
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
