package io.peerlane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options exit with 2 and a message naming the problem, never a stack trace; nothing runs. */
class BenchMainArgsTest
{
    static Stream<Arguments> badOptions()
    {
        return Stream.of(
            Arguments.of(new String[]{ "--producers", "0" }, "--producers: 0"),
            Arguments.of(new String[]{ "--producers", "many" }, "'many' is not an int"),
            Arguments.of(new String[]{ "--ring", "1000" }, "must be a power of two"),
            Arguments.of(new String[]{ "--mode", "rate" }, "--mode rate needs --rate"),
            Arguments.of(new String[]{ "--mode", "fast" }, "must be throughput or rate"),
            Arguments.of(new String[]{ "--rate", "1000" }, "--rate applies only with --mode rate"),
            Arguments.of(new String[]{ "--mode", "rate", "--rate", "0" }, "--rate: 0"),
            Arguments.of(new String[]{ "--observers", "bogus" }, "must be one of noop, synthetic:N:NANOS, subsystems"),
            Arguments.of(new String[]{ "--observers", "synthetic:0:5" }, "synthetic:N:NANOS with N in [1, 40]"),
            Arguments.of(new String[]{ "--contenders", "peerlane,redis" }, "unknown contender 'redis'"),
            Arguments.of(new String[]{ "--contenders", "peerlane,peerlane" }, "given twice"),
            Arguments.of(new String[]{ "--mix", "insert=3" }, "unknown kind 'insert'"),
            Arguments.of(new String[]{ "--mix", "new=0,update=0,touch=0,remove=0,batch=0" }, "at least one kind"),
            Arguments.of(new String[]{ "--topology", "ring" }, "Invalid value for option '--topology'"),
            Arguments.of(new String[]{ "--wait", "forever" }, "Invalid value for option '--wait'"),
            Arguments.of(new String[]{ "--ops", "1" }, "--ops: 1"),
            Arguments.of(new String[]{ "--runs", "0" }, "--runs: 0"),
            Arguments.of(new String[]{ "--journal", "some.journal" }, "not available yet"),
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
    void helpListsOptionsAndExitCodes()
    {
        final StringWriter out = new StringWriter();
        final int code = run(new String[]{ "--help" }, out, new StringWriter());
        assertEquals(BenchMain.EXIT_OK, code);
        for (final String s : new String[]{ "--producers", "--topology", "--wait", "--ring", "--observers", "--mode",
            "--rate", "--runs", "--out", "--journal", "Exit codes", "3" })
        {
            assertTrue(out.toString().contains(s), s + " in help: " + out);
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
