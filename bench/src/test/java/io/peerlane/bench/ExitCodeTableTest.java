package io.peerlane.bench;

import io.peerlane.tools.ExitCodes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One exit-code table for everything {@code ./peerlane} runs: the bench's codes are the tool's, and its
 * {@code --help} lists exactly those codes.
 */
class ExitCodeTableTest
{
    @Test
    void theBenchListsAndUsesTheToolsCodes() throws IllegalAccessException
    {
        final Set<Integer> toolCodes = codes(ExitCodes.class, "");
        assertEquals(Set.of(0, 1, 2, 3, 4), toolCodes);
        assertEquals(toolCodes, codes(BenchMain.class, "EXIT_"), "BenchMain.EXIT_* name the tool's codes");

        final Set<Integer> listed = new TreeSet<>();
        for (final String key : BenchMain.commandLine().getCommandSpec().usageMessage().exitCodeList().keySet())
        {
            listed.add(Integer.parseInt(key.trim()));
        }
        assertEquals(toolCodes, listed, "the bench's --help lists the tool's codes");
    }

    @Test
    void theLauncherEndsWithTheSameCodes() throws Exception
    {
        // Each of these ends before the launcher would build or run anything.
        assertEquals(ExitCodes.USAGE, launcher(), "no command");
        assertEquals(ExitCodes.USAGE, launcher("no-such-command"), "an unknown command");
        assertEquals(ExitCodes.OK, launcher("--help"), "help");
    }

    private static int launcher(final String... args) throws Exception
    {
        final java.nio.file.Path script = java.nio.file.Path.of("..", "peerlane").toAbsolutePath().normalize();
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", script.toString()));
        command.addAll(java.util.List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 30 s: " + command);
        }
        return p.exitValue();
    }

    private static Set<Integer> codes(final Class<?> type, final String prefix) throws IllegalAccessException
    {
        final Set<Integer> codes = new TreeSet<>();
        for (final Field f : type.getFields())
        {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().startsWith(prefix) &&
                (!prefix.isEmpty() || f.getName().equals(f.getName().toUpperCase())))
            {
                codes.add(f.getInt(null));
            }
        }
        return codes;
    }
}
