package io.peerlane.tools.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import org.agrona.collections.IntArrayList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The strict reader of TRACE.md's input lines. Every line is checked in full (syntax, duplicate and unknown
 * keys at any depth, missing fields, types, {@code null}, ranges, time order) and records are built through
 * {@link PeerRecord.Builder} so that the model, not the reader, owns the field rules. The first error stops
 * the read with a {@link TraceFormatException} naming the line and the field; no other exception escapes,
 * whatever the bytes.
 * <p>
 * Bytes are decoded strictly per line before JSON parsing (a {@code \n} byte never occurs inside a UTF-8
 * sequence), so malformed UTF-8 is reported with its line and never reaches the parser half-decoded.
 */
public final class TraceReader
{
    /** Longest string the parser reads: far above any field's limit, far below what could exhaust the heap. */
    static final int MAX_STRING_CHARS = 1 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
        .build();

    private static final String[] SETTINGS = {
        "maxPeers", "peerTtlMs", "tombstoneTtlMs", "maxTombstones", "maxDevicesPerDid", "maxPeersPerSubnet",
        "maxBans", "globalRateLimitPerSec", "didRateLimitPerMin" };
    private static final String VALIDATOR_KEYS = "authorizedValidatorKeys";

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    private int line;
    private AtomicLong bytesDone;
    private JsonParser parser;
    /** Path of the value or object being read, for errors the JSON parser raises. */
    private String at;
    private boolean atObject;

    private TraceReader()
    {
    }

    /**
     * @param file a trace file.
     * @return the trace.
     * @throws IOException          when the file cannot be read.
     * @throws TraceFormatException when its content breaks a rule.
     */
    public static Trace read(final Path file) throws IOException
    {
        return parse(Files.readAllBytes(file));
    }

    /**
     * @param file      a trace file.
     * @param bytesDone set, line by line, to the bytes parsed so far (for a progress line on another thread).
     * @return the trace.
     * @throws IOException          when the file cannot be read.
     * @throws TraceFormatException when its content breaks a rule.
     */
    public static Trace read(final Path file, final AtomicLong bytesDone) throws IOException
    {
        final TraceReader reader = new TraceReader();
        reader.bytesDone = bytesDone;
        return reader.readAll(Files.readAllBytes(file));
    }

    /**
     * @param bytes the content of a trace file.
     * @return the trace.
     * @throws TraceFormatException when the content breaks a rule; nothing else, whatever the bytes.
     */
    public static Trace parse(final byte[] bytes)
    {
        return new TraceReader().readAll(bytes);
    }

    private Trace readAll(final byte[] bytes)
    {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF)
        {
            throw new TraceFormatException(1, null, "starts with a byte-order mark; a trace is UTF-8 without one");
        }
        RegistrySettings settings = RegistrySettings.defaults();
        final List<MutationValue> ops = new ArrayList<>();
        final IntArrayList lines = new IntArrayList();
        boolean first = true;
        long previousTime = 0;
        int start = 0;
        line = 0;
        while (start < bytes.length)
        {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n')
            {
                end++;
            }
            final int next = end + 1;
            if (end > start && bytes[end - 1] == '\r')
            {
                end--;
            }
            line++;
            final String text = decode(bytes, start, end);
            start = next;
            if (null != bytesDone)
            {
                bytesDone.lazySet(Math.min(next, bytes.length));
            }
            if (text.isEmpty() || text.charAt(0) == '#')
            {
                continue;
            }
            final Fields f = parseLine(text);
            if ("config".equals(f.op))
            {
                if (!first)
                {
                    throw new TraceFormatException(
                        line, "op", "a config must be the first line that is not empty or a comment");
                }
                settings = f.settings();
            }
            else
            {
                if (f.t < previousTime)
                {
                    throw new TraceFormatException(line, "t",
                        "value " + f.t + " is before the previous op's t (" + previousTime + ")");
                }
                previousTime = f.t;
                ops.add(f.toOp());
                lines.addInt(line);
            }
            first = false;
        }
        return new Trace(settings, ops, lines.toIntArray());
    }

    private String decode(final byte[] bytes, final int from, final int to)
    {
        try
        {
            final CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, from, to - from));
            return chars.toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new TraceFormatException(line, null, "is not valid UTF-8");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // One line.

    private Fields parseLine(final String text)
    {
        final Fields f = new Fields();
        try (JsonParser p = JSON.createParser(text))
        {
            parser = p;
            at = "";
            atObject = true;
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                throw new TraceFormatException(line, null, "must be a JSON object");
            }
            while (nextField(""))
            {
                final String name = p.currentName();
                f.seen.add(name);
                switch (name)
                {
                    case "op":
                        f.op = string("op");
                        break;
                    case "t":
                        f.t = safeLong("t");
                        break;
                    case "peer":
                        f.peer = record("peer");
                        break;
                    case "id":
                        f.id = nodeId("id");
                        break;
                    case "lastSeen":
                        f.lastSeen = safeLong("lastSeen");
                        break;
                    case "ops":
                        f.batch = batch("ops");
                        break;
                    case "kind":
                        f.kind = banKind("kind");
                        break;
                    case "value":
                        f.value = string("value");
                        break;
                    case "until":
                        f.until = safeLong("until");
                        break;
                    case VALIDATOR_KEYS:
                        f.validatorKeys = validatorKeys(VALIDATOR_KEYS);
                        break;
                    default:
                        if (!isSetting(name))
                        {
                            throw new TraceFormatException(line, name, "is not a field of any op");
                        }
                        f.settings.put(name, safeLong(name));
                        break;
                }
            }
            at = "";
            atObject = false;
            if (p.nextToken() != null)
            {
                throw new TraceFormatException(line, null, "holds more than one JSON value");
            }
        }
        catch (final JsonProcessingException ex)
        {
            throw syntax(ex);
        }
        catch (final IOException ex)
        {
            // Parsing a String does no I/O; closing it cannot fail either. Still, report it as the line's.
            throw new TraceFormatException(line, null, "could not be read: " + ex.getMessage());
        }
        finally
        {
            parser = null;
        }
        f.check();
        return f;
    }

    private TraceFormatException syntax(final JsonProcessingException ex)
    {
        String field = at;
        // An end of input is about the object left open, not about the last field read in it.
        if (atObject && null != parser && !(ex instanceof JsonEOFException))
        {
            final String name = parser.getParsingContext().getCurrentName();
            if (null != name)
            {
                field = at.isEmpty() ? name : at + "." + name;
            }
        }
        final String where = null == ex.getLocation() || ex.getLocation().getColumnNr() < 0 ?
            "" : " (column " + ex.getLocation().getColumnNr() + ")";
        if (ex instanceof StreamConstraintsException)
        {
            return new TraceFormatException(line, field, tooLong(field));
        }
        String message = String.valueOf(ex.getOriginalMessage());
        final int marker = message.indexOf(" (start marker");
        if (marker > 0)
        {
            message = message.substring(0, marker);
        }
        final int nonNumeric = message.indexOf("Non-standard token '");
        if (nonNumeric >= 0)
        {
            final int end = message.indexOf('\'', nonNumeric + 20);
            final String token = end > 0 ? message.substring(nonNumeric + 20, end) : "?";
            return new TraceFormatException(line, field, "is not a number: " + token + " (NaN and Infinity are not " +
                "JSON numbers; give an integer)" + where);
        }
        // Jackson's hints name its own switches ("enable `JsonReadFeature...` to allow"): of no use here.
        final int hint = message.indexOf(": enable `");
        if (hint > 0)
        {
            message = message.substring(0, hint);
        }
        return new TraceFormatException(line, field, "malformed JSON: " + message + where);
    }

    /** The limit of the field a too-long string stands in, as the model states it. */
    private static String tooLong(final String field)
    {
        final String leaf = field.substring(field.lastIndexOf('.') + 1);
        switch (leaf)
        {
            case "publicKey":
                return "is too long: a public key is at most " + Limits.MAX_PUBLIC_KEY_BYTES + " bytes (" +
                    2 * Limits.MAX_PUBLIC_KEY_BYTES + " hex characters)";
            case "did":
                return "is too long: at most " + Limits.MAX_DID_CHARS + " characters";
            case "device":
                return "is too long: at most " + Limits.MAX_DEVICE_CHARS + " characters";
            case "address":
                return "is too long: at most " + Limits.MAX_ADDRESS_CHARS + " characters";
            default:
                return "is too long: longer than " + MAX_STRING_CHARS + " characters, more than any field of a trace " +
                    "holds (the longest, a public key, is " + 2 * Limits.MAX_PUBLIC_KEY_BYTES + " hex characters)";
        }
    }

    private TraceFormatException invalid(final InvalidInputException ex)
    {
        final String message = ex.getMessage();
        final String prefix = ex.field() + ": ";
        return new TraceFormatException(
            line, ex.field(), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    // ---------------------------------------------------------------------------------------------------
    // Tokens.

    /** Moves to the next field name of the object at {@code path}; false at the object's end. */
    private boolean nextField(final String path) throws IOException
    {
        at = path;
        atObject = true;
        final JsonToken token = parser.nextToken();
        if (token == JsonToken.END_OBJECT)
        {
            return false;
        }
        if (token != JsonToken.FIELD_NAME)
        {
            // The parser itself refuses anything else inside an object; keep the reader total anyway.
            throw new TraceFormatException(line, path, "malformed object");
        }
        return true;
    }

    private JsonToken value(final String field) throws IOException
    {
        at = field;
        atObject = false;
        final JsonToken token = parser.nextToken();
        if (null == token)
        {
            throw new TraceFormatException(line, field, "the line ends before the value");
        }
        if (token == JsonToken.VALUE_NULL)
        {
            throw new TraceFormatException(line, field, "value null is not allowed: null is never a value");
        }
        return token;
    }

    private TraceFormatException wrongType(final String field, final JsonToken token, final String expected)
        throws IOException
    {
        final String got;
        switch (token)
        {
            case START_OBJECT:
                got = "an object";
                break;
            case START_ARRAY:
                got = "an array";
                break;
            case VALUE_STRING:
                got = "a string";
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                got = "a boolean";
                break;
            default:
                got = "the number " + shorten(parser.getText());
                break;
        }
        return new TraceFormatException(line, field, "must be " + expected + ", got " + got);
    }

    private static String shorten(final String text)
    {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private String string(final String field) throws IOException
    {
        final JsonToken token = value(field);
        if (token != JsonToken.VALUE_STRING)
        {
            throw wrongType(field, token, "a string");
        }
        return parser.getText();
    }

    /** An integer token in [0, 2^53). */
    private long safeLong(final String field) throws IOException
    {
        final JsonToken token = value(field);
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            throw new TraceFormatException(
                line, field, "value " + shorten(parser.getText()) + " must be an integer token, such as 3 (never 3.0)");
        }
        if (token != JsonToken.VALUE_NUMBER_INT)
        {
            throw wrongType(field, token, "an integer");
        }
        final JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.BIG_INTEGER)
        {
            throw new TraceFormatException(line, field, "value " + shorten(parser.getText()) + " is outside [0, 2^53)");
        }
        final long value = parser.getLongValue();
        if (value < 0 || value >= Limits.MAX_SAFE_EXCLUSIVE)
        {
            throw new TraceFormatException(line, field, "value " + value + " is outside [0, 2^53)");
        }
        return value;
    }

    /** A number token (an integer token counts); the range is the model's to check. */
    private double number(final String field) throws IOException
    {
        final JsonToken token = value(field);
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT)
        {
            throw wrongType(field, token, "a number");
        }
        // -0.0 equals 0 as a JSON value; keep one double for it so records compare equal.
        return parser.getDoubleValue() + 0.0;
    }

    private boolean bool(final String field) throws IOException
    {
        final JsonToken token = value(field);
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE)
        {
            throw wrongType(field, token, "true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private <E extends Enum<E>> E enumValue(final String field, final E[] values) throws IOException
    {
        final String text = string(field);
        for (final E v : values)
        {
            if (v.name().equals(text))
            {
                return v;
            }
        }
        final StringBuilder names = new StringBuilder();
        for (final E v : values)
        {
            names.append(names.length() == 0 ? "" : ", ").append(v.name());
        }
        throw new TraceFormatException(line, field, "value \"" + shorten(text) + "\" must be one of " + names);
    }

    private BanKind banKind(final String field) throws IOException
    {
        final String text = string(field);
        switch (text)
        {
            case "node":
                return BanKind.NODE;
            case "did":
                return BanKind.DID;
            case "subnet":
                return BanKind.SUBNET;
            default:
                throw new TraceFormatException(line, field, "value \"" + shorten(text) + "\" must be node, did or subnet");
        }
    }

    private NodeId nodeId(final String field) throws IOException
    {
        final String text = string(field);
        try
        {
            return NodeId.fromHex(field, text);
        }
        catch (final InvalidInputException ex)
        {
            throw invalid(ex);
        }
    }

    private void startArray(final String field) throws IOException
    {
        final JsonToken token = value(field);
        if (token != JsonToken.START_ARRAY)
        {
            throw wrongType(field, token, "an array");
        }
    }

    /** Moves into the next element of an array; false at the array's end. */
    private boolean nextElement(final String field) throws IOException
    {
        at = field;
        atObject = false;
        final JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY)
        {
            return false;
        }
        if (null == token)
        {
            throw new TraceFormatException(line, field, "the line ends inside the array");
        }
        if (token == JsonToken.VALUE_NULL)
        {
            throw new TraceFormatException(line, field, "value null is not allowed: null is never a value");
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // Structures.

    private PeerRecord record(final String path) throws IOException
    {
        final JsonToken token = value(path);
        if (token != JsonToken.START_OBJECT)
        {
            throw wrongType(path, token, "a peer record object");
        }
        try
        {
            final PeerRecord.Builder b = PeerRecord.builder().fieldPrefix(path);
            while (nextField(path))
            {
                final String name = parser.currentName();
                final String field = path + "." + name;
                switch (name)
                {
                    case "id":
                        b.id(nodeId(field));
                        break;
                    case "did":
                        b.did(string(field));
                        break;
                    case "device":
                        b.device(string(field));
                        break;
                    case "publicKey":
                        b.publicKeyHex(string(field));
                        break;
                    case "version":
                        b.version(safeLong(field));
                        break;
                    case "lastSeen":
                        b.lastSeen(safeLong(field));
                        break;
                    case "endpoints":
                        b.endpoints(endpoints(field));
                        break;
                    case "tier":
                        b.tier(enumValue(field, Tier.values()));
                        break;
                    case "trust":
                        b.trust(number(field));
                        break;
                    case "nodeType":
                        b.nodeType(enumValue(field, NodeType.values()));
                        break;
                    case "votingPower":
                        b.votingPower(safeLong(field));
                        break;
                    case "authenticated":
                        b.authenticated(bool(field));
                        break;
                    case "quantumSecure":
                        b.quantumSecure(bool(field));
                        break;
                    case "pinned":
                        b.pinned(bool(field));
                        break;
                    case "discovery":
                        b.discovery(enumValue(field, Discovery.values()));
                        break;
                    case "nextHop":
                        b.nextHop(nodeId(field));
                        break;
                    case "hopCount":
                        final long hops = safeLong(field);
                        if (hops > Limits.MAX_HOP_COUNT)
                        {
                            throw new TraceFormatException(line, field, "value " + hops + " is outside [0, 255]");
                        }
                        b.hopCount((int)hops);
                        break;
                    case "routeQuality":
                        b.routeQuality(number(field));
                        break;
                    default:
                        // firstSeen is the registry's to set, so it is unknown here as well.
                        throw new TraceFormatException(line, field, "is not a field of a peer record");
                }
            }
            return b.build();
        }
        catch (final InvalidInputException ex)
        {
            throw invalid(ex);
        }
    }

    private List<Endpoint> endpoints(final String path) throws IOException
    {
        startArray(path);
        final List<Endpoint> endpoints = new ArrayList<>();
        while (nextElement(path))
        {
            final String element = path + "[" + endpoints.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT)
            {
                throw wrongType(element, parser.currentToken(), "an endpoint object");
            }
            endpoints.add(endpoint(element));
        }
        return endpoints;
    }

    private Endpoint endpoint(final String path) throws IOException
    {
        String address = null;
        Protocol protocol = null;
        long latencyMs = -1;
        double signal = Double.NaN;
        while (nextField(path))
        {
            final String name = parser.currentName();
            final String field = path + "." + name;
            switch (name)
            {
                case "address":
                    address = string(field);
                    break;
                case "protocol":
                    protocol = enumValue(field, Protocol.values());
                    break;
                case "latencyMs":
                    latencyMs = safeLong(field);
                    break;
                case "signal":
                    signal = number(field);
                    break;
                default:
                    throw new TraceFormatException(line, field, "is not a field of an endpoint");
            }
        }
        if (null == address)
        {
            throw new TraceFormatException(line, path + ".address", "is required");
        }
        if (null == protocol)
        {
            throw new TraceFormatException(line, path + ".protocol", "is required");
        }
        if (latencyMs < 0)
        {
            throw new TraceFormatException(line, path + ".latencyMs", "is required");
        }
        if (Double.isNaN(signal))
        {
            throw new TraceFormatException(line, path + ".signal", "is required");
        }
        return Endpoint.of(path, address, protocol, latencyMs, signal);
    }

    private Batch batch(final String path) throws IOException
    {
        startArray(path);
        final Batch.Builder b = Batch.builder();
        try
        {
            while (nextElement(path))
            {
                final String element = path + "[" + b.size() + "]";
                if (parser.currentToken() != JsonToken.START_OBJECT)
                {
                    throw wrongType(element, parser.currentToken(), "an object");
                }
                batchOp(element, b);
            }
            return b.build();
        }
        catch (final InvalidInputException ex)
        {
            throw invalid(ex);
        }
    }

    private void batchOp(final String path, final Batch.Builder b) throws IOException
    {
        String op = null;
        PeerRecord peer = null;
        NodeId id = null;
        final List<String> seen = new ArrayList<>(2);
        while (nextField(path))
        {
            final String name = parser.currentName();
            final String field = path + "." + name;
            seen.add(name);
            switch (name)
            {
                case "op":
                    op = string(field);
                    break;
                case "peer":
                    peer = record(field);
                    break;
                case "id":
                    id = nodeId(field);
                    break;
                default:
                    throw new TraceFormatException(line, field, "is not a field of a batch op (upsert: op, peer; " +
                        "remove: op, id)");
            }
        }
        if (null == op)
        {
            throw new TraceFormatException(line, path + ".op", "is required: upsert or remove");
        }
        final String wanted;
        switch (op)
        {
            case "upsert":
                wanted = "peer";
                break;
            case "remove":
                wanted = "id";
                break;
            default:
                throw new TraceFormatException(
                    line, path + ".op", "value \"" + shorten(op) + "\" must be upsert or remove inside a batch");
        }
        for (final String name : seen)
        {
            if (!name.equals("op") && !name.equals(wanted))
            {
                throw new TraceFormatException(line, path + "." + name, "is not a field of a batch " + op);
            }
        }
        if (null == peer && null == id)
        {
            throw new TraceFormatException(line, path + "." + wanted, "is required");
        }
        if (null != peer)
        {
            b.upsert(peer);
        }
        else
        {
            b.remove(id);
        }
    }

    private Set<PublicKey> validatorKeys(final String path) throws IOException
    {
        startArray(path);
        final Set<PublicKey> keys = new LinkedHashSet<>();
        int i = 0;
        while (nextElement(path))
        {
            final String element = path + "[" + i + "]";
            if (parser.currentToken() != JsonToken.VALUE_STRING)
            {
                throw wrongType(element, parser.currentToken(), "a public key in lowercase hex");
            }
            final String hex = parser.getText();
            try
            {
                if (!keys.add(PublicKey.fromHex(element, hex)))
                {
                    throw new TraceFormatException(line, element, "value \"" + shorten(hex) + "\" is listed twice");
                }
            }
            catch (final InvalidInputException ex)
            {
                throw invalid(ex);
            }
            i++;
        }
        return keys;
    }

    private static boolean isSetting(final String name)
    {
        for (final String s : SETTINGS)
        {
            if (s.equals(name))
            {
                return true;
            }
        }
        return false;
    }

    /** The fields of one line, gathered in any order, checked against the op once the object is read. */
    private final class Fields
    {
        final List<String> seen = new ArrayList<>();
        final Map<String, Long> settings = new LinkedHashMap<>();
        String op;
        long t = -1;
        PeerRecord peer;
        NodeId id;
        long lastSeen = -1;
        Batch batch;
        BanKind kind;
        String value;
        long until = -1;
        Set<PublicKey> validatorKeys;

        void check()
        {
            if (null == op)
            {
                throw new TraceFormatException(line, "op", "is required");
            }
            final String[] required;
            final String[] optional;
            switch (op)
            {
                case "config":
                    required = new String[0];
                    optional = null;
                    break;
                case "upsert":
                    required = new String[]{ "t", "peer" };
                    optional = new String[0];
                    break;
                case "remove":
                    required = new String[]{ "t", "id" };
                    optional = new String[0];
                    break;
                case "touch":
                    required = new String[]{ "t", "id", "lastSeen" };
                    optional = new String[0];
                    break;
                case "batch":
                    required = new String[]{ "t", "ops" };
                    optional = new String[0];
                    break;
                case "tick":
                    required = new String[]{ "t" };
                    optional = new String[0];
                    break;
                case "ban":
                    required = new String[]{ "t", "kind", "value" };
                    optional = new String[]{ "until" };
                    break;
                case "unban":
                    required = new String[]{ "t", "kind", "value" };
                    optional = new String[0];
                    break;
                default:
                    throw new TraceFormatException(line, "op", "value \"" + shorten(op) +
                        "\" must be config, upsert, remove, touch, batch, tick, ban or unban");
            }
            for (final String name : seen)
            {
                final boolean allowed = name.equals("op") || contains(required, name) ||
                    (null == optional ? isSetting(name) || name.equals(VALIDATOR_KEYS) : contains(optional, name));
                if (!allowed)
                {
                    throw new TraceFormatException(line, name, "is not a field of " + article(op) + " " + op + " op");
                }
            }
            for (final String name : required)
            {
                if (!seen.contains(name))
                {
                    throw new TraceFormatException(line, name, "is required in " + article(op) + " " + op + " op");
                }
            }
            if ("ban".equals(op) && seen.contains("until") && until <= t)
            {
                throw new TraceFormatException(line, "until", "value " + until + " must be greater than t (" + t + ")");
            }
        }

        RegistrySettings settings()
        {
            try
            {
                final RegistrySettings.Builder b = RegistrySettings.builder();
                for (final Map.Entry<String, Long> e : settings.entrySet())
                {
                    final long v = e.getValue();
                    switch (e.getKey())
                    {
                        case "maxPeers":
                            b.maxPeers(v);
                            break;
                        case "peerTtlMs":
                            b.peerTtlMs(v);
                            break;
                        case "tombstoneTtlMs":
                            b.tombstoneTtlMs(v);
                            break;
                        case "maxTombstones":
                            b.maxTombstones(v);
                            break;
                        case "maxDevicesPerDid":
                            b.maxDevicesPerDid(v);
                            break;
                        case "maxPeersPerSubnet":
                            b.maxPeersPerSubnet(v);
                            break;
                        case "maxBans":
                            b.maxBans(v);
                            break;
                        case "globalRateLimitPerSec":
                            b.globalRateLimitPerSec(v);
                            break;
                        default:
                            b.didRateLimitPerMin(v);
                            break;
                    }
                }
                b.authorizedValidatorKeys(validatorKeys);
                return b.build();
            }
            catch (final InvalidInputException ex)
            {
                throw invalid(ex);
            }
        }

        MutationValue toOp()
        {
            try
            {
                switch (op)
                {
                    case "upsert":
                        return MutationValue.upsert(t, peer);
                    case "remove":
                        return MutationValue.remove(t, id);
                    case "touch":
                        return MutationValue.touch(t, id, lastSeen);
                    case "batch":
                        return MutationValue.batch(t, batch);
                    case "tick":
                        return MutationValue.tick(t);
                    case "ban":
                        return MutationValue.ban(t, Ban.of(kind, value, seen.contains("until") ? until : Ban.FOREVER));
                    default:
                        return MutationValue.unban(t, Ban.of(kind, value));
                }
            }
            catch (final InvalidInputException ex)
            {
                throw invalid(ex);
            }
        }

        private String article(final String name)
        {
            return name.startsWith("u") ? "an" : "a";
        }

        private boolean contains(final String[] names, final String name)
        {
            for (final String n : names)
            {
                if (n.equals(name))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
