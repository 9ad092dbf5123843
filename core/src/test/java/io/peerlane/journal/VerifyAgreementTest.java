package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;
import io.peerlane.peer.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The in-place verify against the decoding reader on bytes changed inside a record body and re-checksummed
 * (damage no CRC can see): verify never refuses a record the reader accepts, refuses at the same record, and
 * finds every layout fault the reader finds; only what the peer model alone refuses (a DID's syntax, a value
 * out of range) is left to reading.
 */
class VerifyAgreementTest
{
    @TempDir
    Path dir;

    @Test
    void verifyFindsEveryLayoutFaultTheReaderFindsAndNothingElse()
    {
        final long seed = System.nanoTime();
        System.out.println("VerifyAgreementTest seed " + seed);
        final Random random = new Random(seed);
        final List<Written> ops = new OpGenerator(seed).ops(40);
        final Path source = dir.resolve("source");
        OpGenerator.write(source, SEGMENT_LENGTH_DEFAULT, ops);
        final byte[] original = JournalFiles.read(source.resolve(segmentFileName(0)));
        final List<JournalEntry> entries = JournalFiles.entries(source);
        final Path target = dir.resolve("target");
        final Path seg = target.resolve(segmentFileName(0));
        int layout = 0;
        int modelOnly = 0;
        int accepted = 0;
        for (int round = 0; round < 3_000; round++)
        {
            final String at = "seed " + seed + " round " + round;
            final byte[] bytes = original.clone();
            final int victim = random.nextInt(entries.size());
            final int offset = (int)entries.get(victim).offset();
            final int length = JournalFiles.le(bytes).getInt(offset);
            final int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++)
            {
                final int i = offset + CRC_COVERED_OFFSET + random.nextInt(length - CRC_COVERED_OFFSET);
                bytes[i] = random.nextBoolean() ? (byte)(bytes[i] ^ (1 << random.nextInt(8))) : (byte)random.nextInt(256);
            }
            JournalFiles.resealFrame(bytes, offset, length);
            try
            {
                Files.createDirectories(target);
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
            JournalFiles.write(seg, bytes);

            JournalCorruptException read = null;
            try (JournalReader reader = JournalReader.open(target))
            {
                while (null != reader.next())
                {
                    // Read to the end or the damage.
                }
            }
            catch (final JournalCorruptException ex)
            {
                read = ex;
            }
            final JournalReport report = JournalVerifier.verify(target);
            if (!report.intact())
            {
                assertNotNull(read, at + ": verify refused what the reader accepts: " + report);
                if (read.offset() == report.corruption().offset())
                {
                    assertEquals(read.lastGoodSequence(), report.corruption().lastGoodSequence(), at);
                }
                else
                {
                    // The reader stopped earlier, at a value only the model refuses; verify went past it.
                    assertTrue(read.offset() < report.corruption().offset(), at);
                    assertTrue(modelFault(read), at + ": " + read.getMessage());
                }
                layout++;
            }
            else if (null != read)
            {
                assertTrue(modelFault(read), at + ": a layout fault that verify missed: " + read.getMessage());
                modelOnly++;
            }
            else
            {
                accepted++;
            }
            assertEquals(null == read, JournalVerifier.verifyDecoding(target).intact(), at + ": verifyDecoding reads");
        }
        System.out.println("layout faults " + layout + ", left to the model " + modelOnly + ", values changed but valid " +
            accepted);
        assertTrue(layout > 0 && modelOnly > 0, "seed " + seed + ": both kinds of fault were tried");
    }

    private static boolean modelFault(final JournalCorruptException ex)
    {
        return null != ex.getCause() && ex.getCause().getCause() instanceof InvalidInputException;
    }
}
