package io.peerlane.tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every golden trace replayed through the real engine, in both topologies, gives outcome, event and state
 * files byte-identical to the golden ones (which TraceRunner, the single-threaded reference, produced).
 */
class GoldenReplayTest
{
    @TempDir
    Path tmp;

    static Stream<Arguments> goldenTraces() throws IOException, URISyntaxException
    {
        final Path dir = Path.of(GoldenReplayTest.class.getResource("/golden").toURI());
        final List<Arguments> args = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path trace : files.filter(p -> p.toString().endsWith(".trace")).sorted().toList())
            {
                args.add(Arguments.of(trace, "compact"));
                args.add(Arguments.of(trace, "pipelined"));
            }
        }
        assertFalse(args.isEmpty(), "no golden traces found");
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenTraces")
    void replayMatchesGoldenFiles(final Path trace, final String topology) throws IOException
    {
        final String name = trace.getFileName().toString().replace(".trace", "");
        final Path outcomes = tmp.resolve("o");
        final Path events = tmp.resolve("e");
        final Path state = tmp.resolve("s");
        final ToolRun run = ToolRun.of("replay", trace, "--topology", topology, "--outcomes", outcomes,
            "--events", events, "--state", state).expect(ExitCodes.OK);
        final Path golden = trace.getParent();
        assertBytes(golden.resolve(name + ".outcomes"), outcomes);
        assertBytes(golden.resolve(name + ".events"), events);
        assertBytes(golden.resolve(name + ".state"), state);
        final List<String> stateLines = Files.readAllLines(state);
        final String digestLine = stateLines.get(stateLines.size() - 1);
        assertEquals(digestLine, "{\"peers\":" + run.value("peers") + ",\"digest\":\"" + run.value("digest") + "\"}");
    }

    private static void assertBytes(final Path expected, final Path actual) throws IOException
    {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual),
            () -> actual + " differs from " + expected);
    }
}
