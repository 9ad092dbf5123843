package io.peerlane.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of randomly damaged journals through {@code verify}: every one ends with exit 0 (intact or a torn
 * tail) or 3 (corrupt), one line on stderr, never an exception. Seeded; the seed is printed.
 */
class JournalFuzzTest
{
    private static final int CASES = 2000;

    @TempDir
    Path tmp;

    @Test
    void damagedJournalsExitZeroOrThree() throws IOException
    {
        final long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("JournalFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        final Path base = tmp.resolve("base");
        ToolRun.of("generate", "--seed", 9, "--peers", 20, "--ops", 40, "--segment-bytes", 4096, "--journal", base)
            .expect(ExitCodes.OK);
        final List<Path> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(base))
        {
            s.filter(p -> p.toString().endsWith(".seg")).sorted().forEach(p -> names.add(p.getFileName()));
        }
        final List<byte[]> original = new ArrayList<>();
        for (final Path n : names)
        {
            original.add(Files.readAllBytes(base.resolve(n)));
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final Path dir = tmp.resolve("case");
        Files.createDirectory(dir);
        int corrupt = 0;
        int ok = 0;
        for (int c = 0; c < CASES; c++)
        {
            final List<byte[]> files = new ArrayList<>();
            for (final byte[] b : original)
            {
                files.add(b.clone());
            }
            final int damages = 1 + random.nextInt(3);
            final StringBuilder what = new StringBuilder();
            for (int d = 0; d < damages; d++)
            {
                damage(random, files, what);
            }
            try (Stream<Path> s = Files.list(dir))
            {
                for (final Path p : s.toList())
                {
                    Files.delete(p);
                }
            }
            for (int i = 0; i < files.size(); i++)
            {
                if (null != files.get(i))
                {
                    Files.write(dir.resolve(names.get(i)), files.get(i));
                }
            }
            final ToolRun run = ToolRun.of("verify", dir);
            final String context = "seed " + seed + " case " + c + " (" + what + "): " + run;
            assertTrue(run.exitCode == ExitCodes.OK || run.exitCode == ExitCodes.CORRUPT, context);
            assertTrue(!run.err.contains("\tat ") && !run.err.contains("unexpected error"), context);
            if (run.exitCode == ExitCodes.CORRUPT)
            {
                corrupt++;
                assertTrue(run.err.contains("offset") || run.err.contains("no segment"), context);
            }
            else
            {
                ok++;
            }
        }
        System.out.println("JournalFuzzTest: " + corrupt + " corrupt, " + ok + " readable");
        assertTrue(corrupt > CASES / 2, "most damage is found: " + corrupt);
    }

    private static void damage(final SplittableRandom random, final List<byte[]> files, final StringBuilder what)
    {
        final int i = random.nextInt(files.size());
        final byte[] f = files.get(i);
        if (null == f || f.length == 0)
        {
            return;
        }
        switch (random.nextInt(5))
        {
            case 0 ->
            {
                final int at = random.nextInt(f.length);
                f[at] ^= (byte)(1 << random.nextInt(8));
                what.append("flip ").append(i).append('@').append(at).append(' ');
            }
            case 1 ->
            {
                final int len = random.nextInt(f.length);
                files.set(i, java.util.Arrays.copyOf(f, len));
                what.append("cut ").append(i).append('@').append(len).append(' ');
            }
            case 2 ->
            {
                final int at = random.nextInt(f.length);
                final int n = Math.min(f.length - at, 1 + random.nextInt(64));
                for (int k = 0; k < n; k++)
                {
                    f[at + k] = (byte)random.nextInt(256);
                }
                what.append("garbage ").append(i).append('@').append(at).append('+').append(n).append(' ');
            }
            case 3 ->
            {
                files.set(i, null);
                what.append("delete ").append(i).append(' ');
            }
            default ->
            {
                final int at = random.nextInt(f.length);
                java.util.Arrays.fill(f, at, f.length, (byte)0);
                what.append("zero ").append(i).append('@').append(at).append(' ');
            }
        }
    }
}
