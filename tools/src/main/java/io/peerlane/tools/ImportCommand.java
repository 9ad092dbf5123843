package io.peerlane.tools;

import io.peerlane.digest.StateDigest;
import io.peerlane.journal.JournalDescriptor;
import io.peerlane.tools.journal.JournalConfig;
import io.peerlane.tools.journal.JournalRecorder;
import io.peerlane.tools.output.OutputPaths;
import io.peerlane.tools.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code import}: a trace to a journal, each op recorded with the outcome a single-threaded registry gives it. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
        "Converts a trace to a journal. Each op is recorded with the outcome a single-threaded registry gives it " +
            "(the validator-set vote applied when authorizedValidatorKeys is set); its sequence is its line " +
            "number in the trace, so replay outcome lines name the same lines.",
        "The trace's settings go to " + JournalConfig.FILE_NAME + " in the journal " +
            "directory. The trace is read whole."})
final class ImportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file.")
    Path trace;

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The new journal's directory.")
    Path journal;

    @Override
    public Integer call()
    {
        Inputs.requireFile(trace, "trace");
        new OutputPaths().input("trace " + trace, trace).output("--journal", journal);
        final Trace input = Inputs.readTrace(trace, spec.commandLine().getErr());
        final AtomicLong done = new AtomicLong();
        final String digest;
        final int peers;
        try (Progress progress = new Progress("import", input.ops().size(), done::get, spec.commandLine().getErr(), null);
            JournalRecorder recorder = JournalRecorder.create(journal, input.settings(),
                JournalDescriptor.SEGMENT_LENGTH_DEFAULT))
        {
            for (int i = 0; i < input.ops().size(); i++)
            {
                recorder.record(input.line(i), input.ops().get(i));
                done.lazySet(done.get() + 1);
            }
            digest = StateDigest.of(recorder.view());
            peers = recorder.view().size();
            recorder.commit();
        }
        spec.commandLine().getOut().printf("imported %d ops from %s into %s%npeers %d%ndigest %s%n",
            input.ops().size(), trace, journal, peers, digest);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
