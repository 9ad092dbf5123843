package io.peerlane.tools;

import io.peerlane.tools.replay.Pace;

import io.peerlane.tools.trace.Trace;
import io.peerlane.tools.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trace to journal to trace keeps every op; journal to replay to state keeps the recorded digest. */
class RoundTripTest
{
    private static final Object[] WORKLOAD = {"--seed", 1234, "--peers", 300, "--ops", 4000, "--validators", 0.2,
        "--churn", 0.5, "--batch-size", "1..8", "--span-ms", 400_000, "--set", "maxPeers=250",
        "--mix", "upsert=40,update=25,remove=10,batch=10,touch=15"};

    @TempDir
    Path tmp;

    @Test
    void goldenTracesSurviveJournalAndReplayLikeTheTrace() throws IOException, URISyntaxException
    {
        final Path golden = Path.of(getClass().getResource("/golden").toURI());
        final List<Path> traces;
        try (Stream<Path> files = Files.list(golden))
        {
            traces = files.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        }
        for (final Path trace : traces)
        {
            final String name = trace.getFileName().toString().replace(".trace", "");
            final Path journal = tmp.resolve(name + "-journal");
            final Path back = tmp.resolve(name + ".back");
            ToolRun.of("import", trace, "--journal", journal).expect(ExitCodes.OK);
            ToolRun.of("export", journal, "--trace", back).expect(ExitCodes.OK);
            final Trace original = TraceReader.read(trace);
            final Trace exported = TraceReader.read(back);
            assertTrue(original.sameAs(exported), name + ": ops changed through the journal");

            // Imported sequences are the trace's line numbers: the journal replays to the golden files.
            final Path outcomes = tmp.resolve(name + ".o");
            final Path events = tmp.resolve(name + ".e");
            final Path state = tmp.resolve(name + ".s");
            ToolRun.of("replay", journal, "--outcomes", outcomes, "--events", events, "--state", state)
                .expect(ExitCodes.OK);
            assertArrayEquals(Files.readAllBytes(golden.resolve(name + ".outcomes")), Files.readAllBytes(outcomes), name);
            assertArrayEquals(Files.readAllBytes(golden.resolve(name + ".events")), Files.readAllBytes(events), name);
            assertArrayEquals(Files.readAllBytes(golden.resolve(name + ".state")), Files.readAllBytes(state), name);
        }
    }

    @Test
    void generatedTraceAndJournalAreTheSameWorkload() throws IOException
    {
        final Path trace = tmp.resolve("w.trace");
        final Path journal = tmp.resolve("w-journal");
        final ToolRun t = ToolRun.of(concat("generate", WORKLOAD, "--trace", trace)).expect(ExitCodes.OK);
        final ToolRun j = ToolRun.of(concat("generate", WORKLOAD, "--journal", journal)).expect(ExitCodes.OK);
        assertEquals(t.value("digest"), j.value("digest"));

        final Path exported = tmp.resolve("w.exported");
        ToolRun.of("export", journal, "--trace", exported).expect(ExitCodes.OK);
        assertArrayEquals(Files.readAllBytes(trace), Files.readAllBytes(exported), "export of the journal is the trace");

        final Path reimported = tmp.resolve("w-reimported");
        final Path back = tmp.resolve("w.back");
        ToolRun.of("import", trace, "--journal", reimported).expect(ExitCodes.OK);
        ToolRun.of("export", reimported, "--trace", back).expect(ExitCodes.OK);
        assertTrue(TraceReader.read(trace).sameAs(TraceReader.read(back)));
        assertEquals(Files.readString(trace).lines().count(), Files.readString(back).lines().count());
    }

    @Test
    void sameSeedGivesByteIdenticalOutput() throws IOException
    {
        final Path a = tmp.resolve("a");
        final Path b = tmp.resolve("b");
        ToolRun.of(concat("generate", WORKLOAD, "--journal", a, "--segment-bytes", 65536)).expect(ExitCodes.OK);
        ToolRun.of(concat("generate", WORKLOAD, "--journal", b, "--segment-bytes", 65536)).expect(ExitCodes.OK);
        final List<Path> files;
        try (Stream<Path> s = Files.list(a))
        {
            files = s.sorted().toList();
        }
        assertTrue(files.size() > 3, "several segments and the config");
        for (final Path f : files)
        {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(f.getFileName())), f.toString());
        }
        ToolRun.of(concat("generate", WORKLOAD, "--trace", tmp.resolve("a.trace"))).expect(ExitCodes.OK);
        ToolRun.of(concat("generate", WORKLOAD, "--trace", tmp.resolve("b.trace"))).expect(ExitCodes.OK);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.trace")), Files.readAllBytes(tmp.resolve("b.trace")));
        final Path other = tmp.resolve("other.trace");
        final Object[] otherSeed = WORKLOAD.clone();
        otherSeed[1] = 1235;
        ToolRun.of(concat("generate", otherSeed, "--trace", other)).expect(ExitCodes.OK);
        assertTrue(!Files.readString(other).equals(Files.readString(tmp.resolve("a.trace"))), "the seed matters");
    }

    @Test
    void journalReplaysToTheRecordedDigestInBothTopologiesEveryRun()
    {
        final Path journal = tmp.resolve("j");
        final String recorded = ToolRun.of(concat("generate", WORKLOAD, "--journal", journal))
            .expect(ExitCodes.OK).value("digest");
        for (int run = 0; run < 2; run++)
        {
            for (final String topology : new String[]{"compact", "pipelined"})
            {
                final ToolRun replay = ToolRun.of("replay", journal, "--topology", topology, "--ring", 64)
                    .expect(ExitCodes.OK);
                assertEquals(recorded, replay.value("digest"), topology + " run " + run);
            }
        }
        final ToolRun revote = ToolRun.of("replay", journal, "--revote", "--topology", "pipelined").expect(ExitCodes.OK);
        assertEquals(recorded, revote.value("digest"));
        assertTrue(revote.out.contains("outcomes: all 4000 equal to the recording"), revote.toString());
    }

    @Test
    void settingOverridesReportEveryDifferentOutcome()
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of(concat("generate", WORKLOAD, "--journal", journal)).expect(ExitCodes.OK);
        final ToolRun same = ToolRun.of("replay", journal, "--set", "maxPeers=250").expect(ExitCodes.OK);
        assertTrue(same.out.contains("outcomes: all 4000 equal"), same.toString());

        final ToolRun changed = ToolRun.of("replay", journal, "--set", "maxPeers=20", "--topology", "pipelined")
            .expect(ExitCodes.CHECK_FAILED);
        final long diffs = changed.out.lines().filter(l -> l.startsWith("DIFF sequence ")).count();
        assertTrue(diffs > 0, changed.toString());
        assertTrue(changed.out.contains("outcomes: " + diffs + " of 4000 differ"), changed.toString());
        assertTrue(changed.out.contains("REJECTED CAPACITY"), changed.toString());

        final Path trace = tmp.resolve("w.trace");
        ToolRun.of(concat("generate", WORKLOAD, "--trace", trace)).expect(ExitCodes.OK);
        final ToolRun traceChanged = ToolRun.of("replay", trace, "--set", "authorizedValidatorKeys=")
            .expect(ExitCodes.CHECK_FAILED);
        assertTrue(traceChanged.out.lines().anyMatch(l -> l.startsWith("DIFF line ") && l.contains("recorded ABORTED")),
            traceChanged.toString());
    }

    @Test
    void pacedRunsMeasureFromTheScheduleAndFailOnlyARealMiss() throws IOException
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of(concat("generate", WORKLOAD, "--journal", journal)).expect(ExitCodes.OK);
        final Path hlog = tmp.resolve("lat.hlog");
        final ToolRun fast = ToolRun.of("replay", journal, "--pace", "rate:1e9", "--hlog", hlog);
        assertTrue(fast.exitCode == ExitCodes.OK || fast.exitCode == ExitCodes.CHECK_FAILED, fast.toString());
        assertEquals(fast.exitCode == ExitCodes.CHECK_FAILED, fast.err.contains("short of the target"), fast.toString());
        assertTrue(fast.out.contains("from the intended time"), fast.toString());
        final String log = Files.readString(hlog);
        assertTrue(log.contains("#[StartTime:") && log.lines().anyMatch(l -> !l.startsWith("#") && !l.startsWith("\"")),
            log);

        // Two ops at 1000 ops/s are meant to take 1 ms: start-up alone must not fail them.
        final Path tiny = tmp.resolve("tiny.trace");
        Files.writeString(tiny, "{\"op\":\"tick\",\"t\":1}\n{\"op\":\"tick\",\"t\":2}\n");
        ToolRun.of("replay", tiny, "--pace", "rate:1000").expect(ExitCodes.OK);
    }

    @Test
    void aRateCheckCountsTheStartUpAllowanceOnly()
    {
        assertFalse(Pace.missedRate(0.001, 400_000_000L), "1 ms meant, 0.4 s taken: within the start-up allowance");
        assertTrue(Pace.missedRate(0.001, 600_000_000L), "1 ms meant, 0.6 s taken");
        assertFalse(Pace.missedRate(10, 10_900_000_000L), "10 s meant, 10.9 s taken: within 5% and the allowance");
        assertTrue(Pace.missedRate(10, 11_100_000_000L), "10 s meant, 11.1 s taken");
    }

    @Test
    void absurdPacesAreRefused()
    {
        for (final String pace : new String[]{"scaled:1e-300", "scaled:0", "scaled:1e7", "rate:1e-300", "rate:1e12",
            "rate:NaN", "scaled:Infinity"})
        {
            final ToolRun run = ToolRun.of("replay", tmp, "--pace", pace).expect(ExitCodes.USAGE);
            assertTrue(run.err.contains("--pace " + pace + ":"), run.toString());
        }
    }

    private static Object[] concat(final String first, final Object[] middle, final Object... last)
    {
        final Object[] all = new Object[1 + middle.length + last.length];
        all[0] = first;
        System.arraycopy(middle, 0, all, 1, middle.length);
        System.arraycopy(last, 0, all, 1 + middle.length, last.length);
        return all;
    }
}
