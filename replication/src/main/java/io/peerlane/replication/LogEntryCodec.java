package io.peerlane.replication;

import io.peerlane.journal.FrameCodec;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One Raft log entry: a batch of ops, each a journal frame ({@link FrameCodec}) with its votes, so the log
 * carries exactly what the journal records and a follower decodes it with the journal's checks.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic "PLRE" (LE int)                     |
 *  +---------------------------------------------------------------+
 *  |                     op count (LE int)                         |
 *  +---------------------------------------------------------------+
 *  |  frame 0: a journal record frame (JournalDescriptor), its     |
 *  |  length word first, CRC32C checked on decode                  |
 *  +---------------------------------------------------------------+
 *  |  frame 1 ... frame count-1, back to back                      |
 *  +---------------------------------------------------------------+
 * </pre>
 * A frame's sequence field is the op's index in the entry; the log index orders entries. An instance keeps
 * scratch buffers and is for one thread.
 */
final class LogEntryCodec
{
    static final int MAGIC = 0x45524c50;   // "PLRE" little-endian
    static final int HEADER_LENGTH = 8;

    private final FrameCodec frames = new FrameCodec();
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param ops the batch, in the order it is to be applied.
     * @return the entry's bytes (owned by the result: the scratch buffer is not shared).
     */
    ByteString encode(final List<? extends Mutation> ops)
    {
        out.clear();
        out.putInt(MAGIC).putInt(ops.size());
        for (int i = 0, n = ops.size(); i < n; i++)
        {
            final Mutation m = ops.get(i);
            final int max = FrameCodec.maxLength(m);
            if (out.remaining() < max)
            {
                final ByteBuffer grown = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + max))
                    .order(ByteOrder.LITTLE_ENDIAN);
                out.flip();
                grown.put(out);
                out = grown;
            }
            frames.encode(m, i, out);
        }
        final byte[] bytes = new byte[out.position()];
        out.get(0, bytes);
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    /**
     * @param entry an entry's bytes.
     * @return its ops, in order.
     * @throws IllegalArgumentException when the entry is damaged.
     */
    MutationValue[] decode(final ByteString entry)
    {
        final ByteBuffer b = entry.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        final int base = b.position();
        if (b.remaining() < HEADER_LENGTH || b.getInt(base) != MAGIC)
        {
            throw new IllegalArgumentException("not a Peerlane log entry (" + b.remaining() + " bytes)");
        }
        final int count = b.getInt(base + 4);
        if (count < 0 || count > b.remaining() / FrameCodec.MIN_LENGTH)
        {
            throw new IllegalArgumentException("a log entry of " + count + " ops in " + b.remaining() + " bytes");
        }
        final MutationValue[] ops = new MutationValue[count];
        int offset = base + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            ops[i] = frames.decode(b, offset);
            offset += FrameCodec.frameLength(b, offset);
        }
        if (offset != b.limit())
        {
            throw new IllegalArgumentException((b.limit() - offset) + " bytes after the last op of a log entry");
        }
        return ops;
    }
}
