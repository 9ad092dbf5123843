package io.peerlane.tools.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A failed write of one of the tool's outputs, already worded as the line the user sees:
 * {@code FILE: cannot write: REASON}. An {@link IOException}, so that code writing through an {@code Appendable}
 * passes it on unchanged; the commands turn it into exit code 1.
 */
public final class WriteFailure extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path target;

    /**
     * @param target the output the user named.
     * @param reason why, in plain words.
     * @param cause  the I/O error, or null.
     */
    public WriteFailure(final Path target, final String reason, final Throwable cause)
    {
        super(target + ": cannot write: " + reason, cause);
        this.target = target;
    }

    /** @return the output the user named. */
    public Path target()
    {
        return target;
    }

    /**
     * @param target the output the user named.
     * @param ex     what the file system said.
     * @return the failure, with the reason in plain words.
     */
    public static WriteFailure of(final Path target, final IOException ex)
    {
        return ex instanceof WriteFailure ? (WriteFailure)ex : new WriteFailure(target, reason(ex), ex);
    }

    /**
     * @param target a path to be written.
     * @return why its directory cannot hold it when the nearest existing ancestor is not a directory (such as
     *         {@code x is a file, not a directory}), or null when it can be tried.
     */
    public static String blockedParent(final Path target)
    {
        Path p = target.toAbsolutePath().normalize().getParent();
        while (null != p && !java.nio.file.Files.exists(p))
        {
            p = p.getParent();
        }
        if (null != p && !java.nio.file.Files.isDirectory(p))
        {
            return p + " is a file, not a directory";
        }
        return null;
    }

    /**
     * @param ex an I/O error.
     * @return its reason in plain words: the operating system's text, never only a path.
     */
    public static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory" + detail((FileSystemException)ex);
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied" + detail((FileSystemException)ex);
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory" + detail((FileSystemException)ex);
        }
        if (ex instanceof DirectoryNotEmptyException)
        {
            return "directory not empty" + detail((FileSystemException)ex);
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "already exists" + detail((FileSystemException)ex);
        }
        if (ex instanceof FileSystemException)
        {
            final FileSystemException fs = (FileSystemException)ex;
            return null != fs.getReason() ? fs.getReason() + detail(fs) : String.valueOf(fs.getMessage());
        }
        return null == ex.getMessage() || ex.getMessage().isBlank() ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String detail(final FileSystemException ex)
    {
        return null == ex.getFile() ? "" : " (" + ex.getFile() + ")";
    }
}
