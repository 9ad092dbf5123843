package io.peerlane.journal;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;
import org.agrona.checksum.Crc32c;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * A flyweight that encodes segment headers and record frames straight into the memory of a mapped segment
 * (an Agrona {@link UnsafeBuffer} over the {@code MappedByteBuffer}): no staging buffer, no copy, no
 * allocation. Writing reads the mutation through its accessors only.
 * <p>
 * The writer asks {@link #maxFrameLength} before it encodes, so a frame always fits the mapping and the
 * encoder never checks for room. A frame is published by its length word, written last, after a release
 * fence: until then the frame's slot reads as length 0, which a reader takes for the unwritten end of the
 * journal. A process killed at any instruction therefore leaves either the whole frame or a slot of
 * length 0 (see {@link JournalDescriptor}, "Torn tails").
 */
final class FrameEncoder
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int position;

    /** Points the encoder at new memory: a segment's mapping. */
    void wrap(final ByteBuffer target)
    {
        buffer.wrap(target);
    }

    /** Lets go of the memory (before it is unmapped). */
    void release()
    {
        buffer.wrap(0, 0);
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Writes a segment header at offset 0; the magic goes last, so a header cut short reads as magic 0.
     */
    void encodeHeader(
        final long segmentIndex,
        final long firstSequence,
        final long previousLastSequence,
        final long creationTime,
        final long segmentLength)
    {
        final UnsafeBuffer b = buffer;
        b.putShort(MAJOR_VERSION_OFFSET, (short)MAJOR_VERSION, LE);
        b.putShort(MINOR_VERSION_OFFSET, (short)MINOR_VERSION, LE);
        b.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH, LE);
        b.putLong(SEGMENT_INDEX_OFFSET, segmentIndex, LE);
        b.putLong(FIRST_SEQUENCE_OFFSET, firstSequence, LE);
        b.putLong(CREATION_TIME_OFFSET, creationTime, LE);
        b.putLong(SEGMENT_LENGTH_OFFSET, segmentLength, LE);
        b.putLong(PREVIOUS_LAST_SEQUENCE_OFFSET, previousLastSequence, LE);
        b.putInt(HEADER_RESERVED_OFFSET, 0, LE);
        b.putLong(MAGIC_OFFSET, MAGIC, LE);
        final int crc = crc(b, 0, HEADER_CRC_OFFSET);
        b.putLong(MAGIC_OFFSET, 0, LE);
        b.putInt(HEADER_CRC_OFFSET, crc, LE);
        VarHandle.releaseFence();
        b.putLong(MAGIC_OFFSET, MAGIC, LE);
    }

    /**
     * An upper bound of the frame's length, computed from lengths alone (3 UTF-8 bytes a char).
     *
     * @throws IllegalArgumentException when a string is longer than the layout allows.
     */
    static long maxFrameLength(final Mutation m, final CommitResult outcome)
    {
        long n = BODY_OFFSET + maxString(outcome.reason());
        switch (m.kind())
        {
            case UPSERT:
                n += maxRefusal(m, 0) + maxRecord(m.record());
                break;
            case REMOVE:
                n += ID_LENGTH;
                break;
            case TOUCH:
                n += ID_LENGTH + 8;
                break;
            case BATCH:
                final Batch batch = m.batch();
                n += 2;
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    n += 1 + (batch.isUpsert(i) ? maxRefusal(m, i) + maxRecord(batch.record(i)) : ID_LENGTH);
                }
                break;
            case BAN:
            case UNBAN:
                n += 9 + maxString(m.ban().value());
                break;
            default:
                break;
        }
        return n;
    }

    private static long maxRefusal(final Mutation m, final int op)
    {
        final String observer = m.refusedBy(op);
        return null == observer ? 0 : 3 + maxString(observer);
    }

    private static long maxRecord(final PeerRecord r)
    {
        long n = RECORD_FIXED_LENGTH + (null != r.nextHop() ? ID_LENGTH : 0) + maxString(r.did()) +
            maxString(r.device()) + 2 + r.publicKey().length();
        final List<Endpoint> endpoints = r.endpoints();
        for (int i = 0, size = endpoints.size(); i < size; i++)
        {
            n += 17 + maxString(endpoints.get(i).address());
        }
        return n;
    }

    private static long maxString(final CharSequence s)
    {
        if (null == s)
        {
            return 2;
        }
        final int chars = s.length();
        if (chars > MAX_STRING_BYTES)
        {
            throw tooLong(s, chars);
        }
        return 2 + 3L * chars;
    }

    /**
     * Encodes one frame at {@code start}, the length word last. The caller made sure that
     * {@link #maxFrameLength} bytes fit.
     *
     * @return the frame's length.
     * @throws IllegalArgumentException when a string or the frame is longer than the layout allows; every
     *                                  byte written is zeroed again, so the slot still reads as unwritten.
     */
    int encodeFrame(final int start, final long sequence, final long time, final Mutation m, final CommitResult outcome)
    {
        final UnsafeBuffer b = buffer;
        position = start;
        try
        {
            final MutationKind kind = m.kind();
            b.putByte(start + KIND_OFFSET, (byte)kind.ordinal());
            b.putByte(start + OUTCOME_CODE_OFFSET, (byte)outcome.code().ordinal());
            b.putByte(start + ABORT_CAUSE_OFFSET, causeByte(outcome.cause()));
            b.putByte(start + FRAME_RESERVED_OFFSET, (byte)0);
            b.putLong(start + SEQUENCE_OFFSET, sequence, LE);
            b.putLong(start + TIME_OFFSET, time, LE);
            b.putLong(start + OUTCOME_TIME_OFFSET, outcome.time(), LE);
            b.putInt(start + FAILED_OP_OFFSET, outcome.failedOp(), LE);
            b.putShort(start + REFUSAL_RESERVED_OFFSET, (short)0, LE);
            position = start + BODY_OFFSET;
            putString(outcome.reason());
            b.putShort(start + REFUSAL_COUNT_OFFSET, (short)putRefusals(m), LE);
            putOp(kind, m);

            final long length = (long)position - start;
            if (length > MAX_FRAME_LENGTH)
            {
                throw new IllegalArgumentException("a frame of " + length + " bytes exceeds " + MAX_FRAME_LENGTH);
            }
            final int frameLength = (int)length;
            b.putInt(start + CRC_OFFSET, crc(b, start + CRC_COVERED_OFFSET, frameLength - CRC_COVERED_OFFSET), LE);
            b.putInt(start + LENGTH_CHECK_OFFSET, ~frameLength, LE);
            VarHandle.releaseFence();
            b.putInt(start + FRAME_LENGTH_OFFSET, frameLength, LE);
            return frameLength;
        }
        catch (final RuntimeException ex)
        {
            b.setMemory(start, position - start, (byte)0);
            position = start;
            throw ex;
        }
    }

    private int putRefusals(final Mutation m)
    {
        int count = 0;
        switch (m.kind())
        {
            case UPSERT:
                count += putRefusal(m, 0);
                break;
            case BATCH:
                final Batch batch = m.batch();
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    if (batch.isUpsert(i))
                    {
                        count += putRefusal(m, i);
                    }
                }
                break;
            default:
                break;
        }
        return count;
    }

    private int putRefusal(final Mutation m, final int op)
    {
        final String observer = m.refusedBy(op);
        if (null == observer)
        {
            return 0;
        }
        buffer.putShort(position, (short)op, LE);
        buffer.putByte(position + 2, causeByte(m.refusalCause(op)));
        position += 3;
        putString(observer);
        return 1;
    }

    private void putOp(final MutationKind kind, final Mutation m)
    {
        switch (kind)
        {
            case UPSERT:
                putRecord(m.record());
                break;
            case REMOVE:
                putId(m.id());
                break;
            case TOUCH:
                putId(m.id());
                buffer.putLong(position, m.lastSeen(), LE);
                position += 8;
                break;
            case BATCH:
                final Batch batch = m.batch();
                buffer.putShort(position, (short)batch.size(), LE);
                position += 2;
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    if (batch.isUpsert(i))
                    {
                        buffer.putByte(position++, (byte)BATCH_UPSERT);
                        putRecord(batch.record(i));
                    }
                    else
                    {
                        buffer.putByte(position++, (byte)BATCH_REMOVE);
                        putId(batch.removeId(i));
                    }
                }
                break;
            case BAN:
            case UNBAN:
                final Ban ban = m.ban();
                buffer.putByte(position, (byte)ban.kind().ordinal());
                buffer.putLong(position + 1, ban.until(), LE);
                position += 9;
                putString(ban.value());
                break;
            default:
                break;
        }
    }

    private void putRecord(final PeerRecord r)
    {
        final UnsafeBuffer b = buffer;
        putId(r.id());
        final int p = position;
        b.putLong(p, r.version(), LE);
        b.putLong(p + 8, r.lastSeen(), LE);
        b.putLong(p + 16, JournalDescriptor.RESERVED_FIRST_SEEN, LE);
        b.putLong(p + 24, r.votingPower(), LE);
        b.putLong(p + 32, Double.doubleToRawLongBits(r.trust()), LE);
        b.putLong(p + 40, Double.doubleToRawLongBits(r.routeQuality()), LE);
        b.putByte(p + 48, (byte)r.hopCount());
        b.putByte(p + 49, (byte)r.tier().ordinal());
        b.putByte(p + 50, (byte)r.nodeType().ordinal());
        b.putByte(p + 51, (byte)r.discovery().ordinal());
        final NodeId nextHop = r.nextHop();
        final int flags = (r.authenticated() ? FLAG_AUTHENTICATED : 0) | (r.quantumSecure() ? FLAG_QUANTUM_SECURE : 0) |
            (r.pinned() ? FLAG_PINNED : 0) | (null != nextHop ? FLAG_NEXT_HOP : 0);
        final List<Endpoint> endpoints = r.endpoints();
        b.putByte(p + 52, (byte)flags);
        b.putByte(p + 53, (byte)endpoints.size());
        b.putShort(p + 54, (short)0, LE);
        position = p + 56;
        if (null != nextHop)
        {
            putId(nextHop);
        }
        putString(r.did());
        putString(r.device());
        final PublicKey key = r.publicKey();
        final int keyLength = key.length();
        b.putShort(position, (short)keyLength, LE);
        position += 2;
        for (int i = 0; i < keyLength; i++)
        {
            b.putByte(position++, key.byteAt(i));
        }
        for (int i = 0, n = endpoints.size(); i < n; i++)
        {
            final Endpoint e = endpoints.get(i);
            b.putByte(position, (byte)e.protocol().ordinal());
            b.putLong(position + 1, e.latencyMs(), LE);
            b.putLong(position + 9, Double.doubleToRawLongBits(e.signal()), LE);
            position += 17;
            putString(e.address());
        }
    }

    private void putId(final NodeId id)
    {
        for (int w = 0; w < 4; w++)
        {
            buffer.putLong(position + 8 * w, id.word(w), LE);
        }
        position += ID_LENGTH;
    }

    /** UTF-8 without a String.getBytes copy; a lone surrogate becomes '?', as String.getBytes does. */
    private void putString(final CharSequence s)
    {
        final UnsafeBuffer b = buffer;
        if (null == s)
        {
            b.putShort(position, (short)NULL_STRING, LE);
            position += 2;
            return;
        }
        final int lengthAt = position;
        position += 2;
        final int chars = s.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                b.putByte(position++, (byte)c);
            }
            else if (c < 0x800)
            {
                b.putByte(position++, (byte)(0xC0 | (c >> 6)));
                b.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                b.putByte(position++, (byte)(0xF0 | (cp >> 18)));
                b.putByte(position++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                b.putByte(position++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                b.putByte(position++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                b.putByte(position++, (byte)'?');
            }
            else
            {
                b.putByte(position++, (byte)(0xE0 | (c >> 12)));
                b.putByte(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                b.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        final int bytes = position - lengthAt - 2;
        if (bytes > MAX_STRING_BYTES)
        {
            throw tooLong(s, bytes);
        }
        b.putShort(lengthAt, (short)bytes, LE);
    }

    private static IllegalArgumentException tooLong(final CharSequence s, final int size)
    {
        return new IllegalArgumentException("a string of " + size + " (chars or UTF-8 bytes) exceeds " +
            MAX_STRING_BYTES + " UTF-8 bytes: " + s.subSequence(0, Math.min(40, s.length())) + "...");
    }

    /** @return the CRC32C of {@code length} bytes of direct memory at {@code offset} of {@code b}. */
    static int crc(final UnsafeBuffer b, final int offset, final int length)
    {
        b.boundsCheck(offset, length);
        return Crc32c.INSTANCE.compute(b.addressOffset(), offset, length);
    }

    /**
     * @return the CRC32C of {@code length} bytes of {@code buffer} from {@code offset}; leaves the buffer
     * cleared (position 0, limit at capacity).
     */
    static int crc(final CRC32C crc, final ByteBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        buffer.limit(offset + length).position(offset);
        crc.update(buffer);
        buffer.clear();
        return (int)crc.getValue();
    }

    static byte causeByte(final AbortCause cause)
    {
        return null == cause ? (byte)NO_CAUSE : (byte)(cause.ordinal() + 1);
    }
}
