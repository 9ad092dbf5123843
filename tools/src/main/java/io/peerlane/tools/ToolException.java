package io.peerlane.tools;

/**
 * Ends a command with one clear line on stderr and an exit code from {@link ExitCodes}; never a stack trace.
 */
public final class ToolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode the exit code, from {@link ExitCodes}.
     * @param message  the line to print, naming the file and where in it.
     */
    public ToolException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /** @return the exit code. */
    public int exitCode()
    {
        return exitCode;
    }

    /** @param message what is wrong. @return a usage error. */
    public static ToolException usage(final String message)
    {
        return new ToolException(ExitCodes.USAGE, message);
    }

    /** @param message what is damaged and where. @return a corrupt-input error. */
    public static ToolException corrupt(final String message)
    {
        return new ToolException(ExitCodes.CORRUPT, message);
    }
}
