package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.peerlane.journal.JournalDescriptor.segmentFileName;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded fuzzing: thousands of randomly damaged copies of a journal. Whatever the damage, only the documented
 * exceptions escape, every entry returned before the damage is exactly the op written, and damage that
 * changes bytes without cutting them is always found (as corruption, or as a torn tail when it lies at the
 * very end).
 */
class JournalFuzzTest
{
    @TempDir
    Path dir;

    @Test
    void randomlyDamagedJournalsFailOnlyAsDocumented()
    {
        fuzz(Long.getLong("journal.fuzz.seed", System.nanoTime()), 2_000);   // -Djournal.fuzz.seed=N reruns one
    }

    @Test
    @Tag("stress")
    void manyMoreDamagedJournals()
    {
        fuzz(System.nanoTime(), 30_000);
    }

    private void fuzz(final long seed, final int rounds)
    {
        System.out.println("JournalFuzzTest seed " + seed + ", " + rounds + " rounds");
        final Random random = new Random(seed);
        final OpGenerator gen = new OpGenerator(seed);
        final List<Written> ops = gen.ops(48).stream()
            .filter(w -> null == w.mutation.batch() || w.mutation.batch().size() <= 16)
            .collect(Collectors.toList());
        final Path source = dir.resolve("source");
        OpGenerator.write(source, 4096, ops);
        final List<byte[]> original = new ArrayList<>();
        for (long i = 0; Files.exists(source.resolve(segmentFileName(i))); i++)
        {
            original.add(JournalFiles.read(source.resolve(segmentFileName(i))));
        }
        assertTrue(original.size() >= 3, "seed " + seed + ": " + original.size() + " segments");

        final Path target = dir.resolve("target");
        final int[] outcomes = new int[3];
        for (int round = 0; round < rounds; round++)
        {
            final String at = "seed " + seed + " round " + round;
            final List<byte[]> segments = new ArrayList<>();
            original.forEach(b -> segments.add(b.clone()));
            // Damage may undo itself (the same bit flipped twice): only bytes that differ at the end count.
            final boolean contentOnly = damage(random, segments) && differs(original, segments);
            store(target, segments);

            // A journal may start at a later segment (older ones pruned after a snapshot), so the entries read
            // must be a run of consecutive ops, from the first op unless segment 0 is gone.
            int read = 0;
            int next = 0;
            long lastSequence = JournalDescriptor.NO_SEQUENCE;
            boolean corrupt = false;
            boolean torn = false;
            try (JournalReader reader = JournalReader.open(target))
            {
                for (JournalEntry e = reader.next(); null != e; e = reader.next())
                {
                    if (read == 0 && null == segments.get(0))
                    {
                        while (next < ops.size() && ops.get(next).sequence != e.sequence())
                        {
                            next++;
                        }
                    }
                    assertTrue(next < ops.size(), at + ": an entry that was never written: " + e);
                    OpGenerator.assertSame(ops.get(next), e);
                    lastSequence = e.sequence();
                    read++;
                    next++;
                }
                torn = reader.tornTail();
            }
            catch (final JournalCorruptException ex)
            {
                corrupt = true;
                assertTrue(ex.offset() >= 0, at);
                assertNotNull(ex.file(), at);
                assertEquals(lastSequence, ex.lastGoodSequence(), at);
            }
            catch (final JournalException ex)
            {
                fail(at + ": an I/O error from files that read fine: " + ex);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError(at + ": undocumented exception " + ex, ex);
            }
            if (contentOnly)
            {
                assertTrue(corrupt || torn, at + ": changed bytes went unnoticed");
            }
            // The in-place verify comes to the reader's verdict, at the same record.
            final JournalReport report = JournalVerifier.verify(target);
            assertEquals(corrupt, !report.intact(), at + ": " + report);
            assertEquals(read, report.recordCount(), at + ": " + report);
            if (!corrupt)
            {
                assertEquals(torn, report.tornTail(), at + ": " + report);
            }
            if (!corrupt && !torn && contentOnly)
            {
                assertEquals(ops.size(), read, at);
            }
            outcomes[corrupt ? 0 : torn ? 1 : 2]++;
        }
        System.out.println("corrupt " + outcomes[0] + ", torn " + outcomes[1] + ", clean " + outcomes[2]);
        assertTrue(outcomes[0] > 0, "seed " + seed);
    }

    /** @return whether the damage only changed bytes in place (no cut, no growth, no file removed). */
    private static boolean damage(final Random random, final List<byte[]> segments)
    {
        boolean contentOnly = true;
        boolean changed = false;
        final int count = 1 + random.nextInt(3);
        for (int n = 0; n < count; n++)
        {
            final int s = random.nextInt(segments.size());
            final byte[] b = segments.get(s);
            switch (random.nextInt(7))
            {
                case 0:
                case 1:
                    if (b.length > 0)
                    {
                        final int i = random.nextInt(b.length);
                        b[i] ^= 1 << random.nextInt(8);
                        changed = true;
                    }
                    break;
                case 2:
                    if (b.length > 0)
                    {
                        final int from = random.nextInt(b.length);
                        final int to = Math.min(b.length, from + 1 + random.nextInt(64));
                        for (int i = from; i < to; i++)
                        {
                            final byte old = b[i];
                            b[i] = (byte)random.nextInt(256);
                            changed |= old != b[i];
                        }
                    }
                    break;
                case 3:
                    if (b.length > 0)
                    {
                        final int from = random.nextInt(b.length);
                        final int to = random.nextBoolean() ? b.length : Math.min(b.length, from + 1 + random.nextInt(64));
                        for (int i = from; i < to; i++)
                        {
                            changed |= b[i] != 0;
                            b[i] = 0;
                        }
                    }
                    break;
                case 4:
                    segments.set(s, Arrays.copyOf(b, random.nextInt(b.length + 1)));
                    contentOnly = false;
                    break;
                case 5:
                    final byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(100));
                    if (random.nextBoolean())
                    {
                        for (int i = b.length; i < longer.length; i++)
                        {
                            longer[i] = (byte)random.nextInt(256);
                        }
                    }
                    segments.set(s, longer);
                    contentOnly = false;
                    break;
                default:
                    if (random.nextBoolean())
                    {
                        segments.set(s, null);
                    }
                    else
                    {
                        segments.set(s, segments.get(random.nextInt(segments.size())));
                    }
                    contentOnly = false;
                    break;
            }
            if (null == segments.get(s))
            {
                // A removed segment stays removed; later damage picks another.
                break;
            }
        }
        return contentOnly && changed;
    }

    private static boolean differs(final List<byte[]> original, final List<byte[]> damaged)
    {
        for (int i = 0; i < original.size(); i++)
        {
            if (!Arrays.equals(original.get(i), damaged.get(i)))
            {
                return true;
            }
        }
        return false;
    }

    private static void store(final Path target, final List<byte[]> segments)
    {
        try
        {
            if (Files.exists(target))
            {
                try (Stream<Path> files = Files.list(target))
                {
                    for (final Path p : files.collect(Collectors.toList()))
                    {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(target);
            for (int i = 0; i < segments.size(); i++)
            {
                if (null != segments.get(i))
                {
                    Files.write(target.resolve(segmentFileName(i)), segments.get(i));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
