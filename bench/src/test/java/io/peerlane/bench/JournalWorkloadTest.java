package io.peerlane.bench;

import io.peerlane.tools.PeerlaneTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --journal DIR}: a recorded journal as the workload, through every contender. */
class JournalWorkloadTest
{
    private static Path record(final Path dir, final Object... extra)
    {
        final Path journal = dir.resolve("j");
        final String[] args = new String[9 + extra.length];
        final Object[] base = {"generate", "--seed", 21, "--peers", 400, "--ops", 6000, "--journal", journal};
        for (int i = 0; i < base.length; i++)
        {
            args[i] = String.valueOf(base[i]);
        }
        for (int i = 0; i < extra.length; i++)
        {
            args[base.length + i] = String.valueOf(extra[i]);
        }
        final StringWriter err = new StringWriter();
        assertEquals(0, PeerlaneTool.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute(args),
            err.toString());
        return journal;
    }

    @Test
    void aRecordedJournalRunsThroughEveryContender(@TempDir final Path dir) throws Exception
    {
        final Path journal = record(dir, "--validators", "0.2", "--churn", "0.3");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--journal", journal.toString(), "--producers", "2",
            "--runs", "1", "--warmup-ops", "500", "--ring", "256", "--out", dir.resolve("out").toString(),
            "--contenders", ContenderKind.names().replace(" ", "") }, out, err);
        assertEquals(BenchMain.EXIT_OK, code, out + "\n" + err);
        final String text = out.toString();
        assertTrue(text.contains("journal " + journal + ": 6,000 records, "), text);
        final String kept = text.substring(text.indexOf("records, ") + 9, text.indexOf(" ops kept"));
        final int ops = Integer.parseInt(kept.replace(",", ""));
        assertTrue(ops > 3000 && ops % 2 == 0, "most ops kept, dealt evenly: " + text);
        for (final ContenderKind kind : ContenderKind.values())
        {
            assertTrue(text.contains("\n" + kind.cliName() + " "), kind.cliName() + " in the table: " + text);
            final Path log = dir.resolve("out").resolve(IntervalLog.fileName(kind.cliName(), Metric.COMMIT));
            assertEquals(ops, BenchRunTest.countInLog(log), "every kept op measured once in " + log);
        }
    }

    @Test
    void theWorkloadKeepsEachIdsOrderAndCommitsOneEventPerOp(@TempDir final Path dir)
    {
        final Path journal = record(dir);
        for (final int producers : new int[]{1, 3, 4})
        {
            final JournalWorkload w = JournalWorkload.read(journal, producers, true);
            final Workload workload = w.workload();
            assertEquals(0, workload.population());
            assertEquals(0, workload.ops() % producers, w.summary());
            for (int i = 0; i < workload.ops(); i++)
            {
                assertEquals(i, Workload.indexOf(workload.op(i)));
                assertTrue(workload.result(i).lineCount() == 1, "op " + i + " commits one event");
            }
        }
    }

    @Test
    void aJournalWithoutItsFirstSegmentIsRefused(@TempDir final Path dir) throws Exception
    {
        final Path journal = dir.resolve("j");
        final StringWriter err0 = new StringWriter();
        assertEquals(0, PeerlaneTool.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err0)).execute(
            "generate", "--seed", "2", "--peers", "50", "--ops", "400", "--segment-bytes", "16384", "--journal",
            journal.toString()), err0.toString());
        Files.delete(journal.resolve("journal-0000000000.seg"));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--journal", journal.toString(), "--runs", "1",
            "--out", dir.resolve("out").toString() }, out, err);
        assertEquals(BenchMain.EXIT_USAGE, code, out + "\n" + err);
        assertTrue(err.toString().contains("does not start at its beginning"), err.toString());
    }

    @Test
    void aCorruptJournalIsExitThreeAsInTheTool(@TempDir final Path dir) throws Exception
    {
        final Path journal = record(dir);
        final Path segment = journal.resolve("journal-0000000000.seg");
        final byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(segment, bytes);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = BenchMainArgsTest.run(new String[]{ "--journal", journal.toString(), "--runs", "1",
            "--out", dir.resolve("out").toString() }, out, err);
        assertEquals(io.peerlane.tools.ExitCodes.CORRUPT, code, out + "\n" + err);
        assertTrue(err.toString().contains(segment.getFileName().toString()), err.toString());
    }
}
