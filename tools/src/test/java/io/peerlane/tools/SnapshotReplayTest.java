package io.peerlane.tools;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.tools.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose first segments were pruned replays from a state snapshot that covers them, to the digest
 * of the whole journal, with every outcome equal to the recording; one the snapshot does not reach is refused.
 */
class SnapshotReplayTest
{
    @TempDir
    Path tmp;

    @Test
    void aPrunedJournalReplaysFromItsSnapshotToTheWholeDigest() throws IOException
    {
        final Path journal = tmp.resolve("j");
        ToolRun.of("generate", "--seed", 8, "--peers", 80, "--ops", 600, "--segment-bytes", 16384, "--set",
            "maxPeers=60", "--journal", journal).expect(ExitCodes.OK);
        final List<Path> segments = segments(journal);
        assertTrue(segments.size() >= 4, "several segments: " + segments);
        final String whole = ToolRun.of("replay", journal).expect(ExitCodes.OK).value("digest");

        final Path early = snapshotOfPrefix(journal, segments, 1, "early.snap");
        final Path later = snapshotOfPrefix(journal, segments, 2, "later.snap");
        Files.delete(segments.get(0));
        Files.delete(segments.get(1));

        ToolRun.of("replay", journal).expect(ExitCodes.CORRUPT);
        ToolRun.of("verify", journal).expect(ExitCodes.CORRUPT);
        final ToolRun shortOne = ToolRun.of("replay", journal, "--snapshot", early).expect(ExitCodes.CORRUPT);
        assertTrue(shortOne.err.contains("holds the state only as of sequence"), shortOne.toString());
        ToolRun.of("verify", journal, "--snapshot", early).expect(ExitCodes.CORRUPT);

        final ToolRun verify = ToolRun.of("verify", journal, "--snapshot", later).expect(ExitCodes.OK);
        assertTrue(verify.out.contains("covers the records up to sequence"), verify.toString());
        final ToolRun replay = ToolRun.of("replay", journal, "--snapshot", later).expect(ExitCodes.OK);
        assertEquals(whole, replay.value("digest"), replay.toString());
        assertTrue(replay.out.contains("equal to the recording"), replay.toString());
        final ToolRun pipelined = ToolRun.of("replay", journal, "--snapshot", later, "--topology", "pipelined")
            .expect(ExitCodes.OK);
        assertEquals(whole, pipelined.value("digest"), pipelined.toString());

        ToolRun.of("replay", journal, "--snapshot", tmp.resolve("missing.snap")).expect(ExitCodes.USAGE);
        Files.writeString(tmp.resolve("bad.snap"), "not a snapshot at all");
        ToolRun.of("replay", journal, "--snapshot", tmp.resolve("bad.snap")).expect(ExitCodes.CORRUPT);
    }

    /** The state an engine restored from the journal's first {@code keep} segments has, as a snapshot file. */
    private Path snapshotOfPrefix(final Path journal, final List<Path> segments, final int keep, final String name)
        throws IOException
    {
        final Path prefix = tmp.resolve("prefix-" + keep);
        Files.createDirectory(prefix);
        for (int i = 0; i < keep; i++)
        {
            Files.copy(segments.get(i), prefix.resolve(segments.get(i).getFileName()));
        }
        final Path file = tmp.resolve(name);
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext()
            .settings(JournalConfig.read(journal).settings())
            .restoreFrom(null, prefix)))
        {
            engine.snapshot(file, Duration.ofSeconds(30));
        }
        return file;
    }

    private static List<Path> segments(final Path journal) throws IOException
    {
        try (Stream<Path> s = Files.list(journal))
        {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }
}
