package io.peerlane.journal;

import java.nio.ByteBuffer;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * A read position inside one frame, bounded by the frame's end, with the primitives where the two major
 * versions' layouts differ: a 64-bit field ({@link #wide}), a count or length ({@link #count}), a string's
 * length ({@link #stringLength}). {@link FrameDecoder}, which builds the entry, and {@link FrameChecker}, which
 * only walks the layout, read through the same primitives, so they cannot disagree on where a field ends.
 * Nothing here allocates but the exception for a malformed field.
 */
abstract class FrameCursor
{
    /** Bytes of a version 1 record's fields between its id and its enum bytes. */
    static final int V1_RECORD_NUMBERS = 48;

    ByteBuffer buffer;
    int position;
    int end;
    /** Version 2's packed layout, else version 1's. */
    boolean packed;

    /** The frame's numbers after its enum bytes, as {@link #frameNumbers} read them. */
    long frameSequence;
    long frameTime;
    long frameOutcomeTime;
    int frameFailedOp;
    int frameRefusalCount;

    final void wrap(final ByteBuffer buffer, final int position, final int end, final boolean packed)
    {
        this.buffer = buffer;
        this.position = position;
        this.end = end;
        this.packed = packed;
    }

    final void release()
    {
        buffer = null;
    }

    /**
     * @return the frame's Ring Sequence, which the reader checks before it decodes or checks the body (the
     * position is left after it).
     * @throws FrameDecoder.MalformedRecordException when the field does not fit the frame.
     */
    final long sequence(final ByteBuffer buffer, final int start, final int length, final boolean packed)
    {
        if (!packed)
        {
            return buffer.getLong(start + SEQUENCE_OFFSET);
        }
        wrap(buffer, start + ABORT_CAUSE_OFFSET + 1, start + length, true);
        try
        {
            return zigzag();
        }
        finally
        {
            release();
        }
    }

    /**
     * Reads the frame's numbers that follow its three enum bytes (the position is there): sequence, event and
     * outcome times, failed op and refusal count, into the {@code frame*} fields; leaves the position at the
     * reason.
     *
     * @param start         index of the frame's first byte.
     * @param allowTrailing whether version 1's reserved byte may be set (a newer minor version).
     */
    final void frameNumbers(final int start, final boolean allowTrailing)
    {
        if (packed)
        {
            frameSequence = zigzag();
            frameTime = zigzag();
            frameOutcomeTime = frameTime + zigzag();
            final long failed = zigzag();
            if (failed != (int)failed)
            {
                throw malformed("failed op " + failed);
            }
            frameFailedOp = (int)failed;
            frameRefusalCount = count();
            return;
        }
        if (u8() != 0 && !allowTrailing)
        {
            throw malformed("reserved byte is not zero");
        }
        need(BODY_OFFSET - SEQUENCE_OFFSET);
        frameSequence = buffer.getLong(start + SEQUENCE_OFFSET);
        frameTime = buffer.getLong(start + TIME_OFFSET);
        frameOutcomeTime = buffer.getLong(start + OUTCOME_TIME_OFFSET);
        frameFailedOp = buffer.getInt(start + FAILED_OP_OFFSET);
        frameRefusalCount = buffer.getShort(start + REFUSAL_COUNT_OFFSET) & 0xFFFF;
        position = start + BODY_OFFSET;
    }

    final void need(final int bytes)
    {
        if (bytes > end - position)
        {
            throw malformed("the frame ends inside a field");
        }
    }

    final void skip(final int bytes)
    {
        need(bytes);
        position += bytes;
    }

    final int u8()
    {
        need(1);
        return buffer.get(position++) & 0xFF;
    }

    final long fixed64()
    {
        need(8);
        final long value = buffer.getLong(position);
        position += 8;
        return value;
    }

    /** A 64-bit field: version 1's fixed eight bytes, version 2's zigzag of the value less {@code base}. */
    final long wide(final long base)
    {
        return packed ? base + zigzag() : fixed64();
    }

    /** A count or length: version 1's u16, version 2's varint below 2^16. */
    final int count()
    {
        if (!packed)
        {
            need(2);
            final int value = buffer.getShort(position) & 0xFFFF;
            position += 2;
            return value;
        }
        final long value = varint();
        if (value < 0 || value > 0xFFFF)
        {
            throw malformed("a count of " + Long.toUnsignedString(value));
        }
        return (int)value;
    }

    /**
     * Reads a string's length and leaves the position at its first byte.
     *
     * @return its UTF-8 byte count, -1 for null; the bytes are checked to lie in the frame.
     */
    final int stringLength()
    {
        final int length;
        if (packed)
        {
            final long n = varint();
            if (n < 0 || n - 1 > MAX_STRING_BYTES)
            {
                throw malformed("a string of " + Long.toUnsignedString(n - 1) + " bytes");
            }
            length = (int)n - 1;
        }
        else
        {
            need(2);
            final int n = buffer.getShort(position) & 0xFFFF;
            position += 2;
            length = n == NULL_STRING ? -1 : n;
        }
        if (length > 0)
        {
            need(length);
        }
        return length;
    }

    /**
     * Moves past a record's six one-byte fields (hop count to endpoint count) and version 1's reserved u16
     * after them.
     *
     * @return the offset of the first of them.
     */
    final int recordBytes()
    {
        final int width = packed ? 6 : 8;
        need(width);
        final int at = position;
        position += width;
        return at;
    }

    final long zigzag()
    {
        final long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    /** An unsigned LEB128 varint of at most 10 bytes whose value fits 64 bits. */
    final long varint()
    {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            need(1);
            final byte b = buffer.get(position++);
            v |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                if (shift == 63 && b > 1)
                {
                    break;
                }
                return v;
            }
        }
        throw malformed("a varint longer than " + MAX_VARINT_LENGTH + " bytes or past 64 bits");
    }

    static FrameDecoder.MalformedRecordException malformed(final String message)
    {
        return new FrameDecoder.MalformedRecordException(message, null);
    }
}
