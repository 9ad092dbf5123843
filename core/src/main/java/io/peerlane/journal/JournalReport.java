package io.peerlane.journal;

import java.nio.file.Path;

/** What {@link JournalVerifier} found in a journal. Immutable. */
public final class JournalReport
{
    private final Path directory;
    private final int segmentCount;
    private final long lastSegmentIndex;
    private final long recordCount;
    private final long firstSequence;
    private final long lastSequence;
    private final Path tornTailFile;
    private final long tornTailOffset;
    private final JournalCorruptException corruption;
    private final long firstSegmentIndex;
    private final long precedingSequence;

    JournalReport(
        final Path directory,
        final int segmentCount,
        final long firstSegmentIndex,
        final long lastSegmentIndex,
        final long precedingSequence,
        final long recordCount,
        final long firstSequence,
        final long lastSequence,
        final Path tornTailFile,
        final long tornTailOffset,
        final JournalCorruptException corruption)
    {
        this.firstSegmentIndex = firstSegmentIndex;
        this.precedingSequence = precedingSequence;
        this.directory = directory;
        this.segmentCount = segmentCount;
        this.lastSegmentIndex = lastSegmentIndex;
        this.recordCount = recordCount;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.tornTailFile = tornTailFile;
        this.tornTailOffset = tornTailOffset;
        this.corruption = corruption;
    }

    /** @return the journal's directory. */
    public Path directory()
    {
        return directory;
    }

    /** @return number of segment files. */
    public int segmentCount()
    {
        return segmentCount;
    }

    /** @return index of the first segment file, or -1 when there is none. */
    public long firstSegmentIndex()
    {
        return firstSegmentIndex;
    }

    /**
     * @return the sequence of the last record before the first segment, as its header names it:
     * {@link JournalDescriptor#NO_SEQUENCE} when the journal starts at its beginning; any other value means
     * that the segments before it are gone and records up to this sequence are not in this journal.
     */
    public long precedingSequence()
    {
        return precedingSequence;
    }

    /** @return whether the journal starts at its beginning: no segment before its first one is missing. */
    public boolean startsAtBeginning()
    {
        return precedingSequence == JournalDescriptor.NO_SEQUENCE;
    }

    /** @return index of the last segment file, or -1 when there is none. */
    public long lastSegmentIndex()
    {
        return lastSegmentIndex;
    }

    /** @return intact records read (up to the corruption, if any). */
    public long recordCount()
    {
        return recordCount;
    }

    /** @return sequence of the first record, or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long firstSequence()
    {
        return firstSequence;
    }

    /** @return sequence of the last intact record, or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return whether the last segment ends inside a record. */
    public boolean tornTail()
    {
        return null != tornTailFile;
    }

    /** @return the segment with the torn tail, or null. */
    public Path tornTailFile()
    {
        return tornTailFile;
    }

    /** @return offset of the torn record, or -1. */
    public long tornTailOffset()
    {
        return tornTailOffset;
    }

    /** @return the damage found before the end, or null. */
    public JournalCorruptException corruption()
    {
        return corruption;
    }

    /** @return whether the journal reads to its end with no damage (a torn tail is not damage). */
    public boolean intact()
    {
        return null == corruption;
    }

    @Override
    public String toString()
    {
        return directory + ": " + segmentCount + " segments, " + recordCount + " records" +
            (startsAtBeginning() ? "" : ", starts after sequence " + precedingSequence + " (segments before " +
            JournalDescriptor.segmentFileName(firstSegmentIndex) + " are missing)") +
            (recordCount == 0 ? "" : ", sequences " + firstSequence + " to " + lastSequence) +
            (tornTail() ? ", torn tail in " + tornTailFile.getFileName() + " at offset " + tornTailOffset : "") +
            (null == corruption ? "" : ", CORRUPT: " + corruption.getMessage());
    }
}
