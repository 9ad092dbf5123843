package io.peerlane.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options exit with 2 and a message naming the problem, never a stack trace; nothing runs. */
class BenchMainArgsTest
{
    /** Each case: the arguments, then text the one-line error must hold (the option, the value and the limit). */
    static Stream<Arguments> badOptions()
    {
        return Stream.of(
            Arguments.of(new String[]{ "--producers", "0" }, "--producers: 0 must be in [1, 64]"),
            Arguments.of(new String[]{ "--producers", "many" }, "'many' is not an int"),
            Arguments.of(new String[]{ "--ring", "1000" }, "--ring: 1000 must be a power of two in [2, 16777216]"),
            Arguments.of(new String[]{ "--mode", "rate" }, "--mode rate needs --rate"),
            Arguments.of(new String[]{ "--mode", "fast" }, "must be throughput or rate"),
            Arguments.of(new String[]{ "--rate", "1000" }, "--rate 1000: applies only with --mode rate"),
            Arguments.of(new String[]{ "--mode", "rate", "--rate", "0" }, "--rate: 0 must be in [1, 1000000000] ops/s"),
            Arguments.of(new String[]{ "--observers", "bogus" }, "must be one of noop, synthetic:N:NANOS, subsystems"),
            Arguments.of(new String[]{ "--observers", "synthetic:0:5" }, "synthetic:N:NANOS with N in [1, 40]"),
            Arguments.of(new String[]{ "--contenders", "peerlane,redis" }, "unknown contender 'redis'"),
            Arguments.of(new String[]{ "--contenders", "peerlane,peerlane" }, "given twice"),
            Arguments.of(new String[]{ "--mix", "insert=3" }, "unknown kind 'insert'"),
            Arguments.of(new String[]{ "--mix", "new=0,update=0,touch=0,remove=0,batch=0" }, "at least one kind"),
            Arguments.of(new String[]{ "--topology", "ring" }, "Invalid value for option '--topology'"),
            Arguments.of(new String[]{ "--wait", "forever" }, "Invalid value for option '--wait'"),
            Arguments.of(new String[]{ "--ops", "1" }, "--ops: 1 must be in [4 (--producers), 50000000]"),
            Arguments.of(new String[]{ "--ops", "50000001" }, "--ops: 50000001 must be in [4 (--producers), 50000000]"),
            Arguments.of(new String[]{ "--runs", "0" }, "--runs: 0 must be in [1, 100]"),
            Arguments.of(new String[]{ "--warmup-ops", "-1" }, "--warmup-ops: -1 must be >= 0"),
            Arguments.of(new String[]{ "--peers", "7" }, "--peers: 7 must be in [8 (2 x --producers), 10000000]"),
            Arguments.of(new String[]{ "--peers", "10000001" }, "--peers: 10000001 must be in [8 (2 x --producers), 10000000]"),
            Arguments.of(new String[]{ "--max-batch", "1" }, "--max-batch: 1 must be in [2, 1024]"),
            Arguments.of(new String[]{ "--validators", "1.5" }, "--validators: 1.5 must be in [0, 1]"),
            Arguments.of(new String[]{ "--subnets", "0" }, "--subnets: 0 must be in [1, 65536]"),
            Arguments.of(new String[]{ "--stall-timeout", "0" }, "--stall-timeout: 0 must be in [1, 86400] s"),
            Arguments.of(new String[]{ "--mix", "new=-1" }, "--mix new: -1 must be in [0, 1000000]"),
            Arguments.of(new String[]{ "--ops", "lots" }, "Invalid value for option '--ops': 'lots' is not an int"),
            Arguments.of(new String[]{ "--journal", "no-such.journal" }, "--journal no-such.journal: no such journal directory"),
            Arguments.of(new String[]{ "--journal", ".", "--peers", "100" }, "--peers: does not apply with --journal"),
            Arguments.of(new String[]{ "--contenders", "," }, "--contenders: names no contender; give one or more of peerlane"),
            Arguments.of(new String[]{ "--contenders", "peerlane,,rwlock" }, "--contenders: an empty name"),
            Arguments.of(new String[]{ "--frobnicate" }, "Unknown option: '--frobnicate'"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionExitsWithUsageCode(final String[] args, final String expected)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = run(args, out, err);
        final String message = err.toString();
        assertEquals(BenchMain.EXIT_USAGE, code, message);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace: " + message);
        assertFalse(out.toString().contains("generated"), "nothing ran: " + out);
    }

    @Test
    void outThatIsAFileIsAUsageError(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        final StringWriter err = new StringWriter();
        final int code = run(new String[]{ "--out", file.toString() }, new StringWriter(), err);
        assertEquals(BenchMain.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--out: '" + file + "' is a file"), err.toString());
    }

    @Test
    void outThatCannotBeWrittenIsRefusedBeforeTheWorkloadIsGenerated(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("plain"), "x");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = run(new String[]{ "--out", file.resolve("report").toString() }, out, err);
        assertEquals(BenchMain.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--out " + file.resolve("report") + ": cannot write there: "), err.toString());
        assertFalse(out.toString().contains("generated"), "nothing ran: " + out);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aPopulationTheHeapCannotHoldIsRefusedBeforeAnythingRuns()
    {
        final long maxHeap = Runtime.getRuntime().maxMemory();
        // 10 million peers and 50 million ops need tens of GB: more than this JVM may use unless -Xmx is huge.
        Assumptions.assumeTrue(maxHeap < 30_000_000_000L, "heap of " + maxHeap + " bytes holds even this");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = run(new String[]{ "--peers", "10000000", "--ops", "50000000" }, out, err);
        assertEquals(BenchMain.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("--peers 10000000 with --ops 50000000: needs about"), err.toString());
        assertTrue(err.toString().contains("GB of heap and this JVM may use"), err.toString());
        assertFalse(out.toString().contains("generated"), "nothing ran: " + out);
    }

    /** The help lists every option the command has, says what each does, and promises nothing that is not there. */
    @Test
    void helpListsEveryOptionAndTheExitCodes()
    {
        final StringWriter out = new StringWriter();
        final int code = run(new String[]{ "--help" }, out, new StringWriter());
        assertEquals(BenchMain.EXIT_OK, code);
        final String help = out.toString();
        final CommandLine cl = BenchMain.commandLine();
        assertTrue(cl.getCommandSpec().options().size() >= 20, "the options are found: " + cl.getCommandSpec().options());
        for (final CommandLine.Model.OptionSpec option : cl.getCommandSpec().options())
        {
            for (final String name : option.names())
            {
                assertTrue(help.contains(name), name + " in help: " + help);
            }
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(), option.longestName() + " is described");
        }
        for (final String s : new String[]{ "Exit codes", "a failed check (rate mode", "corrupt or malformed input", "summary.json", "p99.99" })
        {
            assertTrue(help.contains(s), s + " in help: " + help);
        }
        for (final String stale : new String[]{ "not wired", "not available" })
        {
            assertFalse(help.contains(stale), "no '" + stale + "' in help: " + help);
        }
    }

    static int run(final String[] args, final StringWriter out, final StringWriter err)
    {
        final CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
