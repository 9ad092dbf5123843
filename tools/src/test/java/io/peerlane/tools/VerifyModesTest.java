package io.peerlane.tools;

import io.peerlane.journal.JournalDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify} checks every record in place (framing, CRC32C, sequence, layout) and builds nothing;
 * {@code verify --decode} also builds every record through the peer model, as a replay does, so it finds a
 * value that only the model refuses.
 */
class VerifyModesTest
{
    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        return PeerlaneTool.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    private static Path generate(final Path dir)
    {
        final Path journal = dir.resolve("j");
        final StringWriter err = new StringWriter();
        assertEquals(0, run(new StringWriter(), err, "generate", "--seed", "5", "--peers", "200", "--ops", "3000",
            "--journal", journal.toString()), err.toString());
        return journal;
    }

    @Test
    void bothModesAgreeOnAWholeJournalAndOnAFlippedBit(@TempDir final Path dir) throws Exception
    {
        final Path journal = generate(dir);
        for (final String[] mode : new String[][]{ {}, {"--decode"} })
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertEquals(ExitCodes.OK, run(out, err, concat(new String[]{"verify", journal.toString()}, mode)),
                out + "\n" + err);
            assertTrue(out.toString().contains("records  3000"), out.toString());
        }
        final Path segment = journal.resolve(JournalDescriptor.segmentFileName(0));
        final byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(segment, bytes);
        for (final String[] mode : new String[][]{ {}, {"--decode"} })
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertEquals(ExitCodes.CORRUPT, run(out, err, concat(new String[]{"verify", journal.toString()}, mode)),
                out + "\n" + err);
            assertTrue(err.toString().contains(segment.getFileName().toString()), err.toString());
        }
    }

    @Test
    void onlyDecodeFindsAValueThePeerModelRefuses(@TempDir final Path dir) throws Exception
    {
        final Path journal = generate(dir);
        final Path segment = journal.resolve(JournalDescriptor.segmentFileName(0));
        final byte[] bytes = Files.readAllBytes(segment);
        // A DID method must be lowercase: make one uppercase and give its frame a CRC that matches again, so the
        // framing and layout stay whole and only the peer model's syntax check can tell.
        final int did = indexOf(bytes, "did:".getBytes(StandardCharsets.US_ASCII), JournalDescriptor.HEADER_LENGTH);
        assertTrue(did > 0, "a DID in the segment");
        bytes[did + 4] = (byte)Character.toUpperCase((char)bytes[did + 4]);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int frame = buffer.getInt(JournalDescriptor.HEADER_LENGTH_OFFSET);
        while (frame + buffer.getInt(frame + JournalDescriptor.FRAME_LENGTH_OFFSET) <= did)
        {
            frame += buffer.getInt(frame + JournalDescriptor.FRAME_LENGTH_OFFSET);
        }
        final int length = buffer.getInt(frame + JournalDescriptor.FRAME_LENGTH_OFFSET);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, frame + JournalDescriptor.CRC_COVERED_OFFSET, length - JournalDescriptor.CRC_COVERED_OFFSET);
        buffer.putInt(frame + JournalDescriptor.CRC_OFFSET, (int)crc.getValue());
        Files.write(segment, bytes);

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(ExitCodes.OK, run(out, err, "verify", journal.toString()), out + "\n" + err);
        final StringWriter decodeOut = new StringWriter();
        final StringWriter decodeErr = new StringWriter();
        assertEquals(ExitCodes.CORRUPT, run(decodeOut, decodeErr, "verify", "--decode", journal.toString()),
            decodeOut + "\n" + decodeErr);
        assertTrue(decodeErr.toString().contains("did"), decodeErr.toString());
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(final byte[] bytes, final byte[] what, final int from)
    {
        outer:
        for (int i = from; i + what.length <= bytes.length; i++)
        {
            for (int j = 0; j < what.length; j++)
            {
                if (bytes[i + j] != what[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
