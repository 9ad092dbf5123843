package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages in plain words (no library internals), empty inputs that work, and progress with an ETA. */
class PlainMessagesTest
{
    @TempDir
    Path tmp;

    @Test
    void nonNumericNumbersAreNamedPlainly() throws IOException
    {
        for (final String token : new String[]{"NaN", "Infinity", "-Infinity"})
        {
            final Path trace = tmp.resolve("t");
            Files.writeString(trace, "{\"op\":\"tick\",\"t\":" + token + "}\n");
            final ToolRun run = ToolRun.of("replay", trace).expect(ExitCodes.CORRUPT);
            assertTrue(run.err.contains("line 1: t: is not a number: " + token.replace("-", "")) ||
                run.err.contains("line 1: t: "), run.toString());
            assertFalse(run.err.contains("JsonReadFeature") || run.err.contains("enable `"), run.toString());
        }
    }

    @Test
    void aHugePublicKeyGetsItsLimit() throws IOException
    {
        final Path trace = tmp.resolve("big");
        Files.writeString(trace, "{\"op\":\"upsert\",\"t\":1,\"peer\":{\"id\":\"" + "00".repeat(32) +
            "\",\"did\":\"did:key:z\",\"device\":\"d\",\"publicKey\":\"" + "ab".repeat(1_500_000) +
            "\",\"version\":1,\"lastSeen\":1,\"endpoints\":[]}}\n");
        final ToolRun run = ToolRun.of("replay", trace).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("peer.publicKey: is too long: a public key is at most 4096 bytes"), run.toString());
        assertFalse(run.err.contains("StreamReadConstraints"), run.toString());
    }

    @Test
    void anEmptyTraceImportsToAValidEmptyJournal() throws IOException
    {
        final Path trace = tmp.resolve("empty.trace");
        Files.writeString(trace, "");
        final Path journal = tmp.resolve("j");
        ToolRun.of("import", trace, "--journal", journal).expect(ExitCodes.OK);
        final ToolRun verify = ToolRun.of("verify", journal).expect(ExitCodes.OK);
        assertTrue(verify.out.contains("records  0") && verify.out.contains("segments 1"), verify.toString());
        final ToolRun replay = ToolRun.of("replay", journal).expect(ExitCodes.OK);
        assertEquals("0", replay.value("peers"), replay.toString());
        final Path back = tmp.resolve("back.trace");
        ToolRun.of("export", journal, "--trace", back).expect(ExitCodes.OK);
        assertEquals(0, Files.size(back));
    }

    @Test
    void verifyChecksTheSettingsFile() throws IOException
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 1, "--peers", 10, "--ops", 20, "--journal", journal).expect(ExitCodes.OK);
        Files.writeString(journal.resolve("peerlane-config.jsonl"), "garbage\n");
        final ToolRun run = ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        assertTrue(run.err.contains("peerlane-config.jsonl: line 1: "), run.toString());
    }

    @Test
    void progressGivesAnEtaFromAFractionWhenTheTotalIsUnknown() throws InterruptedException
    {
        final StringWriter lines = new StringWriter();
        final AtomicLong done = new AtomicLong(250);
        try (Progress progress = new Progress("verify", 0, done::get, new PrintWriter(lines, true), null)
            .unit("records").fraction(() -> 0.25))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!lines.toString().contains("ETA") && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
        }
        assertTrue(lines.toString().startsWith("verify: 250 records, ") && lines.toString().contains("25%, ETA "),
            lines.toString());
        assertEquals(-1, Progress.eta(3, 0));
        assertEquals(9, Progress.eta(3, 0.25));
        assertEquals(0, Progress.eta(3, 1));
    }
}
