package io.peerlane.tools;

/**
 * The tool's exit codes, one per kind of ending, so that scripts can tell a bad command line from a bad file
 * from a behaviour change without reading the message.
 */
public final class ExitCodes
{
    /** Done, every check passed. */
    public static final int OK = 0;
    /** Anything not covered below: an output that cannot be written, out of memory, an engine error, a bug. */
    public static final int FAILURE = 1;
    /** A bad option, a missing input, an output that is an input or lies inside an input journal. */
    public static final int USAGE = 2;
    /** A corrupt journal or a malformed trace: the message names the file, the line or offset and sequence. */
    public static final int CORRUPT = 3;
    /** A failed check: outcomes that differ from the recording, or a paced replay that missed its rate. */
    public static final int CHECK_FAILED = 4;

    /** The list printed at the end of every {@code --help}. */
    static final String[] HELP_LIST = {
        "0:ok",
        "1:anything else (an output that cannot be written, out of memory, an engine failure)",
        "2:usage error (bad options, missing input, an output that is or lies in an input)",
        "3:corrupt or malformed input (bad journal, bad trace line)",
        "4:a failed check (outcomes differ from the recording, missed target rate)" };

    private ExitCodes()
    {
    }
}
