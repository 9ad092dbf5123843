package io.peerlane.journal;

import java.nio.file.Path;

/**
 * A journal could not be written or read: names the file and the byte offset where it happened. A writer
 * that throws it has stopped; every record it wrote before is intact.
 */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param message what went wrong.
     * @param file    the file, or the journal directory.
     * @param offset  byte offset in the file, or -1 when none applies.
     * @param cause   the underlying error, or null.
     */
    public JournalException(final String message, final Path file, final long offset, final Throwable cause)
    {
        super(file + (offset < 0 ? "" : " at offset " + offset) + ": " + message, cause);
        this.file = file;
        this.offset = offset;
    }

    /** @return the file (or directory) concerned. */
    public Path file()
    {
        return file;
    }

    /** @return the byte offset in {@link #file()}, or -1 when none applies. */
    public long offset()
    {
        return offset;
    }
}
