package io.peerlane.journal;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.state.CommitResult;
import org.agrona.UnsafeApi;
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
 * The writer asks {@link #maxFrameLength} before it encodes, so a frame always fits the mapping: one check
 * of that bound against the mapping stands for every store of the frame, which then goes to memory
 * unchecked (Agrona's {@code UnsafeApi}, little-endian whatever the platform). A frame is published by its length word, written last, after a release
 * fence: until then the frame's slot reads as length 0, which a reader takes for the unwritten end of the
 * journal. A process killed at any instruction therefore leaves either the whole frame or a slot of
 * length 0 (see {@link JournalDescriptor}, "Torn tails").
 * <p>
 * An encoder writes one major version: {@link JournalDescriptor#MAJOR_VERSION} (2, integers as varints) for
 * the journal writer, {@link JournalDescriptor#MAJOR_VERSION_1} for the frames a {@link FrameCodec} carries
 * and for tests of the older layout. Version 2 writes each string's exact UTF-8 length before its bytes, as a
 * varint; the bytes are stored first, in one pass, and moved up in the rare case of a count wider than one
 * byte (127 bytes or more), rather than walked twice, to count and then to store.
 */
final class FrameEncoder
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final int majorVersion;
    /** Version 2's packed layout (varints), else version 1's fixed offsets. */
    private final boolean packed;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    /**
     * The header as it will be, magic included, for its CRC: computing the CRC in the mapping would need the
     * magic stored there first, and a writer killed then would leave a header that has its magic but not its
     * CRC, which reads as damage rather than as unwritten space. Allocated once, with the encoder.
     */
    private final UnsafeBuffer headerScratch = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADER_LENGTH));
    private long address;
    private int capacity;
    private int position;

    /** An encoder of the version this writer writes, {@link JournalDescriptor#MAJOR_VERSION}. */
    FrameEncoder()
    {
        this(MAJOR_VERSION);
    }

    /** @param majorVersion {@link JournalDescriptor#MAJOR_VERSION} or {@link JournalDescriptor#MAJOR_VERSION_1}. */
    FrameEncoder(final int majorVersion)
    {
        if (majorVersion != MAJOR_VERSION && majorVersion != MAJOR_VERSION_1)
        {
            throw new IllegalArgumentException("major version " + majorVersion + ": this encoder writes " +
                MAJOR_VERSION_1 + " or " + MAJOR_VERSION);
        }
        this.majorVersion = majorVersion;
        this.packed = majorVersion >= 2;
    }

    int majorVersion()
    {
        return majorVersion;
    }

    /** Points the encoder at new memory: a segment's mapping. */
    void wrap(final ByteBuffer target)
    {
        buffer.wrap(target);
        address = buffer.addressOffset();
        capacity = buffer.capacity();
    }

    /** Lets go of the memory (before it is unmapped). */
    void release()
    {
        buffer.wrap(0, 0);
        address = 0;
        capacity = 0;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Writes a segment header at offset 0. The CRC is computed over the header as it will be (magic included)
     * in a scratch buffer; then every field but the magic goes to the mapping, then the CRC, a release fence,
     * and the magic last. A writer killed at any point before that last store leaves magic 0 (space the reader
     * takes for the torn tail when no record follows); the mapping never holds the magic with a CRC that
     * does not match.
     */
    void encodeHeader(
        final long segmentIndex,
        final long firstSequence,
        final long previousLastSequence,
        final long creationTime,
        final long segmentLength)
    {
        final UnsafeBuffer h = headerScratch;
        h.putLong(MAGIC_OFFSET, MAGIC, LE);
        putHeaderFields(h, majorVersion, segmentIndex, firstSequence, previousLastSequence, creationTime,
            segmentLength);
        final int crc = crc(h, 0, HEADER_CRC_OFFSET);

        final UnsafeBuffer b = buffer;
        putHeaderFields(b, majorVersion, segmentIndex, firstSequence, previousLastSequence, creationTime,
            segmentLength);
        b.putInt(HEADER_CRC_OFFSET, crc, LE);
        VarHandle.releaseFence();
        b.putLong(MAGIC_OFFSET, MAGIC, LE);
    }

    /** Every header field but the magic and the CRC. */
    private static void putHeaderFields(
        final UnsafeBuffer b,
        final int majorVersion,
        final long segmentIndex,
        final long firstSequence,
        final long previousLastSequence,
        final long creationTime,
        final long segmentLength)
    {
        b.putShort(MAJOR_VERSION_OFFSET, (short)majorVersion, LE);
        b.putShort(MINOR_VERSION_OFFSET, (short)MINOR_VERSION, LE);
        b.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH, LE);
        b.putLong(SEGMENT_INDEX_OFFSET, segmentIndex, LE);
        b.putLong(FIRST_SEQUENCE_OFFSET, firstSequence, LE);
        b.putLong(CREATION_TIME_OFFSET, creationTime, LE);
        b.putLong(SEGMENT_LENGTH_OFFSET, segmentLength, LE);
        b.putLong(PREVIOUS_LAST_SEQUENCE_OFFSET, previousLastSequence, LE);
        b.putInt(HEADER_RESERVED_OFFSET, 0, LE);
    }

    /**
     * An upper bound of the frame's length in either version, computed from lengths alone (3 UTF-8 bytes a
     * char, every integer at its widest).
     *
     * @throws IllegalArgumentException when a string is longer than the layout allows.
     */
    static long maxFrameLength(final Mutation m, final CommitResult outcome)
    {
        // Version 2's fixed part at its widest: three enum bytes, four varints of up to 10 bytes and the
        // refusal count (a varint of at most 3 bytes) is 58 bytes, against version 1's 48.
        long n = CRC_COVERED_OFFSET + 3 + 4 * MAX_VARINT_LENGTH + 3 + maxString(outcome.reason());
        switch (m.kind())
        {
            case UPSERT:
                n += maxRefusal(m, 0) + maxRecord(m.record());
                break;
            case REMOVE:
                n += ID_LENGTH;
                break;
            case TOUCH:
                n += ID_LENGTH + MAX_VARINT_LENGTH;
                break;
            case BATCH:
                final Batch batch = m.batch();
                n += 3;
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    n += 1 + (batch.isUpsert(i) ? maxRefusal(m, i) + maxRecord(batch.record(i)) : ID_LENGTH);
                }
                break;
            case BAN:
            case UNBAN:
                n += 1 + MAX_VARINT_LENGTH + maxString(m.ban().value());
                break;
            default:
                break;
        }
        return n;
    }

    private static long maxRefusal(final Mutation m, final int op)
    {
        final String observer = m.refusedBy(op);
        return null == observer ? 0 : 4 + maxString(observer);
    }

    private static long maxRecord(final PeerRecord r)
    {
        // Version 1's fixed part (88 bytes) is wider than version 2's at its widest (32 + 3 * 10 + 16 + 6).
        long n = RECORD_FIXED_LENGTH + (null != r.nextHop() ? ID_LENGTH : 0) + maxString(r.did()) +
            maxString(r.device()) + 3 + r.publicKey().length();
        final List<Endpoint> endpoints = r.endpoints();
        for (int i = 0, size = endpoints.size(); i < size; i++)
        {
            n += 1 + MAX_VARINT_LENGTH + 8 + maxString(endpoints.get(i).address());
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
        return 3 + 3L * chars;
    }

    /**
     * Encodes one frame at {@code start}, the length word last. The frame's stores go to the mapped memory
     * unchecked, one check of {@code maxLength} (the frame's {@link #maxFrameLength}) against the mapping
     * standing for them all.
     *
     * @param maxLength the frame's {@link #maxFrameLength}.
     * @return the frame's length.
     * @throws IllegalArgumentException when a string or the frame is longer than the layout allows; every
     *                                  byte written is zeroed again, so the slot still reads as unwritten.
     */
    int encodeFrame(
        final int start,
        final long maxLength,
        final long sequence,
        final long time,
        final Mutation m,
        final CommitResult outcome)
    {
        if (start < HEADER_LENGTH || start + maxLength > capacity)
        {
            throw new IllegalStateException("a frame of up to " + maxLength + " bytes at " + start +
                " does not fit a mapping of " + capacity);
        }
        final UnsafeBuffer b = buffer;
        position = start;
        try
        {
            final MutationKind kind = m.kind();
            putByte(start + KIND_OFFSET, (byte)kind.ordinal());
            putByte(start + OUTCOME_CODE_OFFSET, (byte)outcome.code().ordinal());
            putByte(start + ABORT_CAUSE_OFFSET, causeByte(outcome.cause()));
            if (packed)
            {
                position = start + ABORT_CAUSE_OFFSET + 1;
                putZigzag(sequence);
                putZigzag(time);
                putZigzag(outcome.time() - time);
                putZigzag(outcome.failedOp());
                putVarint(refusalCount(m));
                putString(outcome.reason());
                putRefusals(m);
            }
            else
            {
                putByte(start + FRAME_RESERVED_OFFSET, (byte)0);
                putLong(start + SEQUENCE_OFFSET, sequence);
                putLong(start + TIME_OFFSET, time);
                putLong(start + OUTCOME_TIME_OFFSET, outcome.time());
                putInt(start + FAILED_OP_OFFSET, outcome.failedOp());
                putShort(start + REFUSAL_RESERVED_OFFSET, (short)0);
                position = start + BODY_OFFSET;
                putString(outcome.reason());
                putShort(start + REFUSAL_COUNT_OFFSET, (short)putRefusals(m));
            }
            putOp(kind, m, time);

            final long length = (long)position - start;
            if (length > MAX_FRAME_LENGTH)
            {
                throw new IllegalArgumentException("a frame of " + length + " bytes exceeds " + MAX_FRAME_LENGTH);
            }
            final int frameLength = (int)length;
            putInt(start + CRC_OFFSET, crc(b, start + CRC_COVERED_OFFSET, frameLength - CRC_COVERED_OFFSET));
            putInt(start + LENGTH_CHECK_OFFSET, ~frameLength);
            VarHandle.releaseFence();
            putInt(start + FRAME_LENGTH_OFFSET, frameLength);
            return frameLength;
        }
        catch (final RuntimeException ex)
        {
            b.setMemory(start, position - start, (byte)0);
            position = start;
            throw ex;
        }
    }

    /** @return how many of the op's upserts carry a refusal. */
    private static int refusalCount(final Mutation m)
    {
        int count = 0;
        switch (m.kind())
        {
            case UPSERT:
                count += null != m.refusedBy(0) ? 1 : 0;
                break;
            case BATCH:
                final Batch batch = m.batch();
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    count += batch.isUpsert(i) && null != m.refusedBy(i) ? 1 : 0;
                }
                break;
            default:
                break;
        }
        return count;
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
        if (packed)
        {
            putVarint(op);
        }
        else
        {
            putShort(position, (short)op);
            position += 2;
        }
        putByte(position++, causeByte(m.refusalCause(op)));
        putString(observer);
        return 1;
    }

    private void putOp(final MutationKind kind, final Mutation m, final long time)
    {
        switch (kind)
        {
            case UPSERT:
                putRecord(m.record(), time);
                break;
            case REMOVE:
                putId(m.id());
                break;
            case TOUCH:
                putId(m.id());
                putWide(m.lastSeen(), time);
                break;
            case BATCH:
                final Batch batch = m.batch();
                putCount(batch.size());
                for (int i = 0, size = batch.size(); i < size; i++)
                {
                    if (batch.isUpsert(i))
                    {
                        putByte(position++, (byte)BATCH_UPSERT);
                        putRecord(batch.record(i), time);
                    }
                    else
                    {
                        putByte(position++, (byte)BATCH_REMOVE);
                        putId(batch.removeId(i));
                    }
                }
                break;
            case BAN:
            case UNBAN:
                final Ban ban = m.ban();
                putByte(position++, (byte)ban.kind().ordinal());
                putWide(ban.until(), 0);
                putString(ban.value());
                break;
            default:
                break;
        }
    }

    private void putRecord(final PeerRecord r, final long time)
    {
        putId(r.id());
        if (packed)
        {
            putZigzag(r.version());
            putZigzag(r.lastSeen() - time);
            putZigzag(r.votingPower());
            putLong(position, Double.doubleToRawLongBits(r.trust()));
            putLong(position + 8, Double.doubleToRawLongBits(r.routeQuality()));
            position += 16;
        }
        else
        {
            final int p = position;
            putLong(p, r.version());
            putLong(p + 8, r.lastSeen());
            putLong(p + 16, JournalDescriptor.RESERVED_FIRST_SEEN);
            putLong(p + 24, r.votingPower());
            putLong(p + 32, Double.doubleToRawLongBits(r.trust()));
            putLong(p + 40, Double.doubleToRawLongBits(r.routeQuality()));
            position = p + 48;
        }
        final int p = position;
        putByte(p, (byte)r.hopCount());
        putByte(p + 1, (byte)r.tier().ordinal());
        putByte(p + 2, (byte)r.nodeType().ordinal());
        putByte(p + 3, (byte)r.discovery().ordinal());
        final NodeId nextHop = r.nextHop();
        final int flags = (r.authenticated() ? FLAG_AUTHENTICATED : 0) | (r.quantumSecure() ? FLAG_QUANTUM_SECURE : 0) |
            (r.pinned() ? FLAG_PINNED : 0) | (null != nextHop ? FLAG_NEXT_HOP : 0);
        final List<Endpoint> endpoints = r.endpoints();
        putByte(p + 4, (byte)flags);
        putByte(p + 5, (byte)endpoints.size());
        position = p + 6;
        if (!packed)
        {
            putShort(position, (short)0);
            position += 2;
        }
        if (null != nextHop)
        {
            putId(nextHop);
        }
        putString(r.did());
        putString(r.device());
        final PublicKey key = r.publicKey();
        final int keyLength = key.length();
        putCount(keyLength);
        for (int i = 0; i < keyLength; i++)
        {
            putByte(position++, key.byteAt(i));
        }
        for (int i = 0, n = endpoints.size(); i < n; i++)
        {
            final Endpoint e = endpoints.get(i);
            putByte(position++, (byte)e.protocol().ordinal());
            putWide(e.latencyMs(), 0);
            putLong(position, Double.doubleToRawLongBits(e.signal()));
            position += 8;
            putString(e.address());
        }
    }

    /**
     * A 64-bit field: version 1's fixed eight bytes of {@code value}, version 2's zigzag of
     * {@code value - base} (a time against the frame's event time, or anything against 0).
     */
    private void putWide(final long value, final long base)
    {
        if (packed)
        {
            putZigzag(value - base);
        }
        else
        {
            putLong(position, value);
            position += 8;
        }
    }

    /** A count or length below 2^16: version 1's u16, version 2's varint. */
    private void putCount(final int count)
    {
        if (packed)
        {
            putVarint(count);
        }
        else
        {
            putShort(position, (short)count);
            position += 2;
        }
    }

    private void putZigzag(final long value)
    {
        putVarint((value << 1) ^ (value >> 63));
    }

    private void putVarint(final long value)
    {
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            putByte(position++, (byte)(v | 0x80));
            v >>>= 7;
        }
        putByte(position++, (byte)v);
    }

    private void putId(final NodeId id)
    {
        for (int w = 0; w < 4; w++)
        {
            putLong(position + 8 * w, id.word(w));
        }
        position += ID_LENGTH;
    }

    /**
     * UTF-8 without a String.getBytes copy; a lone surrogate becomes '?', as String.getBytes does. Both versions
     * store the bytes first, in one pass: version 1 fills in its u16 byte count after them; version 2 keeps
     * one byte for its varint count and moves the bytes up when the count needs two or three.
     */
    private void putString(final CharSequence s)
    {
        if (null == s)
        {
            if (packed)
            {
                putByte(position++, (byte)0);
            }
            else
            {
                putShort(position, (short)NULL_STRING);
                position += 2;
            }
            return;
        }
        if (packed)
        {
            // The bytes go first, after one byte kept for the length; a length of 127 bytes or more then moves
            // them up by the one or two bytes more its varint takes (the frame's bound counts 3 for it).
            final int lengthAt = position++;
            putUtf8(s);
            final int bytes = position - lengthAt - 1;
            if (bytes > MAX_STRING_BYTES)
            {
                throw tooLong(s, bytes);
            }
            final long value = bytes + 1L;
            if (value < 0x80)
            {
                putByte(lengthAt, (byte)value);
                return;
            }
            final int shift = value < 0x4000 ? 1 : 2;
            // From the last byte down, as the bytes move onto themselves.
            for (int i = position - 1; i > lengthAt; i--)
            {
                putByte(i + shift, UnsafeApi.getByte(null, address + i));
            }
            position = lengthAt;
            putVarint(value);
            position += bytes;
            return;
        }
        final int lengthAt = position;
        position += 2;
        putUtf8(s);
        final int bytes = position - lengthAt - 2;
        if (bytes > MAX_STRING_BYTES)
        {
            throw tooLong(s, bytes);
        }
        putShort(lengthAt, (short)bytes);
    }

    private void putUtf8(final CharSequence s)
    {
        final int chars = s.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                putByte(position++, (byte)c);
            }
            else if (c < 0x800)
            {
                putByte(position++, (byte)(0xC0 | (c >> 6)));
                putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                putByte(position++, (byte)(0xF0 | (cp >> 18)));
                putByte(position++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                putByte(position++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                putByte(position++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                putByte(position++, (byte)'?');
            }
            else
            {
                putByte(position++, (byte)(0xE0 | (c >> 12)));
                putByte(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
    }

    private static IllegalArgumentException tooLong(final CharSequence s, final int size)
    {
        return new IllegalArgumentException("a string of " + size + " (chars or UTF-8 bytes) exceeds " +
            MAX_STRING_BYTES + " UTF-8 bytes: " + s.subSequence(0, Math.min(40, s.length())) + "...");
    }

    private void putByte(final int index, final byte value)
    {
        UnsafeApi.putByte(null, address + index, value);
    }

    private void putShort(final int index, final short value)
    {
        UnsafeApi.putShortUnaligned(null, address + index, value, false);
    }

    private void putInt(final int index, final int value)
    {
        UnsafeApi.putIntUnaligned(null, address + index, value, false);
    }

    private void putLong(final int index, final long value)
    {
        UnsafeApi.putLongUnaligned(null, address + index, value, false);
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
