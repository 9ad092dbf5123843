package io.peerlane.tools.trace;

/**
 * A trace file breaks TRACE.md's input rules. Names the line (counting every line of the file from 1) and
 * the field's path, such as {@code peer.endpoints[1].signal}; nothing of the trace is applied.
 * <p>
 * The reader throws nothing else, whatever the bytes, so a tool can map this one exception to one exit code.
 */
public final class TraceFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String field;
    private final String detail;

    /**
     * @param line   the line number, from 1.
     * @param field  the field's path, or null when the error is not about one field (the line's syntax).
     * @param detail what is wrong, such as {@code value 1.5 is outside [0, 1]}.
     */
    public TraceFormatException(final int line, final String field, final String detail)
    {
        super("line " + line + ": " + (null == field || field.isEmpty() ? "" : field + ": ") + detail);
        this.line = line;
        this.field = null == field || field.isEmpty() ? null : field;
        this.detail = detail;
    }

    /** @return the line number, from 1. */
    public int line()
    {
        return line;
    }

    /** @return the field's path, or null when the error is about the line as a whole. */
    public String field()
    {
        return field;
    }

    /** @return what is wrong, without the line and field. */
    public String detail()
    {
        return detail;
    }
}
