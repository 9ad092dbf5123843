package io.peerlane.journal;

import io.peerlane.journal.OpGenerator.Written;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.peerlane.journal.JournalDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Byte-level surgery on journal files, and reads that check what survives it. */
final class JournalFiles
{
    private JournalFiles()
    {
    }

    static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void write(final Path file, final byte[] bytes)
    {
        try
        {
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static ByteBuffer le(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Recomputes a header's CRC after an edit. */
    static void resealHeader(final byte[] segment)
    {
        final ByteBuffer b = le(segment);
        final int headerLength = b.getInt(HEADER_LENGTH_OFFSET);
        final CRC32C crc = new CRC32C();
        crc.update(segment, 0, HEADER_CRC_OFFSET);
        crc.update(segment, HEADER_LENGTH, headerLength - HEADER_LENGTH);
        b.putInt(HEADER_CRC_OFFSET, (int)crc.getValue());
    }

    /** Recomputes a frame's length check and CRC after an edit. */
    static void resealFrame(final byte[] segment, final int offset, final int length)
    {
        final ByteBuffer b = le(segment);
        b.putInt(offset + FRAME_LENGTH_OFFSET, length);
        b.putInt(offset + LENGTH_CHECK_OFFSET, ~length);
        final CRC32C crc = new CRC32C();
        crc.update(segment, offset + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET);
        b.putInt(offset + CRC_OFFSET, (int)crc.getValue());
    }

    /** @return every entry of an intact journal. */
    static List<JournalEntry> entries(final Path dir)
    {
        final List<JournalEntry> entries = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dir))
        {
            for (JournalEntry e = r.next(); null != e; e = r.next())
            {
                entries.add(e);
            }
        }
        return entries;
    }

    /**
     * Reads until the corruption, checking every entry before it against the ops written.
     *
     * @return the exception, whose entries before numbered {@code intactCount}.
     */
    static JournalCorruptException expectCorrupt(final Path dir, final List<Written> ops, final int intactCount)
    {
        try (JournalReader r = JournalReader.open(dir))
        {
            for (int i = 0; i <= ops.size(); i++)
            {
                final JournalEntry e;
                try
                {
                    e = r.next();
                }
                catch (final JournalCorruptException ex)
                {
                    assertEquals(intactCount, i, "entries read before the corruption: " + ex.getMessage());
                    assertEquals(i == 0 ? NO_SEQUENCE : ops.get(i - 1).sequence, ex.lastGoodSequence());
                    return ex;
                }
                if (i == ops.size())
                {
                    assertNull(e, "more entries than were written");
                }
                else
                {
                    assertNotNull(e, "entry " + i + " missing without an error");
                    OpGenerator.assertSame(ops.get(i), e);
                }
            }
        }
        return fail("no corruption found");
    }
}
