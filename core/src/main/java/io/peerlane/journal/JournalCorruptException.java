package io.peerlane.journal;

import java.nio.file.Path;

/**
 * A journal is damaged before its end: a bad CRC, a bad length, a bad header, a newer major version, a
 * sequence going backwards, a missing or cut segment. Names the file, the byte offset of the damaged
 * structure (0 for a segment header, the frame's first byte for a record) and the sequence of the last
 * record read intact. Only the last record of the last segment may be cut short; that is a torn tail, which
 * readers report and ignore instead.
 */
public final class JournalCorruptException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Defect
    {
        /** The segment header does not start with the magic, or is cut short in a segment that is not last. */
        BAD_MAGIC,
        /** The header names a major version newer than this reader's. */
        UNSUPPORTED_VERSION,
        /** The header fails its CRC or holds a value out of range. */
        BAD_HEADER,
        /** A segment is missing, or a segment's index does not match its name. */
        BAD_SEGMENT_ORDER,
        /** A frame length is out of range or disagrees with its check. */
        BAD_LENGTH,
        /** A frame fails its CRC. */
        BAD_CRC,
        /** A frame passes its CRC but its body cannot be decoded. */
        BAD_RECORD,
        /**
         * A sequence goes backwards: a record's is not greater than the one before it, or a segment header's
         * first sequence is not its first record's.
         */
        BAD_SEQUENCE,
        /**
         * A segment that is not the last ends inside its header or a record, or before the last sequence the
         * next segment's header names (records lost at a record boundary).
         */
        TRUNCATED
    }

    private final Defect defect;
    private final long lastGoodSequence;

    /**
     * @param defect           what is wrong.
     * @param message          details.
     * @param file             the segment file.
     * @param offset           byte offset of the damaged header or frame.
     * @param lastGoodSequence sequence of the last intact record, or {@link JournalDescriptor#NO_SEQUENCE}.
     * @param cause            the decoding error, or null.
     */
    public JournalCorruptException(
        final Defect defect,
        final String message,
        final Path file,
        final long offset,
        final long lastGoodSequence,
        final Throwable cause)
    {
        super(defect + " " + message + " (last good sequence " +
            (lastGoodSequence == JournalDescriptor.NO_SEQUENCE ? "none" : Long.toString(lastGoodSequence)) + ")",
            file, offset, cause);
        this.defect = defect;
        this.lastGoodSequence = lastGoodSequence;
    }

    /** @return what is wrong. */
    public Defect defect()
    {
        return defect;
    }

    /** @return the sequence of the last intact record, or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long lastGoodSequence()
    {
        return lastGoodSequence;
    }
}
