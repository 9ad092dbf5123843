package io.peerlane.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** One in-process run of the tool's command line: its exit code, stdout and stderr. */
final class ToolRun
{
    final int exitCode;
    final String out;
    final String err;

    private ToolRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static ToolRun of(final Object... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++)
        {
            strings[i] = String.valueOf(args[i]);
        }
        final int code = PeerlaneTool.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(strings);
        return new ToolRun(code, out.toString(), err.toString());
    }

    /** Asserts the exit code and that stderr holds no stack trace. */
    ToolRun expect(final int code)
    {
        assertEquals(code, exitCode, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception:") || err.contains("Exception\n"),
            () -> "a stack trace or raw exception on stderr:\n" + err);
        return this;
    }

    /** @return the value of a {@code name value} line of stdout. */
    String value(final String name)
    {
        for (final String line : out.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no '" + name + "' line in:\n" + out);
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
