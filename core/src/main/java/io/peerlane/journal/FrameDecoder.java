package io.peerlane.journal;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Decodes the body of a frame that has passed its CRC. Every read is bounded by the frame and every value
 * goes through the peer model's validation, so even a frame whose CRC matched by chance yields either a
 * valid entry or a {@link MalformedRecordException}, never anything else. Reads either major version's layout
 * ({@link JournalDescriptor}) through {@link FrameCursor}'s primitives, as {@link FrameChecker} walks it.
 */
final class FrameDecoder extends FrameCursor
{
    private static final MutationKind[] KINDS = MutationKind.values();
    private static final OutcomeCode[] CODES = OutcomeCode.values();
    private static final AbortCause[] CAUSES = AbortCause.values();
    private static final Tier[] TIERS = Tier.values();
    private static final NodeType[] NODE_TYPES = NodeType.values();
    private static final Discovery[] DISCOVERIES = Discovery.values();
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final BanKind[] BAN_KINDS = BanKind.values();

    /** A frame body that does not decode; the reader turns it into a {@link JournalCorruptException}. */
    static final class MalformedRecordException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    /**
     * @param buffer        holds the frame, little-endian.
     * @param start         index of the frame's first byte in {@code buffer}.
     * @param length        the frame's length.
     * @param file          the segment, for the entry.
     * @param fileOffset    the frame's offset in the segment, for the entry.
     * @param allowTrailing whether bytes after the known fields are allowed (a newer minor version).
     * @param packed        whether the frame is version 2's.
     * @return the entry.
     * @throws MalformedRecordException when the body does not decode.
     */
    JournalEntry decode(
        final ByteBuffer buffer,
        final int start,
        final int length,
        final Path file,
        final long fileOffset,
        final boolean allowTrailing,
        final boolean packed)
    {
        wrap(buffer, start + KIND_OFFSET, start + length, packed);
        try
        {
            final MutationKind kind = enumAt(KINDS, u8(), "op kind");
            final OutcomeCode code = enumAt(CODES, u8(), "outcome code");
            final AbortCause cause = cause(u8());
            frameNumbers(start, allowTrailing);
            final long sequence = frameSequence;
            final long time = frameTime;
            final int refusalCount = frameRefusalCount;
            final String reason = string();

            final int opCount = kind == MutationKind.BATCH ? Limits.MAX_BATCH_OPS : 1;
            String[] refusedBy = null;
            AbortCause[] refusalCauses = null;
            if (refusalCount > 0)
            {
                if (kind != MutationKind.UPSERT && kind != MutationKind.BATCH)
                {
                    throw malformed("a " + kind + " has refusals");
                }
                if (refusalCount > opCount)
                {
                    throw malformed(refusalCount + " refusals");
                }
                refusedBy = new String[opCount];
                refusalCauses = new AbortCause[opCount];
                for (int i = 0; i < refusalCount; i++)
                {
                    final int op = count();
                    final AbortCause refusalCause = cause(u8());
                    if (op >= opCount || null != refusedBy[op])
                    {
                        throw malformed("refusal of op " + op);
                    }
                    refusedBy[op] = requireString("observer name");
                    refusalCauses[op] = refusalCause;
                }
            }

            PeerRecord record = null;
            NodeId id = null;
            long lastSeen = 0;
            Batch batch = null;
            Ban ban = null;
            switch (kind)
            {
                case UPSERT:
                    record = record("peer", time);
                    break;
                case REMOVE:
                    id = id();
                    break;
                case TOUCH:
                    id = id();
                    lastSeen = wide(time);
                    break;
                case BATCH:
                    batch = batch(time);
                    if (null != refusedBy)
                    {
                        for (int op = 0; op < opCount; op++)
                        {
                            if (null != refusedBy[op] && (op >= batch.size() || !batch.isUpsert(op)))
                            {
                                throw malformed("refusal of op " + op + ", which is no upsert");
                            }
                        }
                    }
                    break;
                case BAN:
                case UNBAN:
                    final BanKind banKind = enumAt(BAN_KINDS, u8(), "ban kind");
                    final long until = wide(0);
                    ban = Ban.of(banKind, requireString("ban value"), until);
                    break;
                default:
                    break;
            }
            if (position != end && !allowTrailing)
            {
                throw malformed((end - position) + " bytes after the op");
            }
            final MutationValue mutation =
                new MutationValue(kind, time, record, id, lastSeen, batch, ban, refusedBy, refusalCauses);
            return new JournalEntry(file, fileOffset, sequence, time, mutation,
                new Outcome(sequence, code, reason, cause, frameFailedOp, frameOutcomeTime));
        }
        catch (final MalformedRecordException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            // The peer model refused a value (InvalidInputException) or an index ran out: the bytes are bad.
            throw new MalformedRecordException(ex.toString(), ex);
        }
        finally
        {
            release();
        }
    }

    private Batch batch(final long time)
    {
        final int count = count();
        if (count == 0 || count > Limits.MAX_BATCH_OPS)
        {
            throw malformed("a batch of " + count + " ops");
        }
        final Batch.Builder builder = Batch.builder();
        for (int i = 0; i < count; i++)
        {
            final int tag = u8();
            if (tag == BATCH_UPSERT)
            {
                builder.upsert(record("ops[" + i + "].peer", time));
            }
            else if (tag == BATCH_REMOVE)
            {
                builder.remove(id());
            }
            else
            {
                throw malformed("batch op tag " + tag);
            }
        }
        return builder.build();
    }

    private PeerRecord record(final String field, final long time)
    {
        final NodeId id = id();
        final PeerRecord.Builder b = PeerRecord.builder(id).fieldPrefix(field);
        if (packed)
        {
            b.version(zigzag()).lastSeen(time + zigzag()).votingPower(zigzag())
                .trust(Double.longBitsToDouble(fixed64())).routeQuality(Double.longBitsToDouble(fixed64()));
        }
        else
        {
            need(V1_RECORD_NUMBERS);
            final int p = position;
            b.version(buffer.getLong(p))
                .lastSeen(buffer.getLong(p + 8))
                .votingPower(buffer.getLong(p + 24))
                .trust(Double.longBitsToDouble(buffer.getLong(p + 32)))
                .routeQuality(Double.longBitsToDouble(buffer.getLong(p + 40)));
            final long reserved = buffer.getLong(p + 16);
            if (reserved != JournalDescriptor.RESERVED_FIRST_SEEN)
            {
                throw malformed("the record's reserved field (once firstSeen) is " + reserved + ", not " +
                    JournalDescriptor.RESERVED_FIRST_SEEN);
            }
            position = p + V1_RECORD_NUMBERS;
        }
        final int p = recordBytes();
        b.hopCount(buffer.get(p) & 0xFF)
            .tier(enumAt(TIERS, buffer.get(p + 1), "tier"))
            .nodeType(enumAt(NODE_TYPES, buffer.get(p + 2), "node type"))
            .discovery(enumAt(DISCOVERIES, buffer.get(p + 3), "discovery"));
        final int flags = buffer.get(p + 4) & 0xFF;
        final int endpointCount = buffer.get(p + 5) & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0 || (!packed && buffer.getShort(p + 6) != 0))
        {
            throw malformed("unknown flags " + flags + " or reserved bytes set");
        }
        if (endpointCount > Limits.MAX_ENDPOINTS)
        {
            throw malformed(endpointCount + " endpoints");
        }
        b.authenticated((flags & FLAG_AUTHENTICATED) != 0)
            .quantumSecure((flags & FLAG_QUANTUM_SECURE) != 0)
            .pinned((flags & FLAG_PINNED) != 0);
        if ((flags & FLAG_NEXT_HOP) != 0)
        {
            b.nextHop(id());
        }
        b.did(requireString("did")).device(requireString("device"));
        final int keyLength = count();
        need(keyLength);
        final byte[] key = new byte[keyLength];
        buffer.get(position, key);
        position += keyLength;
        b.publicKey(PublicKey.fromBytes(field + ".publicKey", key));
        for (int i = 0; i < endpointCount; i++)
        {
            final Protocol protocol = enumAt(PROTOCOLS, u8(), "protocol");
            final long latency = wide(0);
            final double signal = Double.longBitsToDouble(fixed64());
            b.endpoint(Endpoint.of(field + ".endpoints[" + i + "]", requireString("address"), protocol, latency, signal));
        }
        return b.build();
    }

    private NodeId id()
    {
        need(ID_LENGTH);
        final NodeId id = NodeId.of(
            buffer.getLong(position), buffer.getLong(position + 8), buffer.getLong(position + 16),
            buffer.getLong(position + 24));
        position += ID_LENGTH;
        return id;
    }

    private String requireString(final String what)
    {
        final String s = string();
        if (null == s)
        {
            throw malformed(what + " is null");
        }
        return s;
    }

    private String string()
    {
        final int length = stringLength();
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static AbortCause cause(final int value)
    {
        return value == NO_CAUSE ? null : enumAt(CAUSES, value - 1, "abort cause");
    }

    private static <E> E enumAt(final E[] values, final int ordinal, final String what)
    {
        if (ordinal < 0 || ordinal >= values.length)
        {
            throw malformed(what + " " + ordinal);
        }
        return values[ordinal];
    }
}
