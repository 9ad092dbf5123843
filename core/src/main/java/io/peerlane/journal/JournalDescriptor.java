package io.peerlane.journal;

import java.util.regex.Pattern;

/**
 * The binary layout of a journal: a directory of size-bounded segment files, each a header followed by
 * length-framed records. Every number is little-endian. Every byte a writer produces is covered either by a
 * check (the frame length's complement) or by a CRC32C, so a flipped bit anywhere is found.
 * <p>
 * Segment files are named {@code journal-<index, 10 decimal digits>.seg}; indices are consecutive.
 * <p>
 * <b>Segment header</b> ({@link #HEADER_LENGTH} bytes):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Magic "PLJOURNL" (64)                      |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |        Major Version          |        Minor Version          |
 *  +-------------------------------+-------------------------------+
 *  |                        Header Length                          |
 *  +---------------------------------------------------------------+
 *  |                     Segment Index (64)                        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |           First Sequence (64): sequence of its first record   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Creation Time (64): ms since the epoch           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Segment Length (64): the writer's size bound         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Previous Last Sequence (64): the last record's sequence     |
 *  |   before this segment, -1 when none                           |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (32): zero                      |
 *  +---------------------------------------------------------------+
 *  |          Header CRC32C of bytes 0..59 (and 64..length)        |
 *  +---------------------------------------------------------------+
 * </pre>
 * Previous Last Sequence chains the segments: a segment before the last that lost records at its end, even
 * cleanly at a record boundary, no longer ends at the sequence the next header names, and that is found.
 * The first segment a reader opens may have a predecessor (segments before a snapshot may be pruned).
 * <p>
 * A reader refuses a major version newer than {@link #MAJOR_VERSION}; a newer minor version may add fields
 * at the end of the header (Header Length grows) and at the end of a record body, which an older reader
 * skips.
 * <p>
 * <b>Record frame, version 1</b> (segments of Major Version 1, the version before this writer), straight
 * after the header and after each other, with no padding:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Frame Length (whole frame, this included)        |
 *  +---------------------------------------------------------------+
 *  |                Length Check: ~Frame Length                    |
 *  +---------------------------------------------------------------+
 *  |               CRC32C of bytes 12..Frame Length                |
 *  +---------------+---------------+---------------+---------------+
 *  |  Op Kind      | Outcome Code  | Abort Cause   |  Reserved: 0  |
 *  +---------------+---------------+---------------+---------------+
 *  |                      Ring Sequence (64)                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Event Time (64): the time the commit used          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Outcome Time (64): CommitResult.time()        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Failed Op (-1 when none)                     |
 *  +-------------------------------+-------------------------------+
 *  |        Refusal Count          |         Reserved: 0           |
 *  +-------------------------------+-------------------------------+
 *  |  Reason (string)                                             ...
 *  +---------------------------------------------------------------+
 *  |  Refusals: Refusal Count times                               ...
 *  |    Op Index (u16) | Abort Cause (u8) | Observer Name (string)  |
 *  +---------------------------------------------------------------+
 *  |  Op payload, by Op Kind                                      ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Op Kind is the ordinal of {@code MutationKind}; Outcome Code the ordinal of {@code OutcomeCode}; an Abort
 * Cause is 0 for none, else 1 + the ordinal of {@code AbortCause}. A <i>string</i> is a u16 byte count
 * ({@link #NULL_STRING} for null) then that many bytes of UTF-8. Op payloads:
 * <pre>
 *  UPSERT        peer record
 *  REMOVE        id (32)
 *  TOUCH         id (32) | lastSeen (64)
 *  BATCH         op count (u16) | per op: 1 (u8) + peer record, or 0 (u8) + id (32)
 *  TICK          nothing
 *  BAN, UNBAN    ban kind (u8: BanKind ordinal) | until (64, Long.MAX_VALUE = forever) | value (string)
 * </pre>
 * An id is its four 64-bit words, most significant word first. A <b>peer record</b>:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          Id (256)                            ...
 *  +---------------------------------------------------------------+
 *  |  Version (64) | Last Seen (64) | Reserved (64): must be -1      |
 *  |  Voting Power (64) | Trust (64, IEEE 754) | Route Quality (64) |
 *  +---------------+---------------+---------------+---------------+
 *  |  Hop Count    |  Tier         |  Node Type    |  Discovery    |
 *  +---------------+---------------+---------------+---------------+
 *  |  Flags        | Endpoint Count|         Reserved: 0           |
 *  +---------------+---------------+-------------------------------+
 *  |  Next Hop id (256), only when flag NEXT_HOP is set           ...
 *  |  DID (string) | Device (string)                              ...
 *  |  Public Key Length (u16) | Public Key bytes                  ...
 *  |  Endpoints: Protocol (u8) | Latency (64) | Signal (64) |      |
 *  |             Address (string), Endpoint Count times           ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Flags: {@link #FLAG_AUTHENTICATED}, {@link #FLAG_QUANTUM_SECURE}, {@link #FLAG_PINNED},
 * {@link #FLAG_NEXT_HOP}. Enums are ordinals.
 * <p>
 * <b>Version 2</b> (Major Version 2, what this writer writes) keeps the header, the segment rules and the
 * frame's first twelve bytes (Frame Length, Length Check, CRC32C), and packs the rest, which version 1 lays
 * out at fixed offsets, with variable-length integers: the JMH benchmark's upsert takes 152 bytes against 215,
 * and a journal's cost on the writer is mostly the kernel's work per byte it takes into the page cache. A
 * <i>varint</i> is an unsigned LEB128 integer (7 bits a byte, least significant group first, the top bit set
 * on every byte but the last; at most 10 bytes, and a reader accepts a longer encoding of a value than the
 * shortest); a <i>zigzag</i> is a signed 64-bit integer as the varint of {@code (v << 1) ^ (v >> 63)}; a
 * <i>string</i> is the varint of its UTF-8 byte count plus one (0 for null), then the bytes. A count or length
 * (refusals, an op index, batch ops, a key's length) is a varint below 2^16, and a string at most
 * {@link #MAX_STRING_BYTES} bytes, as in version 1's u16 fields. After the first twelve bytes:
 * <pre>
 *  Op Kind (u8) | Outcome Code (u8) | Abort Cause (u8)
 *  Ring Sequence (zigzag) | Event Time (zigzag)
 *  Outcome Time - Event Time (zigzag) | Failed Op (zigzag, -1 when none) | Refusal Count (varint)
 *  Reason (string)
 *  Refusals: Refusal Count times   Op Index (varint) | Abort Cause (u8) | Observer Name (string)
 *  Op payload, by Op Kind
 *
 *  UPSERT        peer record
 *  REMOVE        id (32)
 *  TOUCH         id (32) | lastSeen - Event Time (zigzag)
 *  BATCH         op count (varint) | per op: 1 (u8) + peer record, or 0 (u8) + id (32)
 *  TICK          nothing
 *  BAN, UNBAN    ban kind (u8) | until (zigzag, Long.MAX_VALUE = forever) | value (string)
 *
 *  peer record   Id (32) | Version (zigzag) | Last Seen - Event Time (zigzag) | Voting Power (zigzag)
 *                | Trust (64, IEEE 754) | Route Quality (64, IEEE 754)
 *                | Hop Count (u8) | Tier (u8) | Node Type (u8) | Discovery (u8) | Flags (u8) | Endpoint Count (u8)
 *                | Next Hop id (32), only when flag NEXT_HOP is set | DID (string) | Device (string)
 *                | Public Key Length (varint) | Public Key bytes
 *                | Endpoints: Protocol (u8) | Latency (zigzag) | Signal (64, IEEE 754) | Address (string)
 * </pre>
 * Differences are taken in two's complement (they wrap, and adding them back gives the value exactly), so
 * every value version 1 holds has its version 2 form; the reserved fields of version 1 are gone. Numbers of
 * fixed width are little-endian as in version 1. Of the frame offsets below, those from
 * {@link #FRAME_RESERVED_OFFSET} on are version 1's only. A journal may hold segments of both versions (a writer that extends a journal starts
 * a new segment, in its own version); a reader takes each segment's version from its header. The frames a
 * {@link FrameCodec} carries outside segments keep version 1's layout.
 * <p>
 * <b>Torn tails.</b> The writer maps each segment whole, sparse up to its bound, and encodes in place. It
 * stores a header's fields and CRC (computed beforehand, magic included) first and its magic last, and a
 * frame's Frame Length last, each after a release fence; so in the last segment a header whose magic is 0
 * (with no frame after it), or a frame slot whose Frame Length is 0, is space a writer had not finished when
 * it stopped: the torn tail. Writers before this one stored the magic before the header CRC, so a last
 * segment's header with the magic, a Header CRC of 0 that does not match and no frame after it is read as
 * the torn tail too. In any segment but the last, each of these is damage. The bytes after such a slot may hold the
 * body of the one unfinished frame and then zeros; a whole frame that passes its length check and CRC after
 * it is damage (BAD_LENGTH), not a torn tail. A segment the writer leaves for the next one, and every
 * segment at a clean close, is cut to the bytes written, so only the last segment ever holds unwritten space.
 * Version 1.0 files written before the mapped writer have the same layout and read the same; a reader older
 * than the mapped writer reads a cleanly closed journal of it, but takes an unfinished frame left by a
 * killed writer for damage (BAD_LENGTH) where this reader reports a torn tail.
 */
public final class JournalDescriptor
{
    /** "PLJOURNL" read as a little-endian long. */
    public static final long MAGIC = 0x4C4E52554F4A4C50L;
    /** Major version written; a reader refuses a newer one and reads every older one. */
    public static final int MAJOR_VERSION = 2;
    /** The first major version, with the record fields at fixed offsets; still read. */
    public static final int MAJOR_VERSION_1 = 1;
    /** Minor version written; a newer one only adds trailing fields. */
    public static final int MINOR_VERSION = 0;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the major version (u16). */
    public static final int MAJOR_VERSION_OFFSET = 8;
    /** Offset of the minor version (u16). */
    public static final int MINOR_VERSION_OFFSET = 10;
    /** Offset of the header length (int). */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the segment index. */
    public static final int SEGMENT_INDEX_OFFSET = 16;
    /** Offset of the first sequence. */
    public static final int FIRST_SEQUENCE_OFFSET = 24;
    /** Offset of the creation time. */
    public static final int CREATION_TIME_OFFSET = 32;
    /** Offset of the segment length bound. */
    public static final int SEGMENT_LENGTH_OFFSET = 40;
    /** Offset of the previous segments' last sequence. */
    public static final int PREVIOUS_LAST_SEQUENCE_OFFSET = 48;
    /** Offset of the reserved bytes. */
    public static final int HEADER_RESERVED_OFFSET = 56;
    /** Offset of the header CRC32C. */
    public static final int HEADER_CRC_OFFSET = 60;
    /** Length of a version 1.0 header. */
    public static final int HEADER_LENGTH = 64;
    /** Largest header length a reader accepts (a newer minor version may grow it). */
    public static final int MAX_HEADER_LENGTH = 4096;

    /** Offset of the frame length in a frame. */
    public static final int FRAME_LENGTH_OFFSET = 0;
    /** Offset of the length check. */
    public static final int LENGTH_CHECK_OFFSET = 4;
    /** Offset of the CRC32C. */
    public static final int CRC_OFFSET = 8;
    /** First byte the frame CRC covers. */
    public static final int CRC_COVERED_OFFSET = 12;
    /** Offset of the op kind. */
    public static final int KIND_OFFSET = 12;
    /** Offset of the outcome code. */
    public static final int OUTCOME_CODE_OFFSET = 13;
    /** Offset of the abort cause. */
    public static final int ABORT_CAUSE_OFFSET = 14;
    /** Offset of the reserved byte. */
    public static final int FRAME_RESERVED_OFFSET = 15;
    /** Offset of the ring sequence (version 1; version 2 packs it, see {@code FrameCursor#sequence}). */
    public static final int SEQUENCE_OFFSET = 16;
    /** Offset of the event time. */
    public static final int TIME_OFFSET = 24;
    /** Offset of the outcome time. */
    public static final int OUTCOME_TIME_OFFSET = 32;
    /** Offset of the failed op. */
    public static final int FAILED_OP_OFFSET = 40;
    /** Offset of the refusal count. */
    public static final int REFUSAL_COUNT_OFFSET = 44;
    /** Offset of the reserved u16. */
    public static final int REFUSAL_RESERVED_OFFSET = 46;
    /** Offset of the variable part in version 1: reason, refusals, op payload. */
    public static final int BODY_OFFSET = 48;
    /** Bytes of a frame that a reader needs to know the frame's length: length and check. */
    public static final int FRAME_PREAMBLE_LENGTH = 8;
    /**
     * Shortest valid frame of any version: version 2's TICK, every integer one byte and a null reason. A reader
     * that knows a segment's version holds its frames to that version's shortest.
     */
    public static final int MIN_FRAME_LENGTH = CRC_COVERED_OFFSET + 3 + 5 + 1;
    /** Shortest valid frame of version 1: the fixed fields and a null reason. */
    public static final int MIN_FRAME_LENGTH_V1 = BODY_OFFSET + 2;
    /** Longest varint: a 64-bit value, 7 bits a byte. */
    public static final int MAX_VARINT_LENGTH = 10;
    /**
     * Longest frame: room for a batch of 1024 of the largest records (about 9 MB) with a refusal of the
     * longest observer name on every op (about 67 MB).
     */
    public static final int MAX_FRAME_LENGTH = 128 * 1024 * 1024;

    /** Byte count of a null string. */
    public static final int NULL_STRING = 0xFFFF;
    /** Longest string, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 0xFFFE;
    /** Abort cause byte for none. */
    public static final int NO_CAUSE = 0;

    /** Peer record flag: authenticated. */
    public static final int FLAG_AUTHENTICATED = 1;
    /** Peer record flag: quantum-secure. */
    public static final int FLAG_QUANTUM_SECURE = 2;
    /** Peer record flag: pinned. */
    public static final int FLAG_PINNED = 4;
    /** Peer record flag: a next hop follows. */
    public static final int FLAG_NEXT_HOP = 8;
    /** Every flag a reader of either version knows. */
    public static final int KNOWN_FLAGS = FLAG_AUTHENTICATED | FLAG_QUANTUM_SECURE | FLAG_PINNED | FLAG_NEXT_HOP;

    /** Batch op tag of a remove. */
    public static final int BATCH_REMOVE = 0;
    /** Batch op tag of an upsert. */
    public static final int BATCH_UPSERT = 1;

    /** Bytes of an id. */
    public static final int ID_LENGTH = 32;
    /** Bytes of a version 1 peer record's fixed part, up to and including the reserved u16. */
    public static final int RECORD_FIXED_LENGTH = ID_LENGTH + 6 * 8 + 8;

    /**
     * What the record's {@code firstSeen} field holds: a mutation's record comes from a producer, and only the
     * registry knows when it first saw a peer, so the field is written as -1, and a reader refuses any other
     * value as damage (kept so that journals of version 1.0 keep their layout).
     */
    public static final long RESERVED_FIRST_SEEN = -1;

    /** Value of {@code lastGoodSequence} when no record was read. */
    public static final long NO_SEQUENCE = -1;

    /** Default bound of a segment file: 64 MiB. */
    public static final long SEGMENT_LENGTH_DEFAULT = 64L * 1024 * 1024;
    /** Smallest segment bound a writer accepts. */
    public static final long MIN_SEGMENT_LENGTH = 1024;
    /** Largest segment bound a writer accepts: a segment is mapped whole, and a mapping holds under 2 GiB. */
    public static final long MAX_SEGMENT_LENGTH = 1024L * 1024 * 1024;

    static final Pattern SEGMENT_NAME = Pattern.compile("journal-(\\d{10})\\.seg");

    private JournalDescriptor()
    {
    }

    /**
     * @param index segment index, 0 to 9999999999.
     * @return the segment's file name.
     */
    public static String segmentFileName(final long index)
    {
        return String.format("journal-%010d.seg", index);
    }
}
