package io.peerlane.tools.trace;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every golden trace through {@link TraceRunner} and compares its outcome, event and state reports
 * byte for byte with the expected files beside it, which were derived by hand from TRACE.md.
 */
class GoldenTraceTest
{
    static Path goldenDir() throws URISyntaxException
    {
        return Paths.get(GoldenTraceTest.class.getResource("/golden").toURI());
    }

    static List<Path> traces() throws IOException, URISyntaxException
    {
        try (Stream<Path> files = Files.list(goldenDir()))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted()
                .collect(Collectors.toList());
        }
    }

    @Test
    void everyCheckOfTraceMdHasAGoldenTrace() throws Exception
    {
        final List<String> names = new ArrayList<>();
        for (final Path p : traces())
        {
            names.add(p.getFileName().toString());
        }
        for (final String expected : List.of("01-expiry.trace", "02-banned.trace", "03-rate-limited.trace",
            "04-identity-conflict.trace", "05-stale-and-tombstones.trace", "06-device-limit.trace",
            "06-subnet-limit.trace", "06-capacity-eviction.trace", "07-validator-vote.trace",
            "08-add-update.trace", "batch-commit-and-rollback.trace", "touch.trace",
            "bans-lapse-unban-limit.trace", "tombstone-ttl-and-cap.trace"))
        {
            assertTrue(names.contains(expected), expected + " is missing from " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> goldenTracesGiveTheHandDerivedReports() throws Exception
    {
        return traces().stream().map(trace -> DynamicTest.dynamicTest(trace.getFileName().toString(), () ->
        {
            final StringBuilder outcomes = new StringBuilder();
            final StringBuilder events = new StringBuilder();
            final StringBuilder state = new StringBuilder();
            TraceRunner.run(TraceReader.read(trace), outcomes, events, state);
            assertEquals(expected(trace, ".outcomes"), outcomes.toString(), "outcomes of " + trace.getFileName());
            assertEquals(expected(trace, ".events"), events.toString(), "events of " + trace.getFileName());
            assertEquals(expected(trace, ".state"), state.toString(), "state of " + trace.getFileName());
        }));
    }

    @Test
    void runnerWritesTheSameReportsToFiles(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final Path trace = goldenDir().resolve("08-add-update.trace");
        final String digest = TraceRunner.run(
            TraceReader.read(trace), dir.resolve("o"), dir.resolve("e"), dir.resolve("s"));
        assertEquals(expected(trace, ".outcomes"), Files.readString(dir.resolve("o")));
        assertEquals(expected(trace, ".events"), Files.readString(dir.resolve("e")));
        final String state = expected(trace, ".state");
        assertEquals(state, Files.readString(dir.resolve("s")));
        assertTrue(state.endsWith("\"digest\":\"" + digest + "\"}\n"));
    }

    static String expected(final Path trace, final String extension) throws IOException
    {
        final String name = trace.getFileName().toString();
        final Path file = trace.resolveSibling(name.substring(0, name.length() - ".trace".length()) + extension);
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
