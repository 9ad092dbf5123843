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
 * purpose.
 */
final class FrameChecker
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
    private ByteBuffer buffer;
    private int position;
    private int end;

    /**
     * @throws FrameDecoder.MalformedRecordException when the layout is wrong (allocates only then).
     */
    void check(final ByteBuffer buffer, final int start, final int length, final boolean allowTrailing)
    {
        this.buffer = buffer;
        this.position = start + BODY_OFFSET;
        this.end = start + length;
        try
        {
            final int kind = buffer.get(start + KIND_OFFSET);
            range(kind, KINDS, "op kind");
            range(buffer.get(start + OUTCOME_CODE_OFFSET), CODES, "outcome code");
            cause(buffer.get(start + ABORT_CAUSE_OFFSET));
            if (buffer.get(start + FRAME_RESERVED_OFFSET) != 0 && !allowTrailing)
            {
                throw malformed("reserved byte is not zero");
            }
            final int refusalCount = buffer.getShort(start + REFUSAL_COUNT_OFFSET) & 0xFFFF;
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
                    need(3);
                    final int op = buffer.getShort(position) & 0xFFFF;
                    cause(buffer.get(position + 2));
                    position += 3;
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
                skip(ID_LENGTH + 8);
            }
            else if (kind == BATCH)
            {
                batch(refusalCount > 0);
            }
            else if (kind == MutationKind.BAN.ordinal() || kind == MutationKind.UNBAN.ordinal())
            {
                need(9);
                range(buffer.get(position), BAN_KINDS, "ban kind");
                position += 9;
                string(true, "ban value");
            }
            if (position != end && !allowTrailing)
            {
                throw malformed((end - position) + " bytes after the op");
            }
        }
        finally
        {
            this.buffer = null;
        }
    }

    private void batch(final boolean hasRefusals)
    {
        need(2);
        final int count = buffer.getShort(position) & 0xFFFF;
        position += 2;
        if (count == 0 || count > Limits.MAX_BATCH_OPS)
        {
            throw malformed("a batch of " + count + " ops");
        }
        for (int i = 0; i < count; i++)
        {
            need(1);
            final int tag = buffer.get(position++);
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
        need(RECORD_FIXED_LENGTH);
        final int p = position + ID_LENGTH;
        range(buffer.get(p + 49), TIERS, "tier");
        range(buffer.get(p + 50), NODE_TYPES, "node type");
        range(buffer.get(p + 51), DISCOVERIES, "discovery");
        final int flags = buffer.get(p + 52) & 0xFF;
        final int endpointCount = buffer.get(p + 53) & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0 || buffer.getShort(p + 54) != 0)
        {
            throw malformed("unknown flags " + flags + " or reserved bytes set");
        }
        if (buffer.getLong(p + 16) != RESERVED_FIRST_SEEN)
        {
            throw malformed("the record's reserved field (once firstSeen) is " + buffer.getLong(p + 16) + ", not " +
                RESERVED_FIRST_SEEN);
        }
        if (endpointCount > Limits.MAX_ENDPOINTS)
        {
            throw malformed(endpointCount + " endpoints");
        }
        position = p + 56;
        if ((flags & FLAG_NEXT_HOP) != 0)
        {
            skip(ID_LENGTH);
        }
        string(true, "did");
        string(true, "device");
        need(2);
        final int keyLength = buffer.getShort(position) & 0xFFFF;
        position += 2;
        skip(keyLength);
        for (int i = 0; i < endpointCount; i++)
        {
            need(17);
            range(buffer.get(position), PROTOCOLS, "protocol");
            position += 17;
            string(true, "address");
        }
    }

    private void string(final boolean required, final String what)
    {
        need(2);
        final int length = buffer.getShort(position) & 0xFFFF;
        position += 2;
        if (length == NULL_STRING)
        {
            if (required)
            {
                throw malformed(what + " is null");
            }
            return;
        }
        skip(length);
    }

    private void skip(final int bytes)
    {
        need(bytes);
        position += bytes;
    }

    private void need(final int bytes)
    {
        if (bytes > end - position)
        {
            throw malformed("the frame ends inside a field");
        }
    }

    private static void cause(final byte value)
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

    private static FrameDecoder.MalformedRecordException malformed(final String message)
    {
        return new FrameDecoder.MalformedRecordException(message, null);
    }
}
