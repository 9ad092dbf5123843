package io.peerlane.tools;

import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalException;
import io.peerlane.journal.JournalReader;
import io.peerlane.tools.journal.JournalConfig;
import io.peerlane.tools.journal.JournalPosition;
import io.peerlane.tools.journal.JournalStart;
import io.peerlane.tools.output.OutputFile;
import io.peerlane.tools.output.OutputPaths;
import io.peerlane.tools.output.WriteFailure;
import io.peerlane.tools.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code export}: a journal to a trace. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
        "Converts a journal to a trace: a config line from the journal's " + JournalConfig.FILE_NAME +
            " (omitted, with a warning, when the journal has none: its settings are then unknown and a replay " +
            "of the trace uses the engine defaults), then one line per recorded op at its recorded event time.",
        "Recorded outcomes and votes are not part of a trace. Streams: any size of journal."})
final class ExportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal's directory.")
    Path journal;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "The trace file to write.")
    Path trace;

    @Override
    public Integer call()
    {
        Inputs.requireJournal(journal);
        new OutputPaths().input("journal " + journal, journal).output("--trace", trace);
        final PrintWriter err = spec.commandLine().getErr();
        final JournalConfig config = JournalConfig.read(journal);
        if (!config.stored())
        {
            err.println("warning: " + journal + " has no " + JournalConfig.FILE_NAME +
                "; its settings are unknown, the trace gets no config line (engine defaults)");
        }
        final AtomicLong done = new AtomicLong();
        final StringBuilder line = new StringBuilder(1024);
        final String[] torn = new String[1];
        final JournalPosition position = new JournalPosition(journal);
        final String full;
        try (Progress progress = new Progress("export", 0, done::get, err, null).unit("records")
                .fraction(position::share);
            JournalReader reader = JournalReader.open(journal, (f, o, s) -> torn[0] = Inputs.tornTailWarning(f, o, s));
            OutputFile file = OutputFile.create(trace))
        {
            final Writer out = file.writer();
            JournalEntry entry = reader.next();
            JournalStart.require(journal, reader);
            if (TraceWriter.config(line, config.settings()))
            {
                out.append(line).append('\n');
            }
            for (; null != entry; entry = reader.next())
            {
                line.setLength(0);
                out.append(TraceWriter.op(line, entry.mutation()).append('\n'));
                position.at(entry);
                done.lazySet(done.get() + 1);
            }
            full = position.fullLastSegmentWarning(journal, reader);
            file.commit();
        }
        catch (final JournalException ex)
        {
            throw Inputs.journalError(ex);
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, WriteFailure.of(trace, ex).getMessage());
        }
        if (null != torn[0])
        {
            err.println(torn[0]);
        }
        if (null != full)
        {
            err.println(full);
        }
        spec.commandLine().getOut().printf("exported %d ops from %s to %s%n", done.get(), journal, trace);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
