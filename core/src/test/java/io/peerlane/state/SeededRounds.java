package io.peerlane.state;

import java.util.SplittableRandom;

/**
 * Rounds of a seeded random test: each round gets its own seed, printed before it runs, so a failure names
 * the seed that reproduces it; {@code -Dpeerlane.test.seed=N} starts the rounds from N.
 */
final class SeededRounds
{
    /** One round of a test. */
    interface Round
    {
        void run(long seed, SplittableRandom random);
    }

    private SeededRounds()
    {
    }

    static void run(final String test, final int rounds, final Round round)
    {
        final long base = Long.getLong("peerlane.test.seed", System.nanoTime());
        for (int r = 0; r < rounds; r++)
        {
            final long seed = base + r;
            System.out.println(test + " seed " + seed);
            round.run(seed, new SplittableRandom(seed));
        }
    }
}
