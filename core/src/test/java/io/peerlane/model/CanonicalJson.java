package io.peerlane.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The canonical JSON of TRACE.md's output lines, written by hand so that the reference model depends on no
 * production formatter: keys in the order the caller writes them, no spaces, integers bare, other numbers in
 * the shortest plain decimal that reads back to the same double (always a fraction digit, never an
 * exponent), strings with only {@code "}, {@code \} and control characters escaped.
 * <p>
 * Usage: {@code new CanonicalJson().open().key("line").number(3).close().toString()}. Commas are placed
 * automatically: the writer remembers whether the current object or array already holds a member.
 */
public final class CanonicalJson
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(128);
    /** One flag per open container: whether it holds a member yet. Deep nesting never happens here. */
    private final boolean[] hasMember = new boolean[16];
    private int depth;
    private boolean afterKey;

    /** @return this, after opening an object. */
    public CanonicalJson open()
    {
        beforeValue();
        out.append('{');
        hasMember[++depth] = false;
        return this;
    }

    /** @return this, after closing the current object. */
    public CanonicalJson close()
    {
        out.append('}');
        depth--;
        return this;
    }

    /** @return this, after opening an array. */
    public CanonicalJson openArray()
    {
        beforeValue();
        out.append('[');
        hasMember[++depth] = false;
        return this;
    }

    /** @return this, after closing the current array. */
    public CanonicalJson closeArray()
    {
        out.append(']');
        depth--;
        return this;
    }

    /**
     * @param name a member name of the current object.
     * @return this.
     */
    public CanonicalJson key(final String name)
    {
        comma();
        string(out, name);
        out.append(':');
        afterKey = true;
        return this;
    }

    /**
     * @param value a string value.
     * @return this.
     */
    public CanonicalJson string(final String value)
    {
        beforeValue();
        string(out, value);
        return this;
    }

    /**
     * @param value an integer value.
     * @return this.
     */
    public CanonicalJson number(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /**
     * @param value a non-integer number (trust, signal, routeQuality).
     * @return this.
     */
    public CanonicalJson decimal(final double value)
    {
        beforeValue();
        out.append(decimalText(value));
        return this;
    }

    /**
     * @param value a boolean value.
     * @return this.
     */
    public CanonicalJson bool(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /**
     * @param json an already canonical JSON value, copied as is.
     * @return this.
     */
    public CanonicalJson raw(final String json)
    {
        beforeValue();
        out.append(json);
        return this;
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    /**
     * The shortest decimal that reads back to {@code value}: the nearest decimal of the fewest significant
     * digits that parses back to the same double. The nearest decimal of a precision is the one that
     * round-trips if any of that precision does, and every decimal of p digits is one of p + 1 digits, so
     * "round-trips at precision p" only turns from false to true as p grows: a binary search over 1 to 17
     * finds the least such p.
     *
     * @param value a finite double.
     * @return its plain decimal text with at least one fraction digit.
     */
    public static String decimalText(final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        final BigDecimal exact = new BigDecimal(value);
        int low = 1;
        int high = 17; // 17 significant digits always round-trip a double.
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (roundTo(exact, mid).doubleValue() == value)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        final String text = roundTo(exact, low).stripTrailingZeros().toPlainString();
        return text.indexOf('.') < 0 ? text + ".0" : text;
    }

    private static BigDecimal roundTo(final BigDecimal exact, final int precision)
    {
        return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    }

    private static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
                    {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                    else
                    {
                        out.append(c);
                    }
                    break;
            }
        }
        out.append('"');
    }

    private void beforeValue()
    {
        if (afterKey)
        {
            afterKey = false;
        }
        else
        {
            comma();
        }
    }

    private void comma()
    {
        if (depth > 0)
        {
            if (hasMember[depth])
            {
                out.append(',');
            }
            hasMember[depth] = true;
        }
    }
}
