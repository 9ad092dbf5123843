package io.peerlane.tools;

import io.peerlane.metrics.CountersDescriptor;
import io.peerlane.metrics.CountersFile;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code stat}: reads a running engine's counters file from another process, like Aeron's {@code AeronStat}:
 * one line per counter with its value and its rate per second, refreshed each second. It maps the file
 * read-only and never writes to it, so it cannot slow or disturb the engine.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = {
        "Prints a running engine's counters, read live from its counters directory (EngineContext.countersDirectory, " +
            "./peerlane bench --counters DIR, ./peerlane tool replay --counters DIR): one line per counter with its " +
            "value and rate per second (counters only; a gauge shows -), refreshed every second until the engine stops or Ctrl-C.",
        "With no engine running there it says so and exits 1 (--last prints a stopped engine's last values)."})
final class StatCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
        description = "The counters directory (default: ${DEFAULT-VALUE}).")
    Path directory = Path.of(System.getProperty("java.io.tmpdir"), "peerlane-counters");

    @Option(names = "--once", description = "Print one screen (values, and rates over one interval) and exit.")
    boolean once;

    @Option(names = "--last", description = "Print the last values of an engine that has stopped, and exit 0.")
    boolean last;

    @Option(names = "--interval", paramLabel = "MS", description = "Refresh interval in ms, 100 to 60000 (default: ${DEFAULT-VALUE}).")
    long intervalMs = 1_000;

    @Option(names = "--filter", paramLabel = "TEXT", description = "Only counters whose label contains TEXT.")
    String filter;

    @Override
    public Integer call() throws InterruptedException
    {
        if (intervalMs < 100 || intervalMs > 60_000)
        {
            throw ToolException.usage("--interval: " + intervalMs + " must be in [100, 60000]");
        }
        if (!Files.isDirectory(directory))
        {
            throw ToolException.usage("DIR: " + directory + " is not a directory: no engine has written counters there");
        }
        final CountersFile file;
        try
        {
            file = CountersFile.open(directory);
        }
        catch (final CountersFile.CountersFileException ex)
        {
            throw new ToolException(ex.problem() == CountersFile.Problem.NOT_FOUND ? ExitCodes.USAGE : ExitCodes.CORRUPT,
                ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        CountersFile current = file;
        try
        {
            if (!current.running(System.currentTimeMillis()))
            {
                if (!last)
                {
                    throw new ToolException(ExitCodes.FAILURE, notRunning(current) + " (--last prints its last values)");
                }
                print(out, current, sample(current.reader()), null, 0);
                return ExitCodes.OK;
            }
            Int2ObjectHashMap<long[]> previous = sample(current.reader());
            long previousNs = System.nanoTime();
            final boolean console = null != System.console() && !once;
            while (true)
            {
                TimeUnit.MILLISECONDS.sleep(intervalMs);
                final Int2ObjectHashMap<long[]> now = sample(current.reader());
                final long nowNs = System.nanoTime();
                if (console)
                {
                    out.print("\u001b[H\u001b[2J");
                }
                print(out, current, now, previous, nowNs - previousNs);
                if (once)
                {
                    return ExitCodes.OK;
                }
                if (!current.running(System.currentTimeMillis()))
                {
                    // A bench or a replay may start a new engine in the same directory: follow it for a while.
                    final CountersFile next = successor(current);
                    if (null == next)
                    {
                        out.println(notRunning(current));
                        out.flush();
                        return ExitCodes.OK;
                    }
                    final boolean same = next.pid() == current.pid() && next.startMs() == current.startMs();
                    current.close();
                    current = next;
                    if (!same)
                    {
                        out.println("a new engine (pid " + current.pid() + ") writes " + directory + " now");
                    }
                    previous = sample(current.reader());
                    previousNs = System.nanoTime();
                    continue;
                }
                previous = now;
                previousNs = nowNs;
            }
        }
        finally
        {
            current.close();
        }
    }

    /**
     * The file of an engine running in the directory again within 10 s: a new one (a bench or a replay starts one per
     * run), or the same one whose heartbeat was late (a long pause of its JVM).
     */
    private CountersFile successor(final CountersFile stopped) throws InterruptedException
    {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - until < 0)
        {
            try
            {
                final CountersFile candidate = CountersFile.open(directory);
                if (candidate.running(System.currentTimeMillis()))
                {
                    return candidate;
                }
                candidate.close();
            }
            catch (final CountersFile.CountersFileException ex)
            {
                // Being replaced: look again.
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return null;
    }

    private static String notRunning(final CountersFile file)
    {
        final long stopped = file.stoppedMs();
        return "no engine is running in this directory: the engine of pid " + file.pid() +
            (stopped != 0 ? " stopped at " + Instant.ofEpochMilli(stopped) :
                " last wrote its heartbeat at " + Instant.ofEpochMilli(file.heartbeatMs()) + " and is gone");
    }

    /** Each allocated counter's value, keyed by id, with its type id kept to notice a reused id. */
    private Int2ObjectHashMap<long[]> sample(final CountersReader reader)
    {
        final Int2ObjectHashMap<long[]> values = new Int2ObjectHashMap<>();
        reader.forEach((id, typeId, key, label) ->
        {
            if (null == filter || label.contains(filter))
            {
                values.put(id, new long[]{ reader.getCounterValue(id), typeId });
            }
        });
        return values;
    }

    private void print(
        final PrintWriter out,
        final CountersFile file,
        final Int2ObjectHashMap<long[]> now,
        final Int2ObjectHashMap<long[]> previous,
        final long elapsedNs)
    {
        final CountersReader reader = file.reader();
        final long nowMs = System.currentTimeMillis();
        final long stoppedMs = file.stoppedMs();
        out.printf("%s - peerlane stat %s: pid %d, %s, layout version %d%n", Instant.now(), directory, file.pid(),
            stoppedMs != 0 ? "stopped at " + Instant.ofEpochMilli(stoppedMs) + " after " + (stoppedMs - file.startMs()) / 1000 + " s" :
                "up " + (nowMs - file.startMs()) / 1000 + " s, heartbeat " + (nowMs - file.heartbeatMs()) + " ms ago",
            CountersDescriptor.VERSION);
        out.printf("%5s %20s %14s  %s%n", "id", "value", "rate/s", "label");
        final List<Integer> ids = new ArrayList<>(now.keySet());
        ids.sort(null);
        for (final int id : ids)
        {
            final long[] v = now.get(id);
            final long[] p = null == previous ? null : previous.get(id);
            final io.peerlane.metrics.CounterKind kind = io.peerlane.metrics.CounterKind.ofTypeId((int)v[1]);
            final boolean gauge = null != kind && !kind.monotonic();
            final String rate = null == p || p[1] != v[1] || elapsedNs <= 0 || gauge ? "-" :
                String.format("%.1f", (v[0] - p[0]) * 1e9 / elapsedNs);
            out.printf("%5d %20d %14s  %s%n", id, v[0], rate, reader.getCounterLabel(id));
        }
        out.flush();
    }
}
