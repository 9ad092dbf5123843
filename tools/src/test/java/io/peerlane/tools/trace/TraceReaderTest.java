package io.peerlane.tools.trace;

import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReaderTest
{
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String PEER = "\"id\":\"" + A + "\",\"did\":\"did:ex:a\",\"device\":\"d1\",\"publicKey\":\"01\"," +
        "\"version\":1,\"lastSeen\":5";
    static final String OK = "{\"op\":\"tick\",\"t\":1}";

    private static String upsert(final String peerFields)
    {
        return "{\"op\":\"upsert\",\"t\":10,\"peer\":{" + peerFields + "}}";
    }

    private static String endpoint(final String fields)
    {
        return upsert(PEER + ",\"endpoints\":[" + fields + "]");
    }

    static Stream<Arguments> malformedLines()
    {
        final String ep = "{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":0.5}";
        final String batchUpsert = "{\"op\":\"upsert\",\"peer\":{" + PEER + "}}";
        return Stream.of(
            // ranges
            Arguments.of(endpoint(ep + ",{\"address\":\"y\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":1.5}"),
                "peer.endpoints[1].signal", "value 1.5 is outside [0, 1]"),
            Arguments.of("{\"op\":\"tick\",\"t\":9007199254740992}", "t", "outside [0, 2^53)"),
            Arguments.of("{\"op\":\"tick\",\"t\":-1}", "t", "outside [0, 2^53)"),
            Arguments.of("{\"op\":\"tick\",\"t\":123456789012345678901234567890}", "t", "outside [0, 2^53)"),
            Arguments.of(upsert(PEER.replace("\"version\":1", "\"version\":-1")), "peer.version", "outside"),
            Arguments.of(upsert(PEER + ",\"hopCount\":256"), "peer.hopCount", "outside [0, 255]"),
            Arguments.of(upsert(PEER + ",\"trust\":1.0000001"), "peer.trust", "outside [0, 1]"),
            Arguments.of(upsert(PEER + ",\"routeQuality\":-0.5"), "peer.routeQuality", "outside [0, 1]"),
            Arguments.of(upsert(PEER + ",\"trust\":1e400"), "peer.trust", "outside [0, 1]"),
            Arguments.of(endpoint("{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":-1,\"signal\":0.5}"),
                "peer.endpoints[0].latencyMs", "outside"),
            Arguments.of(upsert(PEER.replace("\"did\":\"did:ex:a\"", "\"did\":\"did:EX:a\"")), "peer.did", "must match"),
            Arguments.of(upsert(PEER.replace("\"device\":\"d1\"", "\"device\":\"\"")), "peer.device", "1 to 64"),
            Arguments.of(upsert(PEER.replace("\"publicKey\":\"01\"", "\"publicKey\":\"0\"")), "peer.publicKey", "hex"),
            Arguments.of(upsert(PEER.replace(A, A.toUpperCase())), "peer.id", "lowercase hex"),
            Arguments.of(upsert(PEER + ",\"nextHop\":\"" + A + "\""), "peer.nextHop", "own id"),
            Arguments.of(endpoint("{\"address\":\"\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":0.5}"),
                "peer.endpoints[0].address", "1 to 255"),
            Arguments.of(endpoint(ep + "," + ep), "peer.endpoints[1]", "repeats"),
            Arguments.of(endpoint(String.join(",", java.util.Collections.nCopies(17, ep)).replace("\"x\"", "\"x\"")),
                "peer.endpoints", "at most 16"),
            Arguments.of("{\"op\":\"config\",\"maxPeers\":-5}", "maxPeers", "outside"),
            // integer tokens only
            Arguments.of(upsert(PEER.replace("\"version\":1", "\"version\":1.0")), "peer.version", "integer token"),
            Arguments.of("{\"op\":\"tick\",\"t\":1e3}", "t", "integer token"),
            // types
            Arguments.of("{\"op\":\"tick\",\"t\":\"1\"}", "t", "must be an integer, got a string"),
            Arguments.of(upsert(PEER + ",\"trust\":\"0.5\""), "peer.trust", "must be a number"),
            Arguments.of(upsert(PEER + ",\"pinned\":1"), "peer.pinned", "true or false"),
            Arguments.of(upsert(PEER + ",\"endpoints\":{}"), "peer.endpoints", "must be an array"),
            Arguments.of(upsert(PEER + ",\"endpoints\":[1]"), "peer.endpoints[0]", "endpoint object"),
            Arguments.of(upsert(PEER + ",\"tier\":\"tier1\""), "peer.tier", "must be one of TIER1"),
            Arguments.of("{\"op\":\"upsert\",\"t\":10,\"peer\":[]}", "peer", "must be a peer record object"),
            Arguments.of("{\"op\":3,\"t\":1}", "op", "must be a string"),
            // null
            Arguments.of(upsert(PEER + ",\"nextHop\":null"), "peer.nextHop", "null"),
            Arguments.of("{\"op\":\"tick\",\"t\":null}", "t", "null"),
            Arguments.of("{\"op\":\"config\",\"authorizedValidatorKeys\":[\"01\",null]}", "authorizedValidatorKeys", "null"),
            // duplicate keys, at any depth
            Arguments.of("{\"op\":\"tick\",\"t\":1,\"t\":2}", "t", "Duplicate"),
            Arguments.of(upsert(PEER + ",\"version\":2"), "peer.version", "Duplicate"),
            Arguments.of(endpoint("{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":0.5,\"signal\":0.5}"),
                "peer.endpoints[0].signal", "Duplicate"),
            // unknown keys, at any depth
            Arguments.of("{\"op\":\"tick\",\"t\":1,\"x\":1}", "x", "not a field"),
            Arguments.of("{\"op\":\"tick\",\"t\":1,\"peer\":{" + PEER + "}}", "peer", "not a field of a tick op"),
            Arguments.of(upsert(PEER + ",\"firstSeen\":3"), "peer.firstSeen", "not a field of a peer record"),
            Arguments.of(endpoint("{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":0.5,\"port\":1}"),
                "peer.endpoints[0].port", "not a field of an endpoint"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[" + batchUpsert + ",{\"op\":\"remove\",\"id\":\"" + A +
                "\",\"t\":1}]}", "ops[1].t", "not a field of a batch op"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[{\"op\":\"remove\",\"id\":\"" + A + "\",\"peer\":{" +
                PEER + "}}]}", "ops[0].peer", "not a field of a batch remove"),
            Arguments.of("{\"op\":\"unban\",\"t\":1,\"kind\":\"node\",\"value\":\"" + A + "\",\"until\":5}", "until",
                "not a field of an unban op"),
            Arguments.of("{\"op\":\"config\",\"t\":1}", "t", "not a field of a config op"),
            // missing fields
            Arguments.of("{\"op\":\"upsert\",\"t\":1}", "peer", "is required"),
            Arguments.of("{\"t\":1}", "op", "is required"),
            Arguments.of("{\"op\":\"tick\"}", "t", "is required"),
            Arguments.of(upsert(PEER.replace(",\"version\":1", "")), "peer.version", "is required"),
            Arguments.of(upsert(PEER.replace("\"id\":\"" + A + "\",", "")), "peer.id", "is required"),
            Arguments.of(endpoint("{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":1}"),
                "peer.endpoints[0].signal", "is required"),
            Arguments.of("{\"op\":\"touch\",\"t\":1,\"id\":\"" + A + "\"}", "lastSeen", "is required"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[{\"op\":\"upsert\"}]}", "ops[0].peer", "is required"),
            // op values
            Arguments.of("{\"op\":\"jump\",\"t\":1}", "op", "must be config, upsert"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[]}", "ops", "1 to 1024"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[" +
                String.join(",", java.util.Collections.nCopies(1025, batchUpsert)) + "]}", "ops", "1 to 1024"),
            Arguments.of("{\"op\":\"batch\",\"t\":1,\"ops\":[{\"op\":\"tick\"}]}", "ops[0].op", "upsert or remove"),
            Arguments.of("{\"op\":\"ban\",\"t\":5,\"kind\":\"node\",\"value\":\"" + A + "\",\"until\":5}", "until",
                "greater than t"),
            Arguments.of("{\"op\":\"ban\",\"t\":5,\"kind\":\"ip\",\"value\":\"x\"}", "kind", "node, did or subnet"),
            Arguments.of("{\"op\":\"ban\",\"t\":5,\"kind\":\"subnet\",\"value\":\"10.1.2.3/24\"}", "value", "host bits"),
            Arguments.of("{\"op\":\"ban\",\"t\":5,\"kind\":\"did\",\"value\":\"bob\"}", "value", "DID"),
            Arguments.of("{\"op\":\"remove\",\"t\":5,\"id\":\"abc\"}", "id", "64 lowercase hex"),
            Arguments.of("{\"op\":\"config\",\"authorizedValidatorKeys\":[\"01\",\"zz\"]}",
                "authorizedValidatorKeys[1]", "hex"),
            Arguments.of("{\"op\":\"config\",\"authorizedValidatorKeys\":[\"01\",\"01\"]}",
                "authorizedValidatorKeys[1]", "listed twice"),
            // syntax
            Arguments.of("{\"op\":\"tick\",\"t\":1", null, "malformed JSON"),
            Arguments.of("{\"op\":\"tick\",\"t\":1} x", null, "malformed JSON"),
            Arguments.of("{\"op\":\"tick\",\"t\":1}{}", null, "more than one JSON value"),
            Arguments.of("[1]", null, "must be a JSON object"),
            Arguments.of("   ", null, "must be a JSON object"),
            Arguments.of("{\"op\":\"tick\",\"t\":01}", "t", "malformed JSON"),
            Arguments.of(upsert(PEER.replace("\"d1\"", "\"d\u0001\"")), "peer.device", "malformed JSON"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void malformedLineNamesLineAndField(final String badLine, final String field, final String detail)
    {
        final String text = "# a comment\n\n" + OK + "\n" + badLine + "\n" + OK + "\n";
        final TraceFormatException ex = assertThrows(TraceFormatException.class,
            () -> TraceReader.parse(text.getBytes(StandardCharsets.UTF_8)));
        System.out.println(ex.getMessage());
        assertEquals(4, ex.line(), ex.getMessage());
        assertEquals(field, ex.field(), ex.getMessage());
        assertTrue(ex.detail().contains(detail), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("line 4: " + (null == field ? "" : field + ": ")), ex.getMessage());
    }

    @Test
    void messageNamesLineFieldAndValue()
    {
        final String bad = endpoint("{\"address\":\"x\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":0.5}," +
            "{\"address\":\"y\",\"protocol\":\"TCP\",\"latencyMs\":1,\"signal\":1.5}");
        final String text = "\n".repeat(11) + bad + "\n";
        final TraceFormatException ex = assertThrows(TraceFormatException.class,
            () -> TraceReader.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals("line 12: peer.endpoints[1].signal: value 1.5 is outside [0, 1]", ex.getMessage());
    }

    @Test
    void fileLevelRules()
    {
        assertError("\uFEFF" + OK + "\n", 1, null);
        assertError(OK + "\n{\"op\":\"config\",\"maxPeers\":3}\n", 2, "op");
        assertError("{\"op\":\"tick\",\"t\":5}\n{\"op\":\"tick\",\"t\":4}\n", 2, "t");
        final byte[] badUtf8 = (OK + "\n" + OK + "\n{\"op\":\"tick\",\"t\":1,\"x\":\"\u00e9\"}\n")
            .getBytes(StandardCharsets.UTF_8);
        badUtf8[badUtf8.length - 5] = (byte)0xFF;
        final TraceFormatException ex = assertThrows(TraceFormatException.class, () -> TraceReader.parse(badUtf8));
        assertEquals(3, ex.line());
        assertTrue(ex.getMessage().contains("UTF-8"), ex.getMessage());
    }

    private static void assertError(final String text, final int line, final String field)
    {
        final TraceFormatException ex = assertThrows(TraceFormatException.class,
            () -> TraceReader.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(line, ex.line(), ex.getMessage());
        assertEquals(field, ex.field(), ex.getMessage());
    }

    @Test
    void readsEveryOpWithLineNumbersDefaultsAndCrLf()
    {
        final String text = "# comment\r\n" +
            "{\"op\":\"config\",\"maxPeers\":7,\"authorizedValidatorKeys\":[]}\r\n" +
            "\r\n" +
            upsert(PEER + ",\"trust\":1,\"tier\":\"TIER1\",\"nodeType\":\"VALIDATOR\",\"routeQuality\":-0.0") + "\r\n" +
            "{\"op\":\"remove\",\"t\":10,\"id\":\"" + B + "\"}\n" +
            "{\"t\":11,\"lastSeen\":3,\"id\":\"" + A + "\",\"op\":\"touch\"}\n" +
            "{\"op\":\"batch\",\"t\":11,\"ops\":[{\"peer\":{" + PEER + "},\"op\":\"upsert\"},{\"op\":\"remove\",\"id\":\"" +
            B + "\"}]}\n" +
            "{\"op\":\"ban\",\"t\":12,\"kind\":\"subnet\",\"value\":\"10.0.0.0/8\",\"until\":13}\n" +
            "{\"op\":\"unban\",\"t\":12,\"kind\":\"did\",\"value\":\"did:ex:a\"}\n" +
            "{\"op\":\"tick\",\"t\":12}";
        final Trace trace = TraceReader.parse(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(RegistrySettings.builder().maxPeers(7).build(), trace.settings());
        assertNull(trace.settings().authorizedValidatorKeys());
        assertEquals(7, trace.ops().size());
        final MutationValue up = trace.ops().get(0);
        assertEquals(4, trace.line(0));
        assertEquals(MutationKind.UPSERT, up.kind());
        assertEquals(1.0, up.record().trust());
        assertEquals(Tier.TIER1, up.record().tier());
        assertEquals(NodeType.VALIDATOR, up.record().nodeType());
        assertEquals(0, Double.compare(0.0, up.record().routeQuality()));
        assertNull(up.refusedBy(0));
        assertEquals(MutationKind.REMOVE, trace.ops().get(1).kind());
        assertEquals(MutationKind.TOUCH, trace.ops().get(2).kind());
        assertEquals(3, trace.ops().get(2).lastSeen());
        assertEquals(2, trace.ops().get(3).batch().size());
        assertEquals(BanKind.SUBNET, trace.ops().get(4).ban().kind());
        assertEquals(13, trace.ops().get(4).ban().until());
        assertEquals(MutationKind.UNBAN, trace.ops().get(5).kind());
        assertEquals(10, trace.line(6));
    }
}
