package io.peerlane.journal;

import java.nio.file.Path;

/** Told when a reader finds the last segment ending inside a record: the bytes from the offset are ignored. */
@FunctionalInterface
public interface TornTailListener
{
    /**
     * @param file         the last segment.
     * @param offset       byte offset of the cut record, the first byte ignored.
     * @param lastSequence sequence of the last intact record, or {@link JournalDescriptor#NO_SEQUENCE}.
     */
    void onTornTail(Path file, long offset, long lastSequence);
}
