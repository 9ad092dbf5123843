package io.peerlane.tools.trace;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the reader: thousands of golden traces mutated by byte flips, insertions, deletions,
 * truncations, spliced lines, invalid UTF-8 and garbage. The reader may accept or refuse each one, but the
 * only exception it may throw is {@link TraceFormatException}.
 */
class TraceFuzzTest
{
    private static final int ROUNDS = 6_000;
    private static final String[] TOKENS = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "1e999", "0.5", "9007199254740993",
        "99999999999999999999999999999", "\"op\"", "\"t\"", "\"peer\"", "\"ops\"", "\"upsert\"", "\"batch\"",
        "\"\\ud800\"", "\"\\u0000\"", "#", "\r", "\n", "\u00e9", "1.0", "-0", "\"config\"", "\"until\""
    };

    @Test
    void onlyTraceFormatExceptionEscapes() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("TraceFuzzTest seed " + seed);
        final Random random = new Random(seed);
        final List<byte[]> corpus = new ArrayList<>();
        for (final Path trace : GoldenTraceTest.traces())
        {
            corpus.add(Files.readAllBytes(trace));
        }
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final byte[] input = mutate(random, corpus.get(random.nextInt(corpus.size())), corpus);
            try
            {
                TraceReader.parse(input);
                accepted++;
            }
            catch (final TraceFormatException ex)
            {
                if (ex.line() < 1)
                {
                    fail("seed " + seed + " round " + round + ": no line in " + ex.getMessage());
                }
            }
            catch (final Throwable t)
            {
                throw new AssertionError("seed " + seed + " round " + round + ": " + t + " for input\n" +
                    new String(input, StandardCharsets.ISO_8859_1), t);
            }
        }
        System.out.println("TraceFuzzTest accepted " + accepted + " of " + ROUNDS);
    }

    private static byte[] mutate(final Random random, final byte[] original, final List<byte[]> corpus)
    {
        byte[] b = original.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(9))
            {
                case 0:
                    if (b.length > 0)
                    {
                        b[random.nextInt(b.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    if (b.length > 0)
                    {
                        b[random.nextInt(b.length)] = (byte)random.nextInt(256);
                    }
                    break;
                case 2:
                    b = Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
                    break;
                case 3:
                    b = splice(b, random.nextInt(b.length + 1), 0, randomBytes(random, 1 + random.nextInt(8)));
                    break;
                case 4:
                    if (b.length > 0)
                    {
                        final int at = random.nextInt(b.length);
                        b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(20)), new byte[0]);
                    }
                    break;
                case 5:
                    b = splice(b, random.nextInt(b.length + 1), 0,
                        TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    break;
                case 6:
                    final byte[] other = corpus.get(random.nextInt(corpus.size()));
                    final int from = random.nextInt(other.length);
                    final byte[] piece = Arrays.copyOfRange(other, from, Math.min(other.length, from + random.nextInt(300)));
                    b = splice(b, random.nextInt(b.length + 1), 0, piece);
                    break;
                case 7:
                    // Truncated or invalid UTF-8 sequences.
                    final byte[][] bad = { { (byte)0xC3 }, { (byte)0xE2, (byte)0x82 }, { (byte)0xF0, (byte)0x9F },
                        { (byte)0xED, (byte)0xA0, (byte)0x80 }, { (byte)0xC0, (byte)0xAF }, { (byte)0xFF } };
                    b = splice(b, random.nextInt(b.length + 1), 0, bad[random.nextInt(bad.length)]);
                    break;
                default:
                    b = randomBytes(random, random.nextInt(200));
                    break;
            }
        }
        return b;
    }

    private static byte[] randomBytes(final Random random, final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] splice(final byte[] b, final int at, final int remove, final byte[] insert)
    {
        final byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
