package io.peerlane.peer;

/**
 * Thrown at the API boundary when an input breaks a rule of the peer record or of an operation.
 * <p>
 * The message always names the field, the value given and the limit it broke, so a caller can fix
 * the input without reading the source. Nothing has entered the ring when this is thrown.
 */
public final class InvalidInputException extends IllegalArgumentException
{
    private static final int MAX_VALUE_CHARS = 80;

    private final String field;
    private final String value;
    private final String limit;

    /**
     * @param field the field's path, such as {@code peer.endpoints[2].address}.
     * @param value the offending value as given (shortened for the message when long).
     * @param limit the rule it broke, in words.
     */
    public InvalidInputException(final String field, final Object value, final String limit)
    {
        super(field + ": " + describe(value) + " " + limit);
        this.field = field;
        this.value = String.valueOf(value);
        this.limit = limit;
    }

    /**
     * @return the field's path.
     */
    public String field()
    {
        return field;
    }

    /**
     * @return the value that was refused, as text.
     */
    public String value()
    {
        return value;
    }

    /**
     * @return the limit that was broken, in words.
     */
    public String limit()
    {
        return limit;
    }

    private static String describe(final Object value)
    {
        if (null == value)
        {
            return "value null";
        }
        String text = String.valueOf(value);
        if (text.length() > MAX_VALUE_CHARS)
        {
            text = text.substring(0, MAX_VALUE_CHARS) + "...(" + text.length() + " chars)";
        }
        return value instanceof CharSequence ? "value \"" + text + "\"" : "value " + text;
    }
}
