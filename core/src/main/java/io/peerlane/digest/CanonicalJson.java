package io.peerlane.digest;

import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Change;
import io.peerlane.state.CommitResult;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * The canonical JSON of TRACE.md's output lines: keys in the documented order, no spaces, integers bare,
 * other numbers as the shortest plain decimal that reads back to the same double (always with a fraction
 * digit, never an exponent), strings escaping only {@code "}, {@code \} and control characters.
 * <p>
 * Canonical output is what makes digests comparable across runs, versions and implementations, so every
 * writer of outcome, event, state and trace lines goes through this class. Methods append to a caller's
 * {@link StringBuilder} and do not add the newline, so a caller can reuse one builder for every line.
 */
public final class CanonicalJson
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_FAST_FRACTION_DIGITS = 8;
    private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };
    /** Below this, a double with no fraction is an exact integer a long holds. */
    private static final double TWO_POW_52 = 0x1p52;

    private CanonicalJson()
    {
    }

    /**
     * Appends an outcome line: {@code {"line":12,"outcome":"ADDED"}} with {@code failedOp}, {@code reason}
     * and {@code cause} where the outcome has them.
     *
     * @param out    receives the line, without its newline.
     * @param line   the input line number, from 1.
     * @param result the committed outcome.
     * @return {@code out}.
     */
    public static StringBuilder outcome(final StringBuilder out, final long line, final CommitResult result)
    {
        out.append("{\"line\":").append(line).append(",\"outcome\":\"").append(result.code().name()).append('"');
        if (result.code() == OutcomeCode.BATCH_FAILED)
        {
            out.append(",\"failedOp\":").append(result.failedOp());
        }
        if (null != result.reason())
        {
            out.append(",\"reason\":");
            string(out, result.reason());
        }
        if (null != result.cause())
        {
            out.append(",\"cause\":\"").append(result.cause().name()).append('"');
        }
        return out.append('}');
    }

    /**
     * Appends an event line: one change with its {@code seq}, or a committed batch holding its changes.
     *
     * @param out   receives the line, without its newline.
     * @param event the event, wrapped on a line of a commit result.
     * @return {@code out}.
     */
    public static StringBuilder event(final StringBuilder out, final RegistryEvent event)
    {
        out.append("{\"seq\":").append(event.seq()).append(',');
        if (event.isBatch())
        {
            out.append("\"event\":\"BATCH\",\"changes\":[");
            for (int i = 0; i < event.changeCount(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                out.append('{');
                changeFields(out, event.change(i));
                out.append('}');
            }
            out.append(']');
        }
        else
        {
            changeFields(out, event.change());
        }
        return out.append('}');
    }

    /**
     * Appends one change as it appears inside a batch event: the event object without {@code seq}.
     *
     * @param out    receives the object.
     * @param change the change.
     * @return {@code out}.
     */
    public static StringBuilder change(final StringBuilder out, final Change change)
    {
        out.append('{');
        changeFields(out, change);
        return out.append('}');
    }

    /**
     * Appends a state line: every record field in TRACE.md's order (defaults filled in, {@code nextHop}
     * only when set), then {@code firstSeen}. The registry's own liveness stands in for the record's.
     *
     * @param out       receives the line, without its newline.
     * @param record    a stored record.
     * @param lastSeen  the registry's {@code lastSeen} of it.
     * @param firstSeen the registry's {@code firstSeen} of it.
     * @return {@code out}.
     */
    public static StringBuilder stateLine(
        final StringBuilder out, final PeerRecord record, final long lastSeen, final long firstSeen)
    {
        recordFields(out.append('{'), record, lastSeen);
        return out.append(",\"firstSeen\":").append(firstSeen).append('}');
    }

    /**
     * Appends a record in trace input form: the state line's object without {@code firstSeen}. Every field
     * is written, defaults included, so the object reads back to an equal record whatever the defaults.
     *
     * @param out    receives the object.
     * @param record the record.
     * @return {@code out}.
     */
    public static StringBuilder record(final StringBuilder out, final PeerRecord record)
    {
        recordFields(out.append('{'), record, record.lastSeen());
        return out.append('}');
    }

    /**
     * Appends the last line of a state report.
     *
     * @param out       receives the line, without its newline.
     * @param peers     number of live peers.
     * @param digestHex SHA-256 of the state lines before it, as lowercase hex.
     * @return {@code out}.
     */
    public static StringBuilder digestLine(final StringBuilder out, final long peers, final String digestHex)
    {
        return out.append("{\"peers\":").append(peers).append(",\"digest\":\"").append(digestHex).append("\"}");
    }

    /**
     * Appends a JSON string: only {@code "}, {@code \} and control characters are escaped ({@code \b \t \n
     * \f \r} by name, the others as <code>&#92;u00xx</code> in lowercase hex); everything else is written as is.
     *
     * @param out   receives the string.
     * @param value the text.
     * @return {@code out}.
     */
    public static StringBuilder string(final StringBuilder out, final CharSequence value)
    {
        out.append('"');
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
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
                    if (c < 0x20)
                    {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
                    break;
            }
        }
        return out.append('"');
    }

    /**
     * Appends a non-integer number: the shortest plain decimal that reads back to the same double, with at
     * least one fraction digit and never an exponent ({@code 0.5}, {@code 1.0}, {@code 0.0001}).
     *
     * @param out   receives the number.
     * @param value a finite double.
     * @return {@code out}.
     * @throws IllegalArgumentException for NaN or an infinity, which JSON cannot hold.
     */
    public static StringBuilder number(final StringBuilder out, final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("JSON has no number for " + value);
        }
        if (!fastNumber(out, value))
        {
            out.append(shortestPlain(value));
        }
        return out;
    }

    /**
     * The reference algorithm, correct for every finite double: round the exact binary value to 1, 2, ...
     * significant digits until a candidate reads back to the same double. Java 17's
     * {@link Double#toString(double)} is not always shortest (it prints {@code 2.0E-3} as {@code 0.0020}), so
     * it cannot serve.
     *
     * @param value a finite double.
     * @return its canonical text.
     */
    static String shortestPlain(final double value)
    {
        if (value == 0.0)
        {
            return 1.0 / value < 0 ? "-0.0" : "0.0";
        }
        final BigDecimal exact = new BigDecimal(value);
        BigDecimal chosen = exact;
        for (int precision = 1; precision <= 17; precision++)
        {
            final BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == value)
            {
                chosen = nearest;
                break;
            }
            // The interval of decimals that read back to a power of two is lopsided, so the nearest
            // candidate can miss while the one on the other side hits.
            final BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
            final BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
            final BigDecimal other = nearest.compareTo(down) == 0 ? up : down;
            if (other.doubleValue() == value)
            {
                chosen = other;
                break;
            }
        }
        BigDecimal plain = chosen.stripTrailingZeros();
        if (plain.scale() < 1)
        {
            plain = plain.setScale(1, RoundingMode.UNNECESSARY);
        }
        return plain.toPlainString();
    }

    /**
     * Fast path without allocation for the numbers traces hold (trust, signal, route quality): a value
     * whose shortest form has at most 8 fraction digits. Among the decimals with k fraction digits, only
     * the three around {@code value * 10^k} can read back to it; the path gives up (returns false) when
     * more than one does, leaving the tie-break to {@link #shortestPlain(double)}.
     */
    private static boolean fastNumber(final StringBuilder out, final double value)
    {
        if (!(value >= 0.0 && value < TWO_POW_52) || (value == 0.0 && 1.0 / value < 0))
        {
            return false;
        }
        if (value == Math.rint(value))
        {
            out.append((long)value).append(".0");
            return true;
        }
        for (int k = 1; k <= MAX_FAST_FRACTION_DIGITS; k++)
        {
            final double scaled = value * POW10[k];
            if (scaled >= TWO_POW_52)
            {
                return false;
            }
            final long m = Math.round(scaled);
            long hit = -1;
            int hits = 0;
            for (long c = Math.max(0, m - 1); c <= m + 1; c++)
            {
                // c and 10^k are exact doubles, so the division is correctly rounded: it is exactly what
                // reading the decimal c * 10^-k gives.
                if (c / POW10[k] == value)
                {
                    hit = c;
                    hits++;
                }
            }
            if (hits > 1)
            {
                return false;
            }
            if (hits == 1)
            {
                appendScaled(out, hit, k);
                return true;
            }
        }
        return false;
    }

    private static void appendScaled(final StringBuilder out, final long unscaled, final int fractionDigits)
    {
        long whole = unscaled;
        long divisor = 1;
        for (int i = 0; i < fractionDigits; i++)
        {
            divisor *= 10;
        }
        out.append(whole / divisor).append('.');
        whole %= divisor;
        for (long d = divisor / 10; d > 0; d /= 10)
        {
            out.append((char)('0' + (whole / d) % 10));
        }
    }

    private static void changeFields(final StringBuilder out, final Change change)
    {
        final PeerRecord r = change.record();
        out.append("\"event\":\"").append(change.type().name()).append("\",\"id\":\"");
        hexId(out, r);
        out.append('"');
        switch (change.type())
        {
            case ADDED:
                out.append(",\"version\":").append(r.version());
                break;
            case UPDATED:
                out.append(",\"version\":").append(r.version()).append(",\"previousVersion\":")
                    .append(change.previousVersion());
                break;
            case REMOVED:
                out.append(",\"cause\":\"").append(change.cause().name()).append('"');
                break;
            default:
                out.append(",\"lastSeen\":").append(change.lastSeen());
                break;
        }
    }

    private static void recordFields(final StringBuilder out, final PeerRecord r, final long lastSeen)
    {
        out.append("\"id\":\"");
        hexId(out, r);
        out.append("\",\"did\":");
        string(out, r.did());
        out.append(",\"device\":");
        string(out, r.device());
        out.append(",\"publicKey\":\"").append(r.publicKey().toHex()).append('"');
        out.append(",\"version\":").append(r.version());
        out.append(",\"lastSeen\":").append(lastSeen);
        out.append(",\"endpoints\":[");
        final List<Endpoint> endpoints = r.endpoints();
        for (int i = 0; i < endpoints.size(); i++)
        {
            final Endpoint e = endpoints.get(i);
            if (i > 0)
            {
                out.append(',');
            }
            out.append("{\"address\":");
            string(out, e.address());
            out.append(",\"protocol\":\"").append(e.protocol().name());
            out.append("\",\"latencyMs\":").append(e.latencyMs());
            number(out.append(",\"signal\":"), e.signal());
            out.append('}');
        }
        out.append("],\"tier\":\"").append(r.tier().name()).append('"');
        number(out.append(",\"trust\":"), r.trust());
        out.append(",\"nodeType\":\"").append(r.nodeType().name()).append('"');
        out.append(",\"votingPower\":").append(r.votingPower());
        out.append(",\"authenticated\":").append(r.authenticated());
        out.append(",\"quantumSecure\":").append(r.quantumSecure());
        out.append(",\"pinned\":").append(r.pinned());
        out.append(",\"discovery\":\"").append(r.discovery().name()).append('"');
        if (null != r.nextHop())
        {
            out.append(",\"nextHop\":\"").append(r.nextHop().toHex()).append('"');
        }
        out.append(",\"hopCount\":").append(r.hopCount());
        number(out.append(",\"routeQuality\":"), r.routeQuality());
    }

    private static void hexId(final StringBuilder out, final PeerRecord r)
    {
        for (int w = 0; w < 4; w++)
        {
            final long word = r.id().word(w);
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                out.append(HEX[(int)(word >>> shift) & 0xF]);
            }
        }
    }
}
