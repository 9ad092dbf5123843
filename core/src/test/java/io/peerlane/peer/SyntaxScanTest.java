package io.peerlane.peer;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded differential test: the hand-written scans {@link PeerRecord#isDid} and {@link PeerRecord#isDevice}
 * accept exactly the strings their regexes ({@link PeerRecord#DID_PATTERN}, {@code DEVICE_PATTERN}) match, on
 * random strings drawn near the languages' edges (the right pieces, in and out of order, with stray characters).
 */
class SyntaxScanTest
{
    private static final String[] PIECES = {"did:", "did", ":", "::", "d", "i", "a", "z", "0", "9", "key", "A", "Z",
        ".", "_", "%", "-", "/", " ", "#", "é", "\uD83D\uDE00", "\u0000", "\uD800", "DID:", "~", "+", "web", "example.com",
        "zQ3s", "`", "{", "@", "[", "G"};

    @Test
    void scansAcceptExactlyWhatTheRegexesMatch()
    {
        final long seed = Long.getLong("syntax.seed", System.nanoTime());
        System.out.println("SyntaxScanTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        int dids = 0;
        int devices = 0;
        for (int round = 0; round < 400_000; round++)
        {
            final String s = candidate(random);
            final boolean did = PeerRecord.DID_PATTERN.matcher(s).matches();
            assertEquals(did, PeerRecord.isDid(s), "seed " + seed + " did '" + s + "'");
            final boolean device = PeerRecord.DEVICE_PATTERN.matcher(s).matches();
            assertEquals(device, PeerRecord.isDevice(s), "seed " + seed + " device '" + s + "'");
            dids += did ? 1 : 0;
            devices += device ? 1 : 0;
        }
        for (int length = 0; length < 70; length++)
        {
            final String s = "a".repeat(length);
            assertEquals(PeerRecord.DEVICE_PATTERN.matcher(s).matches(), PeerRecord.isDevice(s), "device of " + length);
        }
        assertTrue(dids > 1000 && devices > 1000, "seed " + seed + ": " + dids + " DIDs, " + devices + " devices");
    }

    private static String candidate(final SplittableRandom random)
    {
        final StringBuilder b = new StringBuilder();
        if (random.nextInt(3) != 0)
        {
            b.append("did:");
        }
        final int parts = random.nextInt(random.nextInt(4) == 0 ? 40 : 8);
        for (int i = 0; i < parts; i++)
        {
            if (random.nextInt(4) == 0)
            {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
            else
            {
                final int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 4);
                for (int c = 0; c < n; c++)
                {
                    b.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%-:".charAt(
                        random.nextInt(random.nextBoolean() ? 36 : 67)));
                }
            }
        }
        if (random.nextInt(20) == 0 && b.length() > 0)
        {
            b.setCharAt(random.nextInt(b.length()), (char)random.nextInt(0x180));
        }
        return b.toString();
    }
}
