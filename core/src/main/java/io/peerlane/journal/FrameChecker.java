package io.peerlane.journal;

import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.Tier;

import java.nio.ByteBuffer;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Walks the body of a frame that has passed its CRC and checks its layout in place, allocating nothing: every
 * enum ordinal, flag, reserved field, count and string length the {@link FrameDecoder} reads, and that the
 * fields fill the frame exactly. It builds no value, so what only the peer model checks (a DID's syntax, a
 * trust in [0, 1], a CIDR) is left to reading; a writer only ever records values the model accepted, so a
 * frame that passes its CRC and this walk but not the model can only come from bytes re-checksummed on
 * purpose. Walks either major version's layout through {@link FrameCursor}'s primitives, as {@link FrameDecoder}
 * reads it.
 */
final class FrameChecker extends FrameCursor
{
    private static final int KINDS = MutationKind.values().length;
    private static final int CODES = OutcomeCode.values().length;
    private static final int CAUSES = AbortCause.values().length;
    private static final int TIERS = Tier.values().length;
    private static final int NODE_TYPES = NodeType.values().length;
    private static final int DISCOVERIES = Discovery.values().length;
    private static final int PROTOCOLS = Protocol.values().length;
    private static final int BAN_KINDS = BanKind.values().length;
    private static final int UPSERT = MutationKind.UPSERT.ordinal();
    private static final int BATCH = MutationKind.BATCH.ordinal();

    /** Ops of the frame that have a refusal, one bit each; cleared per frame. */
    private final long[] refused = new long[Limits.MAX_BATCH_OPS / 64];

    /**
     * @param packed whether the frame is version 2's.
     * @throws FrameDecoder.MalformedRecordException when the layout is wrong (allocates only then).
     */
    void check(
        final ByteBuffer buffer, final int start, final int length, final boolean allowTrailing, final boolean packed)
    {
        wrap(buffer, start + KIND_OFFSET, start + length, packed);
        try
        {
            final int kind = u8();
            range(kind, KINDS, "op kind");
            range(u8(), CODES, "outcome code");
            cause(u8());
            frameNumbers(start, allowTrailing);
            final int refusalCount = frameRefusalCount;
            string(false, "reason");
            final int opCount = kind == BATCH ? Limits.MAX_BATCH_OPS : 1;
            if (refusalCount > 0)
            {
                if (kind != UPSERT && kind != BATCH)
                {
                    throw malformed("a " + MutationKind.values()[kind] + " has refusals");
                }
                if (refusalCount > opCount)
                {
                    throw malformed(refusalCount + " refusals");
                }
                java.util.Arrays.fill(refused, 0);
                for (int i = 0; i < refusalCount; i++)
                {
                    final int op = count();
                    cause(u8());
                    if (op >= opCount || (refused[op >>> 6] & (1L << op)) != 0)
                    {
                        throw malformed("refusal of op " + op);
                    }
                    refused[op >>> 6] |= 1L << op;
                    string(true, "observer name");
                }
            }
            if (kind == UPSERT)
            {
                record();
            }
            else if (kind == MutationKind.REMOVE.ordinal())
            {
                skip(ID_LENGTH);
            }
            else if (kind == MutationKind.TOUCH.ordinal())
            {
                skip(ID_LENGTH);
                wide(0);
            }
            else if (kind == BATCH)
            {
                batch(refusalCount > 0);
            }
            else if (kind == MutationKind.BAN.ordinal() || kind == MutationKind.UNBAN.ordinal())
            {
                range(u8(), BAN_KINDS, "ban kind");
                wide(0);
                string(true, "ban value");
            }
            if (position != end && !allowTrailing)
            {
                throw malformed((end - position) + " bytes after the op");
            }
        }
        finally
        {
            release();
        }
    }

    private void batch(final boolean hasRefusals)
    {
        final int count = count();
        if (count == 0 || count > Limits.MAX_BATCH_OPS)
        {
            throw malformed("a batch of " + count + " ops");
        }
        for (int i = 0; i < count; i++)
        {
            final int tag = u8();
            if (tag == BATCH_UPSERT)
            {
                record();
            }
            else if (tag == BATCH_REMOVE)
            {
                if (hasRefusals && (refused[i >>> 6] & (1L << i)) != 0)
                {
                    throw malformed("refusal of op " + i + ", which is no upsert");
                }
                skip(ID_LENGTH);
            }
            else
            {
                throw malformed("batch op tag " + tag);
            }
        }
        if (hasRefusals)
        {
            for (int op = count; op < Limits.MAX_BATCH_OPS; op++)
            {
                if ((refused[op >>> 6] & (1L << op)) != 0)
                {
                    throw malformed("refusal of op " + op + ", which is no upsert");
                }
            }
        }
    }

    private void record()
    {
        skip(ID_LENGTH);
        if (packed)
        {
            varint();   // version
            varint();   // last seen
            varint();   // voting power
            skip(16);   // trust, route quality
        }
        else
        {
            need(V1_RECORD_NUMBERS);
            final long reserved = buffer.getLong(position + 16);
            if (reserved != RESERVED_FIRST_SEEN)
            {
                throw malformed("the record's reserved field (once firstSeen) is " + reserved + ", not " +
                    RESERVED_FIRST_SEEN);
            }
            position += V1_RECORD_NUMBERS;
        }
        final int p = recordBytes();
        range(buffer.get(p + 1), TIERS, "tier");
        range(buffer.get(p + 2), NODE_TYPES, "node type");
        range(buffer.get(p + 3), DISCOVERIES, "discovery");
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
        if ((flags & FLAG_NEXT_HOP) != 0)
        {
            skip(ID_LENGTH);
        }
        string(true, "did");
        string(true, "device");
        skip(count());
        for (int i = 0; i < endpointCount; i++)
        {
            range(u8(), PROTOCOLS, "protocol");
            wide(0);
            skip(8);
            string(true, "address");
        }
    }

    private void string(final boolean required, final String what)
    {
        final int length = stringLength();
        if (length < 0)
        {
            if (required)
            {
                throw malformed(what + " is null");
            }
            return;
        }
        position += length;
    }

    private static void cause(final int value)
    {
        if (value != NO_CAUSE)
        {
            range(value - 1, CAUSES, "abort cause");
        }
    }

    private static void range(final int ordinal, final int count, final String what)
    {
        if (ordinal < 0 || ordinal >= count)
        {
            throw malformed(what + " " + ordinal);
        }
    }
}
