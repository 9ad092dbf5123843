package io.peerlane.tools;

import io.peerlane.digest.StateDigest;
import io.peerlane.journal.JournalDescriptor;
import io.peerlane.mutation.MutationValue;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.tools.journal.JournalRecorder;
import io.peerlane.tools.output.OutputFile;
import io.peerlane.tools.output.WriteFailure;
import io.peerlane.tools.trace.TraceWriter;
import io.peerlane.tools.trace.VotedMutation;
import io.peerlane.tools.workload.PipelinedWorkload;
import io.peerlane.tools.workload.WorkloadGenerator;
import io.peerlane.tools.workload.WorkloadSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code generate}: a synthetic workload from a seed, as a journal (with outcomes) or a trace. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
        "Makes a synthetic workload from a seed; the same seed and options give byte-identical output.",
        "A journal holds each op with the outcome a single-threaded registry gave it (with the validator-set " +
            "vote when authorizedValidatorKeys is set); a trace holds the ops only.",
        "Ops are streamed: ten million need no more memory than the peer pool."})
final class GenerateCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", required = true, description = "The seed.")
    long seed;

    @Option(names = "--peers", required = true, description = "Slots in the peer pool (distinct live identities).")
    int peers;

    @Option(names = "--ops", required = true, description = "Ops to make.")
    long ops;

    @Option(names = "--mix", defaultValue = WorkloadSpec.MIX_DEFAULT,
        description = "Relative weights of upsert (new or known peer, next version), update (a live peer's next " +
            "version, now and then a stale resend), remove, batch, touch. Default: ${DEFAULT-VALUE}.")
    String mix;

    @Option(names = "--batch-size", defaultValue = "2..16", description = "MIN..MAX ops in a batch. Default: ${DEFAULT-VALUE}.")
    String batchSize;

    @Option(names = "--validators", defaultValue = "0", description = "Share of peers that are validators, in [0, 1]; " +
        "when above 0 the settings authorise some of their keys, so the validator-set vote refuses the others.")
    double validators;

    @Option(names = "--churn", defaultValue = "0", description = "Chance in [0, 1] that a removed peer's slot comes " +
        "back as a new identity instead of the same id with a higher version.")
    double churn;

    @Option(names = "--span-ms", description = "Event time from the first op to the last, in ms. Default: one ms per op.")
    Long spanMs;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A setting of the recording (repeatable): " +
        SettingOverrides.NAMES + ".")
    List<String> overrides;

    @Option(names = "--segment-bytes", defaultValue = "67108864", description = "Bound of a journal segment file. " +
        "Default: ${DEFAULT-VALUE}.")
    long segmentBytes;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    static final class Output
    {
        @Option(names = "--journal", paramLabel = "DIR", description = "Write a journal to this new directory.")
        Path journal;

        @Option(names = "--trace", paramLabel = "FILE", description = "Write a trace to this file.")
        Path trace;
    }

    @Override
    public Integer call() throws IOException
    {
        final int[] batch = WorkloadSpec.parseBatchSize(batchSize);
        final WorkloadSpec workload = new WorkloadSpec(seed, peers, ops, WorkloadSpec.parseMix(mix), batch[0], batch[1],
            validators, churn, null == spanMs ? ops - 1 : spanMs);
        final WorkloadGenerator generator = new WorkloadGenerator(workload);
        final RegistrySettings settings = SettingOverrides.apply(
            RegistrySettings.builder().authorizedValidatorKeys(generator.authorizedValidatorKeys()).build(),
            SettingOverrides.parse("--set", overrides));
        if (segmentBytes < JournalDescriptor.MIN_SEGMENT_LENGTH)
        {
            throw ToolException.usage("--segment-bytes " + segmentBytes + ": must be at least " +
                JournalDescriptor.MIN_SEGMENT_LENGTH);
        }
        final int firstLine = TraceWriter.config(new StringBuilder(), settings) ? 2 : 1;
        if (firstLine + ops - 1 > Integer.MAX_VALUE)
        {
            throw ToolException.usage("--ops " + ops + ": at most " + (Integer.MAX_VALUE - 1) + " (trace line numbers)");
        }
        final AtomicLong done = new AtomicLong();
        final long start = System.nanoTime();
        final String digest;
        final int peerCount;
        try (Progress progress = new Progress("generate", ops, done::get, spec.commandLine().getErr(), null))
        {
            if (null != output.journal)
            {
                try (JournalRecorder recorder = JournalRecorder.create(output.journal, settings, segmentBytes))
                {
                    // Made and encoded on a second thread, committed on this one (see recordAll).
                    recorder.recordAll(generator::next, firstLine, ops, done);
                    digest = StateDigest.of(recorder.view());
                    peerCount = recorder.view().size();
                    recorder.commit();
                }
            }
            else
            {
                final RegistryState registry = new RegistryState(settings, List.of());
                final VotedMutation voted = new VotedMutation(ValidatorKeyVote.of(settings));
                final CommitResult result = new CommitResult();
                final StringBuilder text = new StringBuilder(1024);
                try (OutputFile file = OutputFile.create(output.trace);
                    PipelinedWorkload made = new PipelinedWorkload(generator, ops))
                {
                    final Writer out = file.writer();
                    if (TraceWriter.config(text, settings))
                    {
                        out.append(text).append('\n');
                    }
                    int line = firstLine;
                    while (made.hasNext())
                    {
                        final MutationValue op = made.next();
                        registry.commit(voted.wrap(op), line, result);
                        text.setLength(0);
                        out.append(TraceWriter.op(text, op).append('\n'));
                        line++;
                        done.lazySet(done.get() + 1);
                    }
                    file.commit();
                }
                catch (final IOException ex)
                {
                    throw new ToolException(ExitCodes.FAILURE, WriteFailure.of(output.trace, ex).getMessage());
                }
                digest = StateDigest.of(registry.view());
                peerCount = registry.view().size();
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf("generated %d ops (seed %d) into %s in %.1f s (%.0f ops/s)%n", ops, seed,
            null != output.journal ? output.journal : output.trace, seconds, ops / Math.max(seconds, 1e-9));
        out.printf("peers %d%ndigest %s%n", peerCount, digest);
        out.flush();
        return ExitCodes.OK;
    }
}
