package io.peerlane.tools;

import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.journal.JournalException;
import io.peerlane.state.RegistrySettings;
import io.peerlane.tools.journal.JournalConfig;
import io.peerlane.tools.replay.JournalSource;
import io.peerlane.tools.replay.Pace;
import io.peerlane.tools.replay.ReplaySource;
import io.peerlane.tools.replay.Replayer;
import io.peerlane.tools.replay.TraceSource;
import io.peerlane.trace.StateDigest;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        "With --revote or --set, every op whose outcome differs from the recording is printed (DIFF, with its " +
            "line or sequence, recorded and now) and the exit code is 4 if any did. For a trace the recording is " +
            "what the trace gives under its own settings.",
        "Latency: from the publish call at --pace max; from each op's intended time at the other paces, so a " +
            "stall counts against every op it delays (no coordinated omission). A paced run that falls more " +
            "than 5%% short of its rate warns and exits 4.",
        "Outcome lines of a journal carry its sequence as \"line\" (import and generate use trace line numbers " +
            "as sequences)."})
final class ReplayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|TRACE", description = "A journal directory or a trace file.")
    Path input;

    @Option(names = "--topology", defaultValue = "compact", paramLabel = "compact|pipelined",
        description = "Engine topology. Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--wait", defaultValue = "blocking", paramLabel = "blocking|sleeping|yielding|busy_spin",
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

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override a setting (repeatable): " +
        SettingOverrides.NAMES + "; report outcomes that differ.")
    Map<String, String> overrides;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "Write TRACE.md's outcome lines.")
    Path outcomes;

    @Option(names = "--events", paramLabel = "FILE", description = "Write TRACE.md's event lines (a STANDARD observer).")
    Path events;

    @Option(names = "--state", paramLabel = "FILE", description = "Write TRACE.md's state lines and digest line.")
    Path state;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log of latencies (ns).")
    Path hlog;

    @Option(names = "--counters", paramLabel = "DIR",
        description = "Keep the engine's counters in DIR, so that `./peerlane stat DIR` shows the replay live.")
    Path counters;

    @Override
    public Integer call() throws IOException
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
        if (null != counters && Files.exists(counters) && !Files.isDirectory(counters))
        {
            throw ToolException.usage("--counters: " + counters + " is a file; it must be a directory or not exist yet");
        }
        final boolean journal = Files.isDirectory(input);
        final boolean setGiven = null != overrides && !overrides.isEmpty();
        final ReplaySource source;
        if (journal)
        {
            Inputs.requireJournal(input);
            final JournalConfig config = JournalConfig.read(input);
            if (!config.stored())
            {
                err.println("warning: " + input + " has no " + JournalConfig.FILE_NAME + "; replaying with the " +
                    "engine default settings");
            }
            source = new JournalSource(input, config.settings());
        }
        else
        {
            source = new TraceSource(Inputs.readTrace(input), setGiven);
        }
        final RegistrySettings settings = SettingOverrides.apply(source.settings(), overrides);
        final boolean compare = setGiven || (journal && revote);

        final List<Path> written = new ArrayList<>();
        final Replayer.Result result;
        final String digest;
        try (source;
            Writer outcomesOut = open(outcomes, written);
            Writer eventsOut = open(events, written);
            Writer stateOut = open(state, written);
            PrintStream hlogOut = openStream(hlog, written))
        {
            final Replayer replayer = new Replayer(new Replayer.Options()
                .topology(topologyKind)
                .waitStrategy(waitKind)
                .ringSize(ring)
                .pace(paceKind)
                .counters(counters)
                .revote(revote)
                .settings(settings)
                .outcomes(outcomesOut)
                .events(eventsOut)
                .differences(compare ? out : null)
                .hlog(hlogOut));
            try (Progress progress = new Progress("replay", source.total(), replayer::committed, err,
                replayer.latency()::sample))
            {
                result = replayer.run(source);
            }
            catch (final JournalException ex)
            {
                deleteAll(written);
                throw Inputs.journalError(ex);
            }
            digest = null == stateOut ? StateDigest.of(result.view()) : new StateDigest().report(result.view(), stateOut);
            if (null != source.warning())
            {
                err.println(source.warning());
            }
            report(out, result, replayer.latency().total(), digest, paceKind);
        }
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
        if (paceKind.paced() && result.targetRate() > 0 && result.achievedRate() < 0.95 * result.targetRate())
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

    private static Writer open(final Path file, final List<Path> written) throws IOException
    {
        if (null == file)
        {
            return null;
        }
        try
        {
            final Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
            written.add(file);
            return w;
        }
        catch (final IOException ex)
        {
            throw ToolException.usage(file + ": cannot write: " + ex.getMessage());
        }
    }

    private static PrintStream openStream(final Path file, final List<Path> written)
    {
        if (null == file)
        {
            return null;
        }
        try
        {
            final PrintStream s = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), false,
                StandardCharsets.UTF_8);
            written.add(file);
            return s;
        }
        catch (final IOException ex)
        {
            throw ToolException.usage(file + ": cannot write: " + ex.getMessage());
        }
    }

    private static void deleteAll(final List<Path> files)
    {
        for (final Path f : files)
        {
            try
            {
                Files.deleteIfExists(f);
            }
            catch (final IOException ignore)
            {
                // The error being reported matters more.
            }
        }
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
