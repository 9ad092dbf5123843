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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Encodes segment headers and record frames, one after another, into one reused direct buffer that a
 * writer hands to its channel whole. Writing reads the mutation through its accessors and copies nothing
 * else, so appending allocates nothing once the buffer has grown to the largest frame seen.
 */
final class FrameEncoder
{
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer;
    private int position;
    private int frameStart;

    FrameEncoder(final int initialCapacity)
    {
        buffer = ByteBuffer.allocateDirect(initialCapacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the buffer; bytes 0 to {@link #length()} hold what was encoded since {@link #clear()}. */
    ByteBuffer buffer()
    {
        return buffer;
    }

    int length()
    {
        return position;
    }

    void clear()
    {
        position = 0;
    }

    /** Drops everything encoded from {@code length} on: a frame abandoned half way. */
    void truncate(final int length)
    {
        position = length;
    }

    /**
     * Writes a segment header into bytes 0 to {@link JournalDescriptor#HEADER_LENGTH} of {@code header}.
     *
     * @param header a buffer of at least {@link JournalDescriptor#HEADER_LENGTH} bytes, little-endian.
     */
    void encodeHeader(
        final ByteBuffer header,
        final long segmentIndex,
        final long firstSequence,
        final long previousLastSequence,
        final long creationTime,
        final long segmentLength)
    {
        header.clear();
        header.putLong(MAGIC_OFFSET, MAGIC);
        header.putShort(MAJOR_VERSION_OFFSET, (short)MAJOR_VERSION);
        header.putShort(MINOR_VERSION_OFFSET, (short)MINOR_VERSION);
        header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        header.putLong(SEGMENT_INDEX_OFFSET, segmentIndex);
        header.putLong(FIRST_SEQUENCE_OFFSET, firstSequence);
        header.putLong(CREATION_TIME_OFFSET, creationTime);
        header.putLong(SEGMENT_LENGTH_OFFSET, segmentLength);
        header.putLong(PREVIOUS_LAST_SEQUENCE_OFFSET, previousLastSequence);
        for (int i = HEADER_RESERVED_OFFSET; i < HEADER_CRC_OFFSET; i++)
        {
            header.put(i, (byte)0);
        }
        header.putInt(HEADER_CRC_OFFSET, crc(crc, header, 0, HEADER_CRC_OFFSET));
    }

    /**
     * Moves the bytes from {@code from} to the end down to index 0: keeps the last frame and drops what
     * came before it (already written elsewhere).
     */
    void compactFrom(final int from)
    {
        buffer.limit(position).position(from);
        buffer.compact();
        buffer.clear();
        position -= from;
    }

    /**
     * Encodes one frame after what is already in the buffer.
     *
     * @return the frame's length.
     * @throws IllegalArgumentException when a string or the frame is longer than the layout allows; nothing
     *                                  of the frame is kept.
     */
    int encodeFrame(final long sequence, final long time, final Mutation m, final CommitResult outcome)
    {
        final int start = position;
        frameStart = start;
        try
        {
            ensure(BODY_OFFSET);
            final MutationKind kind = m.kind();
            buffer.put(start + KIND_OFFSET, (byte)kind.ordinal());
            buffer.put(start + OUTCOME_CODE_OFFSET, (byte)outcome.code().ordinal());
            buffer.put(start + ABORT_CAUSE_OFFSET, causeByte(outcome.cause()));
            buffer.put(start + FRAME_RESERVED_OFFSET, (byte)0);
            buffer.putLong(start + SEQUENCE_OFFSET, sequence);
            buffer.putLong(start + TIME_OFFSET, time);
            buffer.putLong(start + OUTCOME_TIME_OFFSET, outcome.time());
            buffer.putInt(start + FAILED_OP_OFFSET, outcome.failedOp());
            buffer.putShort(start + REFUSAL_RESERVED_OFFSET, (short)0);
            position = start + BODY_OFFSET;
            putString(outcome.reason());
            final int refusals = putRefusals(m); // may grow the buffer: read the field after it
            buffer.putShort(start + REFUSAL_COUNT_OFFSET, (short)refusals);
            putOp(kind, m);

            final long length = (long)position - start;
            if (length > MAX_FRAME_LENGTH)
            {
                throw new IllegalArgumentException("a frame of " + length + " bytes exceeds " + MAX_FRAME_LENGTH);
            }
            final int frameLength = (int)length;
            buffer.putInt(start + FRAME_LENGTH_OFFSET, frameLength);
            buffer.putInt(start + LENGTH_CHECK_OFFSET, ~frameLength);
            buffer.putInt(start + CRC_OFFSET, crc(start + CRC_COVERED_OFFSET, frameLength - CRC_COVERED_OFFSET));
            return frameLength;
        }
        catch (final RuntimeException ex)
        {
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
                for (int i = 0; i < batch.size(); i++)
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
        ensure(3);
        buffer.putShort(position, (short)op);
        buffer.put(position + 2, causeByte(m.refusalCause(op)));
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
                putLong(m.lastSeen());
                break;
            case BATCH:
                final Batch batch = m.batch();
                ensure(2);
                buffer.putShort(position, (short)batch.size());
                position += 2;
                for (int i = 0; i < batch.size(); i++)
                {
                    ensure(1);
                    if (batch.isUpsert(i))
                    {
                        buffer.put(position++, (byte)BATCH_UPSERT);
                        putRecord(batch.record(i));
                    }
                    else
                    {
                        buffer.put(position++, (byte)BATCH_REMOVE);
                        putId(batch.removeId(i));
                    }
                }
                break;
            case BAN:
            case UNBAN:
                final Ban ban = m.ban();
                ensure(9);
                buffer.put(position, (byte)ban.kind().ordinal());
                buffer.putLong(position + 1, ban.until());
                position += 9;
                putString(ban.value());
                break;
            default:
                break;
        }
    }

    private void putRecord(final PeerRecord r)
    {
        ensure(RECORD_FIXED_LENGTH);
        putId(r.id());
        final int p = position;
        buffer.putLong(p, r.version());
        buffer.putLong(p + 8, r.lastSeen());
        buffer.putLong(p + 16, JournalDescriptor.RESERVED_FIRST_SEEN);
        buffer.putLong(p + 24, r.votingPower());
        buffer.putLong(p + 32, Double.doubleToRawLongBits(r.trust()));
        buffer.putLong(p + 40, Double.doubleToRawLongBits(r.routeQuality()));
        buffer.put(p + 48, (byte)r.hopCount());
        buffer.put(p + 49, (byte)r.tier().ordinal());
        buffer.put(p + 50, (byte)r.nodeType().ordinal());
        buffer.put(p + 51, (byte)r.discovery().ordinal());
        final NodeId nextHop = r.nextHop();
        final int flags = (r.authenticated() ? FLAG_AUTHENTICATED : 0) | (r.quantumSecure() ? FLAG_QUANTUM_SECURE : 0) |
            (r.pinned() ? FLAG_PINNED : 0) | (null != nextHop ? FLAG_NEXT_HOP : 0);
        final List<Endpoint> endpoints = r.endpoints();
        buffer.put(p + 52, (byte)flags);
        buffer.put(p + 53, (byte)endpoints.size());
        buffer.putShort(p + 54, (short)0);
        position = p + 56;
        if (null != nextHop)
        {
            putId(nextHop);
        }
        putString(r.did());
        putString(r.device());
        final PublicKey key = r.publicKey();
        final int keyLength = key.length();
        ensure(2 + keyLength);
        buffer.putShort(position, (short)keyLength);
        position += 2;
        for (int i = 0; i < keyLength; i++)
        {
            buffer.put(position++, key.byteAt(i));
        }
        for (int i = 0, n = endpoints.size(); i < n; i++)
        {
            final Endpoint e = endpoints.get(i);
            ensure(17);
            buffer.put(position, (byte)e.protocol().ordinal());
            buffer.putLong(position + 1, e.latencyMs());
            buffer.putLong(position + 9, Double.doubleToRawLongBits(e.signal()));
            position += 17;
            putString(e.address());
        }
    }

    private void putId(final NodeId id)
    {
        ensure(ID_LENGTH);
        for (int w = 0; w < 4; w++)
        {
            buffer.putLong(position + 8 * w, id.word(w));
        }
        position += ID_LENGTH;
    }

    private void putLong(final long value)
    {
        ensure(8);
        buffer.putLong(position, value);
        position += 8;
    }

    /** UTF-8 without a String.getBytes copy; a lone surrogate becomes '?', as String.getBytes does. */
    private void putString(final CharSequence s)
    {
        ensure(2);
        if (null == s)
        {
            buffer.putShort(position, (short)NULL_STRING);
            position += 2;
            return;
        }
        final int lengthAt = position;
        position += 2;
        final int chars = s.length();
        ensure(chars * 3);
        for (int i = 0; i < chars; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                buffer.put(position++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.put(position++, (byte)(0xC0 | (c >> 6)));
                buffer.put(position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer.put(position++, (byte)(0xF0 | (cp >> 18)));
                buffer.put(position++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.put(position++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.put(position++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.put(position++, (byte)'?');
            }
            else
            {
                buffer.put(position++, (byte)(0xE0 | (c >> 12)));
                buffer.put(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.put(position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        final int bytes = position - lengthAt - 2;
        if (bytes > MAX_STRING_BYTES)
        {
            throw new IllegalArgumentException("a string of " + bytes + " UTF-8 bytes exceeds " + MAX_STRING_BYTES +
                ": " + s.subSequence(0, Math.min(40, chars)) + "...");
        }
        buffer.putShort(lengthAt, (short)bytes);
    }

    private int crc(final int offset, final int length)
    {
        return crc(crc, buffer, offset, length);
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

    private void ensure(final int bytes)
    {
        final long needed = (long)position + bytes;
        if (needed > buffer.capacity())
        {
            if (needed - frameStart > MAX_FRAME_LENGTH)
            {
                throw new IllegalArgumentException("a frame would exceed " + MAX_FRAME_LENGTH + " bytes");
            }
            final ByteBuffer bigger = ByteBuffer.allocateDirect((int)Math.min(Integer.MAX_VALUE - 8,
                Math.max(needed, 2L * buffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
            buffer.limit(position).position(0);
            bigger.put(buffer);
            buffer.clear();
            bigger.clear();
            buffer = bigger;
        }
    }
}
