package io.peerlane.tools;

import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalReport;
import io.peerlane.journal.JournalVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code verify}: reads a whole journal, decoding every record, and reports what it holds. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Checks a journal: every header and record, CRCs, lengths, sequence order, the chain of segments.",
        "Prints its segments, record count and sequences. A torn last record (a crash mid-write) is reported " +
            "and ignored: exit 0 with a warning. Damage before the end exits 3 naming the file, the offset and " +
            "the last good sequence."})
final class VerifyCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal's directory.")
    Path journal;

    @Override
    public Integer call()
    {
        Inputs.requireJournal(journal);
        final JournalReport report;
        try
        {
            report = JournalVerifier.verify(journal);
        }
        catch (final JournalException ex)
        {
            throw Inputs.journalError(ex);
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("journal  " + journal);
        try (Stream<Path> files = Files.list(journal))
        {
            files.map(Path::getFileName).map(Path::toString).filter(n -> n.matches("journal-\\d{10}\\.seg")).sorted()
                .forEach(n -> out.println("segment  " + n + " " + size(journal.resolve(n)) + " bytes"));
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, journal + ": cannot list: " + ex);
        }
        out.println("segments " + report.segmentCount());
        out.println("records  " + report.recordCount());
        out.println("sequences " + (report.recordCount() == 0 ? "none" :
            report.firstSequence() + " to " + report.lastSequence()));
        out.flush();
        if (report.tornTail())
        {
            spec.commandLine().getErr().println(
                Inputs.tornTailWarning(report.tornTailFile(), report.tornTailOffset(), report.lastSequence()));
        }
        if (null != report.corruption())
        {
            throw Inputs.journalError(report.corruption());
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
