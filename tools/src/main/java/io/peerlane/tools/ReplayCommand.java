package io.peerlane.tools;

import io.peerlane.digest.StateDigest;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.journal.JournalException;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.tools.journal.JournalConfig;
import io.peerlane.tools.journal.JournalStart;
import io.peerlane.tools.journal.SnapshotCover;
import io.peerlane.tools.output.OutputFile;
import io.peerlane.tools.output.OutputPaths;
import io.peerlane.tools.output.WriteFailure;
import io.peerlane.tools.replay.JournalSource;
import io.peerlane.tools.replay.Pace;
import io.peerlane.tools.replay.ReplaySource;
import io.peerlane.tools.replay.Replayer;
import io.peerlane.tools.replay.TraceSource;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code replay}: drives the real engine with a journal's or a trace's ops. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Drives the real engine (PeerlaneEngine) with the ops of a journal or a trace and prints the state digest, " +
            "the peer count, the throughput and latency percentiles (p50, p90, p99, p99.9, max).",
        "A journal is replayed with its recorded vote refusals (the same digest in both topologies, every run); " +
            "--revote re-runs the votes (the validator-set observer, CRITICAL, with the recording's " +
            "authorizedValidatorKeys). A trace has no recorded votes: its votes always run.",
        "A journal's replay is always compared with its recorded outcomes, whatever the settings (a missing or " +
            "edited " + JournalConfig.FILE_NAME + ", --set, --revote): every op whose outcome differs is printed " +
            "(DIFF, with its sequence, recorded and now) and the exit code is 4 if any did. A trace is compared " +
            "when --set is given, with what it gives under its own settings (DIFF line N).",
        "Latency: from the publish call at --pace max; from each op's intended time at the other paces, so a " +
            "stall counts against every op it delays (no coordinated omission). A paced run that falls more than " +
            "5%% short of its rate (beyond a 0.5 s start-up allowance) warns and exits 4.",
        "Outcome lines of a journal carry its sequence as \"line\" (import and generate use trace line numbers " +
            "as sequences).",
        "Outputs are written to temporary files beside them and renamed into place only when the run succeeds, " +
            "every one flushed and forced to the disk before any is renamed; an output (--counters too) that is " +
            "an input or lies inside the input journal is refused (exit 2)."})
final class ReplayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|TRACE", description = "A journal directory or a trace file.")
    Path input;

    @Option(names = "--topology", defaultValue = "compact", paramLabel = "compact|pipelined",
        description = "Engine topology. Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--wait", defaultValue = "blocking", paramLabel = "blocking|sleeping|yielding|busy_spin|backoff",
        description = "Wait strategy of the engine's consumers. Default: ${DEFAULT-VALUE}.")
    String wait;

    @Option(names = "--ring", defaultValue = "8192", paramLabel = "N", description = "Ring slots, a power of two. " +
        "Default: ${DEFAULT-VALUE}.")
    int ring;

    @Option(names = "--pace", defaultValue = "max", paramLabel = "max|recorded|scaled:F|rate:OPS",
        description = "max: as fast as possible; recorded: at the recorded event times; scaled:F: F times as fast " +
            "as recorded; rate:OPS: a constant rate. Default: ${DEFAULT-VALUE}.")
    String pace;

    @Option(names = "--revote", description = "Re-run critical votes instead of applying recorded refusals; " +
        "report outcomes that differ.")
    boolean revote;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override a setting (repeatable, each name " +
        "once): " + SettingOverrides.NAMES + ". authorizedValidatorKeys takes effect through a re-vote, so on a " +
        "journal it implies --revote.")
    List<String> overrides;

    @Option(names = "--snapshot", paramLabel = "FILE", description = "Start the engine from this state snapshot " +
        "(engine.snapshot) and replay the journal's records after its sequence; accepts a journal whose first " +
        "segments were pruned when the snapshot covers them.")
    Path snapshot;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "Write TRACE.md's outcome lines.")
    Path outcomes;

    @Option(names = "--events", paramLabel = "FILE", description = "Write TRACE.md's event lines (a STANDARD observer).")
    Path events;

    @Option(names = "--state", paramLabel = "FILE", description = "Write TRACE.md's state lines and digest line.")
    Path state;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log of latencies (ns).")
    Path hlog;

    /**
     * A paced run missed its rate when it took more than 5% longer than intended plus a start-up allowance
     * ({@link Pace#RATE_CHECK_GRACE_NANOS}), so that a tiny run is not failed by the engine's start-up alone.
     */
    static boolean missedRate(final Replayer.Result result)
    {
        return Pace.missedRate(result.intendedSeconds(), result.elapsedNs()) &&
            result.achievedRate() < 0.95 * result.targetRate();
    }

    @Option(names = "--counters", paramLabel = "DIR",
        description = "Keep the engine's counters in DIR, so that `./peerlane stat DIR` shows the replay live.")
    Path counters;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Topology topologyKind = parseEnum(Topology.class, "--topology", topology);
        final WaitStrategyKind waitKind = parseEnum(WaitStrategyKind.class, "--wait", wait);
        if (ring < 2 || Integer.bitCount(ring) != 1 || ring > (1 << 24))
        {
            throw ToolException.usage("--ring " + ring + ": must be a power of two in [2, 2^24]");
        }
        final Pace paceKind = Pace.parse(pace);
        final Map<String, String> sets = SettingOverrides.parse("--set", overrides);
        if (null != counters && Files.exists(counters) && !Files.isDirectory(counters))
        {
            throw ToolException.usage("--counters: " + counters + " is a file; it must be a directory or not exist yet");
        }
        final boolean journal = Files.isDirectory(input);
        if (journal)
        {
            Inputs.requireJournal(input);
        }
        else
        {
            Inputs.requireFile(input, "trace");
        }
        final OutputPaths paths = new OutputPaths().input((journal ? "journal " : "trace ") + input, input);
        if (null != snapshot)
        {
            paths.input("snapshot " + snapshot, snapshot);
        }
        paths
            .output("--outcomes", outcomes)
            .output("--events", events)
            .output("--state", state)
            .output("--hlog", hlog)
            .output("--counters", counters);
        final boolean setGiven = !sets.isEmpty();
        boolean revoting = revote;
        if (journal && !revote && sets.containsKey("authorizedValidatorKeys"))
        {
            err.println("note: --set authorizedValidatorKeys takes effect only through the validator-set vote, so " +
                "the recorded votes are not applied: replaying with --revote");
            revoting = true;
        }
        final ReplaySource source;
        final JournalSource journalSource;
        if (journal)
        {
            final JournalConfig config = JournalConfig.read(input);
            if (!config.stored())
            {
                err.println("warning: " + input + " has no " + JournalConfig.FILE_NAME + "; replaying with the " +
                    "engine default settings (every outcome that differs from the recording is reported)");
            }
            final long snapshotAt = null == snapshot ? JournalStart.NOT_COVERED :
                SnapshotCover.sequence(snapshot, config.settings());
            try
            {
                journalSource = new JournalSource(input, config.settings(), snapshotAt);
            }
            catch (final JournalException ex)
            {
                throw Inputs.journalError(ex);
            }
            source = journalSource;
        }
        else
        {
            if (null != snapshot)
            {
                throw ToolException.usage("--snapshot " + snapshot + ": applies to a journal, not to a trace");
            }
            journalSource = null;
            source = new TraceSource(Inputs.readTrace(input, err), setGiven);
        }
        final RegistrySettings settings;
        try
        {
            settings = SettingOverrides.apply(source.settings(), sets);
        }
        catch (final RuntimeException ex)
        {
            source.close();
            throw ex;
        }
        // A journal holds every recorded outcome: whatever the settings, compare with it.
        final boolean compare = journal || setGiven;

        final Replayer.Result result;
        final String digest;
        final Histogram latency;
        try (source;
            OutputFile outcomesOut = open(outcomes);
            OutputFile eventsOut = open(events);
            OutputFile stateOut = open(state);
            OutputFile hlogOut = open(hlog))
        {
            final Replayer replayer = new Replayer(new Replayer.Options()
                .topology(topologyKind)
                .waitStrategy(waitKind)
                .ringSize(ring)
                .pace(paceKind)
                .counters(counters)
                .revote(revoting)
                .snapshot(snapshot)
                .settings(settings)
                .outcomes(null == outcomesOut ? null : outcomesOut.writer())
                .events(null == eventsOut ? null : eventsOut.writer())
                .differences(compare ? out : null)
                .hlog(null == hlogOut ? null : hlogOut.printStream()));
            try (Progress progress = new Progress("replay", source.total(), replayer::committed, err,
                replayer.latency()::sample))
            {
                if (null != journalSource)
                {
                    progress.fraction(journalSource::share);
                }
                result = replayer.run(source);
            }
            catch (final JournalException ex)
            {
                throw Inputs.journalError(ex);
            }
            digest = null == stateOut ? StateDigest.of(result.view()) :
                new StateDigest().report(result.view(), stateOut.writer());
            latency = replayer.latency().total();
            // All or nothing: every output is flushed and forced before any is renamed over its target.
            OutputFile.commitAll(outcomesOut, eventsOut, stateOut, hlogOut);
        }
        catch (final WriteFailure ex)
        {
            throw new ToolException(ExitCodes.FAILURE, ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, "cannot write an output: " + WriteFailure.reason(ex));
        }
        if (null != source.warning())
        {
            err.println(source.warning());
        }
        report(out, result, latency, digest, paceKind);
        if (compare)
        {
            out.println(result.differences() == 0 ? "outcomes: all " + result.ops() + " equal to the recording" :
                "outcomes: " + result.differences() + " of " + result.ops() + " differ from the recording");
        }
        out.flush();
        int exit = ExitCodes.OK;
        if (compare && result.differences() > 0)
        {
            err.println("check failed: " + result.differences() + " outcomes differ from the recording");
            exit = ExitCodes.CHECK_FAILED;
        }
        if (paceKind.paced() && result.targetRate() > 0 && missedRate(result))
        {
            err.printf(Locale.ROOT, "warning: achieved %.0f ops/s, more than 5%% short of the target %.0f ops/s%n",
                result.achievedRate(), result.targetRate());
            exit = ExitCodes.CHECK_FAILED;
        }
        err.flush();
        return exit;
    }

    private static void report(
        final PrintWriter out, final Replayer.Result result, final Histogram latency, final String digest, final Pace pace)
    {
        out.println("digest " + digest);
        out.println("peers " + result.peers());
        out.printf(Locale.ROOT, "ops %d in %.3f s: %.0f ops/s%s%n", result.ops(), result.elapsedNs() / 1e9,
            result.achievedRate(), result.targetRate() > 0 ? String.format(Locale.ROOT, " (target %.0f ops/s)",
                result.targetRate()) : "");
        out.printf(Locale.ROOT, "latency (us, from the %s): p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f%n",
            pace.paced() ? "intended time" : "publish call",
            latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
            latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
            latency.getMaxValue() / 1e3);
    }

    private static OutputFile open(final Path file) throws WriteFailure
    {
        return null == file ? null : OutputFile.create(file);
    }

    private static <E extends Enum<E>> E parseEnum(final Class<E> type, final String option, final String value)
    {
        for (final E e : type.getEnumConstants())
        {
            if (e.name().equalsIgnoreCase(value))
            {
                return e;
            }
        }
        throw ToolException.usage(option + " " + value + ": must be one of " +
            Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
}
