package io.peerlane.bench;

import io.peerlane.tools.ExitCodes;

import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.tools.workload.WorkloadSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code peerlane bench}: runs one pre-generated workload through Peerlane and the designs it replaces, in
 * the same process and the same run, and reports each against Peerlane. Exit codes are the tool's
 * ({@link ExitCodes}): 0 done, 2 a usage error, 3 a corrupt {@code --journal}, 4 a failed check (rate mode
 * missed its target), 1 anything else.
 */
@Command(
    name = "peerlane bench",
    mixinStandardHelpOptions = true,
    version = "peerlane bench 0.1",
    sortOptions = false,
    description = {
        "Runs one pre-generated synthetic workload through several contenders in the same run and reports each "
            + "as a ratio to Peerlane. Each run loads --peers peers into a fresh contender (untimed), then times "
            + "--ops ops from --producers threads.",
        "Per contender and run: ops/s; CPU time per op (the whole process); collector pauses and their time "
            + "(GarbageCollectorMXBeans, pause beans only); bytes allocated per op (all live threads, read before and "
            + "after the run: a thread that ends within the run is missed); heap bytes per loaded peer (full "
            + "collections before and after loading); latency percentiles to p99.99 and max.",
        "Contenders: peerlane (the engine); rwlock (the same rules and observers on one mutable RegistryState under "
            + "a ReentrantReadWriteLock; readers take the read lock); "
            + "chm-cow (ConcurrentHashMap plus CopyOnWriteArrayList listeners, no rules); executor (one thread "
            + "behind an ArrayBlockingQueue); disruptor-raw (the bare ring: the ceiling); and, only when named, "
            + "peerlane-journal (the engine recording every op to a journal, force policy NEVER, in a temporary "
            + "directory deleted after each run).",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:failure (a contender failed or stalled, a file could not be written)",
        "2:usage error (one line naming the option, the value and the limit)",
        "3:corrupt or malformed input (a --journal that does not read)",
        "4:a failed check (rate mode: achieved rate more than 5%% below --rate)"})
public final class BenchMain implements Callable<Integer>
{
    // One exit-code table for everything ./peerlane runs: the tool's (io.peerlane.tools.ExitCodes).
    /** Exit code: done. */
    public static final int EXIT_OK = ExitCodes.OK;
    /** Exit code: any failure that is not the user's input or a missed target. */
    public static final int EXIT_FAILURE = ExitCodes.FAILURE;
    /** Exit code: bad options. */
    public static final int EXIT_USAGE = ExitCodes.USAGE;
    /** Exit code: a corrupt or malformed input (a {@code --journal} that does not read). */
    public static final int EXIT_CORRUPT = ExitCodes.CORRUPT;
    /** Exit code: a performance check failed (the tool's "failed check"). */
    public static final int EXIT_PERF_FAIL = ExitCodes.CHECK_FAILED;
    /** Largest {@code --ops}. */
    static final int MAX_OPS = 50_000_000;
    /** Largest {@code --peers}. */
    static final int MAX_PEERS = 10_000_000;
    /**
     * Heap the bench needs per peer, at its peak: the population's ops in the workload (about 630 B) and the
     * largest contender's copy of it (about 330 B). Measured on Java 17 with G1, 2026-12; a guide for
     * refusing a run that cannot fit, not a figure to report.
     */
    static final long HEAP_PER_PEER_ESTIMATE = 1_000;
    /** Heap per measured op: the op and its record (about 300 B), more with chm-cow's recorded results. */
    static final long HEAP_PER_OP_ESTIMATE = 350;
    /** Heap per measured op when chm-cow runs and the workload keeps each op's commit result. */
    static final long HEAP_PER_OP_WITH_RESULTS_ESTIMATE = 600;
    /** Headroom the collector needs over the live heap. */
    static final double HEAP_HEADROOM = 1.25;
    /** Rate mode fails when the achieved rate is below this fraction of the target. */
    static final double RATE_TOLERANCE = 0.95;

    @Spec
    CommandSpec spec;

    @Option(names = "--contenders", split = ",", paramLabel = "NAME",
        description = "Contenders to run, in order (default: ${DEFAULT-VALUE}; also peerlane-journal, the engine " +
            "recording every op to a journal in a temporary directory, for the cost of recording).",
        defaultValue = ContenderKind.DEFAULT_NAMES)
    List<String> contenders;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "Use a recorded journal (./peerlane tool generate or import, or an engine's) as the workload " +
            "instead of generating one: its peer mutations, dealt to the producers by id; --seed, --peers, --mix, " +
            "--max-batch, --validators and --subnets do not apply, --ops is not needed (BENCHMARKS.md says what " +
            "is kept).")
    Path journal;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "throughput",
        description = "throughput: producers publish as fast as they can; rate: a constant total --rate, latency from "
            + "each op's intended send time (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--rate", paramLabel = "OPS_PER_SEC",
        description = "Total offered rate, split across producers: needed with --mode rate, refused without it.")
    Long rate;

    @Option(names = "--producers", defaultValue = "4",
        description = "Producer threads; the ops and the peer ids are split among them (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs per contender (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ops", defaultValue = "200000",
        description = "Measured ops in each run, after the --peers peers are loaded (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--warmup-ops", defaultValue = "100000",
        description = "Ops of an unrecorded warm-up run of each contender (the first ones of the workload, after loading "
            + "the peers); every contender warms up before the first measured run, and the measured runs then go in "
            + "rounds, one run of each contender a round; capped at --ops; 0 for none (default: ${DEFAULT-VALUE}).")
    int warmupOps;

    @Option(names = "--peers", defaultValue = "10000",
        description = "Peers loaded into each contender before each run (untimed; their heap is reported as B/peer), "
            + "which are also the ids the ops work on; maxPeers is raised to fit, for every contender. Refused up front "
            + "when the heap cannot hold them with --ops (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mix", split = ",", paramLabel = "KIND=PARTS",
        description = "Op mix in parts: new (re-adds a removed peer; an update when the producer has none removed), "
            + "update, touch, remove, batch; kinds not given keep their default part "
            + "(default: new=20,update=45,touch=20,remove=10,batch=5).")
    Map<String, Integer> mix = defaultMix();

    @Option(names = "--max-batch", defaultValue = "8", description = "Largest batch, 2 to 1024 ops (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--validators", defaultValue = "0.1", description = "Fraction of peers that are validators (default: ${DEFAULT-VALUE}).")
    double validators;

    @Option(names = "--subnets", defaultValue = "1024", description = "Distinct IPv4 /24 subnets of endpoints (default: ${DEFAULT-VALUE}).")
    int subnets;

    @Option(names = "--topology", defaultValue = "compact", description = "Peerlane topology: compact or pipelined (default: ${DEFAULT-VALUE}).")
    Topology topology;

    @Option(names = "--wait", defaultValue = "blocking",
        description = "Wait strategy of Peerlane and of the raw ring, any case: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    WaitStrategyKind wait;

    @Option(names = "--ring", defaultValue = "8192",
        description = "Ring size of Peerlane and of the raw ring, a power of two; also the executor's queue capacity "
            + "(default: ${DEFAULT-VALUE}).")
    int ring;

    @Option(names = "--observers", defaultValue = ObserverSets.DEFAULT_SPEC, paramLabel = "SET",
        description = "What every contender but the raw ring delivers each event to, fresh instances per run, before "
            + "the latency probe: subsystems (the built-in Kademlia table, mesh topology and validator set), noop "
            + "(3 no-op observers) or synthetic:N:NANOS (N observers busy for NANOS ns per event) (default: ${DEFAULT-VALUE}).")
    String observers;

    @Option(names = "--out", defaultValue = "target/bench-report", paramLabel = "DIR",
        description = "Where report.html, summary.json (medians per contender, for CI) and the .hlog interval logs go, "
            + "each written to a temporary name and moved into place (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--counters", paramLabel = "DIR",
        description = "Keep Peerlane's counters in DIR/peerlane-counters.dat, so that `./peerlane stat DIR` shows the "
            + "run live from another terminal (default: none, counters in memory).")
    Path countersDir;

    @Option(names = "--stall-timeout", defaultValue = "30", paramLabel = "SECONDS",
        description = "Fail a contender that commits nothing for this long, while loading or measured (default: ${DEFAULT-VALUE}).")
    int stallTimeoutSeconds;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** @return the command, set up as {@link #main} runs it: for tests that call {@code execute} in-process. */
    public static CommandLine commandLine()
    {
        final CommandLine cl = new CommandLine(new BenchMain());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine command = ex.getCommandLine();
            command.getErr().println("error: " + ex.getMessage());
            command.getErr().println("Try 'peerlane bench --help' for the options.");
            command.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("error: " + message(ex));
            commandLine.getErr().flush();
            return ex instanceof CorruptInputException ? EXIT_CORRUPT : EXIT_FAILURE;
        });
        return cl;
    }

    private static Map<String, Integer> defaultMix()
    {
        final Map<String, Integer> m = new LinkedHashMap<>();
        m.put("new", 20);
        m.put("update", 45);
        m.put("touch", 20);
        m.put("remove", 10);
        m.put("batch", 5);
        return m;
    }

    @Override
    public Integer call() throws Exception
    {
        final BenchConfig config = validate();
        final PrintWriter out = spec.commandLine().getOut();
        final WorkloadSpec workloadSpec = Workload.spec(seed, peers, ops, producers, mixParts(), maxBatch, validators, subnets);
        out.println("peerlane bench: " + config.mode.name().toLowerCase(Locale.ROOT) + " mode" +
            (config.mode == BenchConfig.Mode.RATE ? String.format(Locale.ROOT, " at %,d ops/s", rate) : "") +
            ", " + runs + " runs per contender, warm-up " + warmupOps + " ops");
        out.println("workload: " + (null == journal ? workloadSpec.toString() : "the journal " + journal));
        out.println("peerlane: " + topology.name().toLowerCase(Locale.ROOT) + " topology, " +
            wait.name().toLowerCase(Locale.ROOT) + " wait, ring " + ring + "; observers: " + config.observers +
            " + a latency probe delivered to last");
        out.flush();
        final long genStart = System.nanoTime();
        final Workload workload;
        if (null != journal)
        {
            final JournalWorkload recorded;
            try
            {
                recorded = JournalWorkload.read(journal, producers, config.contenders.contains(ContenderKind.CHM_COW));
            }
            catch (final IllegalArgumentException ex)
            {
                throw usage("--journal " + journal + ": " + ex.getMessage());
            }
            catch (final io.peerlane.journal.JournalCorruptException ex)
            {
                throw new CorruptInputException("--journal " + journal + ": " + ex.getMessage(), ex);
            }
            catch (final io.peerlane.journal.JournalException ex)
            {
                throw usage("--journal " + journal + ": not a readable journal: " + ex.getMessage());
            }
            workload = recorded.workload();
            out.println(recorded.summary());
            out.printf("read and checked %,d ops in %.1f s%n", workload.ops(), (System.nanoTime() - genStart) / 1e9);
        }
        else
        {
            workload = Workload.generate(workloadSpec, config.contenders.contains(ContenderKind.CHM_COW));
            out.printf("generated and checked %,d peers and %,d ops in %.1f s%n", workload.population(), workload.ops(),
                (System.nanoTime() - genStart) / 1e9);
        }
        out.flush();

        final BenchRunner runner = new BenchRunner(config, workload, out);
        final List<ContenderResult> results = runner.run(config.contenders);
        ConsoleReport.print(out, results);

        final Path report = outDir.resolve("report.html");
        HtmlReport.write(report, "Peerlane bench", details(workload), results);
        final Path summary = outDir.resolve(SummaryJson.FILE_NAME);
        SummaryJson.write(summary, results);
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        out.println("summary: " + summary.toAbsolutePath().normalize());
        out.println("interval logs: " + outDir.toAbsolutePath().normalize() + "/<contender>.<metric>.hlog");

        int code = EXIT_OK;
        if (config.mode == BenchConfig.Mode.RATE)
        {
            for (final ContenderResult r : results)
            {
                final double achieved = r.throughput().median();
                if (achieved < rate * RATE_TOLERANCE)
                {
                    out.printf(Locale.ROOT, "FAIL %s: achieved %,.0f ops/s (median of runs), %.1f%% below the target %,d ops/s%n",
                        r.name(), achieved, 100.0 * (rate - achieved) / rate, rate);
                    code = EXIT_PERF_FAIL;
                }
                else
                {
                    out.printf(Locale.ROOT, "ok   %s: achieved %,.0f ops/s of the target %,d ops/s%n", r.name(), achieved, rate);
                }
            }
        }
        out.flush();
        return code;
    }

    private List<String> details(final Workload workload)
    {
        final List<String> d = new ArrayList<>();
        d.add("command: peerlane bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        d.add("mode: " + mode + (null == rate ? "" : String.format(Locale.ROOT, ", target %,d ops/s", rate)) +
            "; " + runs + " runs per contender after a warm-up of " + warmupOps + " ops");
        d.add("workload: " + workload.description());
        d.add("peerlane: " + topology + " topology, " + wait + " wait strategy, ring " + ring);
        d.add("observers: " + ObserverSets.parse(observers) + ", then a latency probe");
        d.add("collector pauses from: " + String.join(", ", GcPauses.beanNames()) + "; allocation: " +
            (ThreadAllocation.supported() ? "all live threads" : "not measured on this JVM") + "; B/peer: " +
            (HeapUsage.usable() ? "full collections before and after loading" :
                "not measured (explicit collections are disabled or concurrent)"));
        d.add("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " +
            System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), " + Instant.now());
        return d;
    }

    private BenchConfig validate()
    {
        final List<ContenderKind> kinds = new ArrayList<>();
        for (final String name : contenders)
        {
            if (name.isBlank())
            {
                throw usage("--contenders: an empty name in '" + String.join(",", contenders) + "'; give one or more " +
                    "of " + ContenderKind.names());
            }
            try
            {
                final ContenderKind kind = ContenderKind.of(name.trim());
                if (kinds.contains(kind))
                {
                    throw usage("--contenders: '" + name + "' is given twice");
                }
                kinds.add(kind);
            }
            catch (final IllegalArgumentException ex)
            {
                throw usage("--contenders: " + ex.getMessage());
            }
        }
        if (kinds.isEmpty())
        {
            throw usage("--contenders: names no contender; give one or more of " + ContenderKind.names());
        }
        final BenchConfig.Mode benchMode;
        if ("throughput".equalsIgnoreCase(mode))
        {
            benchMode = BenchConfig.Mode.THROUGHPUT;
            if (null != rate)
            {
                throw usage("--rate " + rate + ": applies only with --mode rate (the mode is throughput)");
            }
        }
        else if ("rate".equalsIgnoreCase(mode))
        {
            benchMode = BenchConfig.Mode.RATE;
            if (null == rate)
            {
                throw usage("--mode rate needs --rate OPS_PER_SEC");
            }
            require(rate >= 1 && rate <= 1_000_000_000L, "--rate", rate, "must be in [1, 1000000000] ops/s");
        }
        else
        {
            throw usage("--mode: '" + mode + "' must be throughput or rate");
        }
        require(producers >= 1 && producers <= 64, "--producers", producers, "must be in [1, 64]");
        require(runs >= 1 && runs <= 100, "--runs", runs, "must be in [1, 100]");
        require(ops >= producers && ops <= MAX_OPS, "--ops", ops,
            "must be in [" + producers + " (--producers), " + MAX_OPS + "]");
        require(warmupOps >= 0, "--warmup-ops", warmupOps, "must be >= 0");
        require(peers >= 2 * producers && peers <= MAX_PEERS, "--peers", peers,
            "must be in [" + 2 * producers + " (2 x --producers), " + MAX_PEERS + "]");
        require(maxBatch >= 2 && maxBatch <= 1024, "--max-batch", maxBatch, "must be in [2, 1024]");
        require(validators >= 0 && validators <= 1, "--validators", validators, "must be in [0, 1]");
        require(subnets >= 1 && subnets <= 65536, "--subnets", subnets, "must be in [1, 65536]");
        require(ring >= 2 && ring <= (1 << 24) && Integer.bitCount(ring) == 1, "--ring", ring,
            "must be a power of two in [2, 16777216]");
        require(stallTimeoutSeconds >= 1 && stallTimeoutSeconds <= 86_400, "--stall-timeout", stallTimeoutSeconds,
            "must be in [1, 86400] s");
        if (Files.exists(outDir) && !Files.isDirectory(outDir))
        {
            throw usage("--out: '" + outDir + "' is a file; it must be a directory or not exist yet");
        }
        checkWritable(outDir);
        if (null != countersDir && Files.exists(countersDir) && !Files.isDirectory(countersDir))
        {
            throw usage("--counters: '" + countersDir + "' is a file; it must be a directory or not exist yet");
        }
        mixParts();
        if (null != journal)
        {
            for (final String option : new String[]{ "--seed", "--peers", "--ops", "--mix", "--max-batch", "--validators",
                "--subnets" })
            {
                if (spec.commandLine().getParseResult().hasMatchedOption(option))
                {
                    throw usage(option + ": does not apply with --journal (the journal is the workload)");
                }
            }
        }
        if (null == journal)
        {
            checkHeap(kinds.contains(ContenderKind.CHM_COW), Runtime.getRuntime().maxMemory());
        }
        else if (!Files.isDirectory(journal))
        {
            throw usage("--journal " + journal + ": " + (Files.exists(journal) ? "is not a directory (a journal is a " +
                "directory of segments)" : "no such journal directory"));
        }
        final ObserverSets observerSets;
        try
        {
            observerSets = ObserverSets.parse(observers);
        }
        catch (final IllegalArgumentException ex)
        {
            throw usage("--" + ex.getMessage());
        }
        try
        {
            observerSets.create();
        }
        catch (final IllegalStateException ex)
        {
            throw usage("--observers " + observers + ": " + ex.getMessage());
        }
        final BenchConfig config = new BenchConfig(kinds, benchMode, null == rate ? 0 : rate, runs, warmupOps, ring,
            topology, wait, observerSets, outDir, TimeUnit.SECONDS.toNanos(stallTimeoutSeconds));
        config.countersDirectory = countersDir;
        return config;
    }

    /**
     * Refuses, before minutes of generating, an output directory the report cannot be written to: it is made
     * (with its parents) and a probe file is written and deleted in it.
     */
    private void checkWritable(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            final Path probe = Files.createTempFile(dir, ".peerlane-bench-probe", ".tmp");
            Files.delete(probe);
        }
        catch (final java.io.IOException ex)
        {
            throw usage("--out " + dir + ": cannot write there: " + io.peerlane.tools.output.WriteFailure.reason(ex));
        }
    }

    /** Refuses, before minutes of generating, a population and workload the heap cannot hold. */
    void checkHeap(final boolean keepResults, final long maxHeap)
    {
        final long perOp = keepResults ? HEAP_PER_OP_WITH_RESULTS_ESTIMATE : HEAP_PER_OP_ESTIMATE;
        final double needed = HEAP_HEADROOM * ((double)peers * HEAP_PER_PEER_ESTIMATE + (double)ops * perOp);
        if (needed > maxHeap)
        {
            final long fit = Math.max(0, (long)((maxHeap / HEAP_HEADROOM - (double)ops * perOp) / HEAP_PER_PEER_ESTIMATE));
            final String advice = fit >= 2L * producers ?
                String.format(Locale.ROOT, "at most about %,d peers fit with these --ops", fit) :
                "these --ops alone do not fit: lower --ops";
            throw usage(String.format(Locale.ROOT, "--peers %d with --ops %d: needs about %.1f GB of heap and this JVM " +
                "may use %.1f GB; %s (or raise the heap: PEERLANE_JAVA_OPTS=-Xmx...)", peers, ops, needed / 1e9,
                maxHeap / 1e9, advice));
        }
    }

    private int[] mixParts()
    {
        final String[] names = { "new", "update", "touch", "remove", "batch" };
        final Map<String, Integer> given = new LinkedHashMap<>(defaultMix());
        for (final Map.Entry<String, Integer> e : mix.entrySet())
        {
            if (!given.containsKey(e.getKey()))
            {
                throw usage("--mix: unknown kind '" + e.getKey() + "'; kinds are new, update, touch, remove, batch");
            }
            require(e.getValue() >= 0 && e.getValue() <= 1_000_000, "--mix " + e.getKey(), e.getValue(),
                "must be in [0, 1000000]");
            given.put(e.getKey(), e.getValue());
        }
        final int[] parts = new int[names.length];
        int total = 0;
        for (int i = 0; i < names.length; i++)
        {
            parts[i] = given.get(names[i]);
            total += parts[i];
        }
        require(total > 0, "--mix", mix, "must give at least one kind a part above 0");
        return parts;
    }

    private void require(final boolean ok, final String option, final Object value, final String limit)
    {
        if (!ok)
        {
            throw usage(option + ": " + value + " " + limit);
        }
    }

    private ParameterException usage(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String message(final Throwable ex)
    {
        final StringBuilder sb = new StringBuilder(null == ex.getMessage() ? ex.toString() : ex.getMessage());
        Throwable cause = ex.getCause();
        while (null != cause && cause != ex)
        {
            if (null != cause.getMessage() && !sb.toString().contains(cause.getMessage()))
            {
                sb.append("; caused by ").append(cause.getMessage());
            }
            cause = cause.getCause();
        }
        return sb.toString();
    }

    /** A {@code --journal} that is damaged: exit {@link #EXIT_CORRUPT}, its message naming file and offset. */
    static final class CorruptInputException extends RuntimeException
    {
        CorruptInputException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }
}
