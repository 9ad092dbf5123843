package io.peerlane.journal;

import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * One journal frame outside a segment: an op with its recorded votes, in exactly the layout
 * {@link JournalDescriptor} gives a record of version 1 (version 2 packs segments' frames; carried frames keep
 * version 1, so a replicated log written before version 2 reads as it did), for a carrier of the journal's stream that is not a segment file
 * (a replicated log whose entries are runs of frames). The journal's encoder and decoder do the work, so a
 * carried op and a journaled op are one format with one set of checks.
 * <p>
 * A carried op is not decided yet: its frame's outcome fields hold a placeholder ({@code TICKED} at time 0)
 * that {@link #decode} ignores; what the frame carries is the op, its event time and its vote refusals.
 * The frame's CRC is checked on decode. An instance keeps a scratch buffer and is for one thread.
 */
public final class FrameCodec
{
    /** The shortest frame: a frame's fixed fields and an absent reason. */
    public static final int MIN_LENGTH = MIN_FRAME_LENGTH_V1;

    private static final CommitResult UNDECIDED = new CommitResult();

    static
    {
        new RegistryState(RegistrySettings.builder().build(), List.of()).commit(MutationValue.tick(0), 0, UNDECIDED);
    }

    private final FrameEncoder encoder = new FrameEncoder(MAJOR_VERSION_1);
    private final FrameDecoder decoder = new FrameDecoder();
    private final CRC32C crc = new CRC32C();
    private ByteBuffer scratch = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param m the op.
     * @return an upper bound of its frame's length.
     * @throws IllegalArgumentException when a string is longer than the layout allows.
     */
    public static int maxLength(final Mutation m)
    {
        final long n = FrameEncoder.maxFrameLength(m, UNDECIDED);
        if (n > MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("a frame of up to " + n + " bytes exceeds " + MAX_FRAME_LENGTH);
        }
        return (int)n;
    }

    /**
     * Encodes an op and its votes ({@link Mutation#refusedBy}) as one frame at {@code out}'s position, which
     * it advances by the frame's length.
     *
     * @param m        the op, read through its accessors only.
     * @param sequence the frame's sequence field (the carrier's own numbering).
     * @param out      receives the frame; must have {@link #maxLength} bytes remaining.
     * @return the frame's length.
     * @throws IllegalArgumentException when a string or the frame is longer than the layout allows.
     */
    public int encode(final Mutation m, final long sequence, final ByteBuffer out)
    {
        final long max = FrameEncoder.maxFrameLength(m, UNDECIDED);
        if (HEADER_LENGTH + max > scratch.capacity())
        {
            if (HEADER_LENGTH + max > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("a frame of up to " + max + " bytes");
            }
            scratch = ByteBuffer.allocateDirect((int)Math.max(HEADER_LENGTH + max, 2L * scratch.capacity()))
                .order(ByteOrder.LITTLE_ENDIAN);
        }
        // The encoder writes frames after a segment header; the header's room is left unused here.
        encoder.wrap(scratch);
        try
        {
            final int length = encoder.encodeFrame(HEADER_LENGTH, max, sequence, m.time(), m, UNDECIDED);
            out.put(out.position(), scratch, HEADER_LENGTH, length);
            out.position(out.position() + length);
            return length;
        }
        finally
        {
            encoder.release();
        }
    }

    /**
     * @param buffer holds a frame, read little-endian whatever its order.
     * @param offset index of the frame's first byte.
     * @return the frame's length word.
     */
    public static int frameLength(final ByteBuffer buffer, final int offset)
    {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(offset + FRAME_LENGTH_OFFSET);
    }

    /**
     * Decodes the frame at {@code offset}, checking its length words and CRC.
     *
     * @param buffer holds the frame (not changed; read little-endian whatever its order).
     * @param offset index of the frame's first byte.
     * @return the op with its recorded votes.
     * @throws IllegalArgumentException when the frame is damaged or does not decode.
     */
    public MutationValue decode(final ByteBuffer buffer, final int offset)
    {
        final ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (offset < 0 || offset + MIN_FRAME_LENGTH_V1 > b.limit())
        {
            throw new IllegalArgumentException("no frame at " + offset + " of " + b.limit() + " bytes");
        }
        final int length = b.getInt(offset + FRAME_LENGTH_OFFSET);
        if (length < MIN_FRAME_LENGTH_V1 || offset + (long)length > b.limit() ||
            b.getInt(offset + LENGTH_CHECK_OFFSET) != ~length)
        {
            throw new IllegalArgumentException("a frame at " + offset + " has a bad length " + length);
        }
        final int stored = b.getInt(offset + CRC_OFFSET);
        final ByteBuffer view = b.duplicate();
        final int computed = FrameEncoder.crc(crc, view, offset + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET);
        if (stored != computed)
        {
            throw new IllegalArgumentException("a frame at " + offset + " fails its CRC");
        }
        try
        {
            return decoder.decode(b, offset, length, null, offset, false, false).mutation();
        }
        catch (final FrameDecoder.MalformedRecordException ex)
        {
            throw new IllegalArgumentException("a frame at " + offset + " does not decode: " + ex.getMessage(), ex);
        }
    }
}
