package io.peerlane.digest;

import io.peerlane.digest.StateDigest;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.state.RegistryView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonTest
{
    private static String number(final double d)
    {
        return CanonicalJson.number(new StringBuilder(), d).toString();
    }

    @Test
    void numbersAreShortestPlainDecimalsWithAFractionDigit()
    {
        assertEquals("0.5", number(0.5));
        assertEquals("1.0", number(1.0));
        assertEquals("0.0", number(0.0));
        assertEquals("-0.0", number(-0.0));
        assertEquals("0.0001", number(0.0001));
        assertEquals("0.1", number(0.1));
        assertEquals("0.333", number(0.333));
        assertEquals("0.30000000000000004", number(0.1 + 0.2));
        // Java 17's Double.toString gives 0.0020 here: not the shortest.
        assertEquals("0.002", number(0.002));
        assertEquals("0.000001", number(1e-6));
        assertEquals("123456.789", number(123456.789));
        assertEquals("100000000000000000000.0", number(1e20));
        assertEquals("0.000000000000000000001", number(1e-21));
        assertTrue(number(Double.MIN_VALUE).startsWith("0.000"));
        assertEquals(Double.MIN_VALUE, Double.parseDouble(number(Double.MIN_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> number(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> number(Double.POSITIVE_INFINITY));
    }

    @Test
    void randomNumbersRoundTripShortAndPlain()
    {
        final long seed = System.nanoTime();
        System.out.println("CanonicalJsonTest seed " + seed);
        final Random random = new Random(seed);
        for (int i = 0; i < 40_000; i++)
        {
            final double d;
            switch (i % 4)
            {
                case 0:
                    d = random.nextDouble();
                    break;
                case 1:
                    d = Math.round(random.nextDouble() * Math.pow(10, 1 + random.nextInt(8))) /
                        Math.pow(10, 1 + random.nextInt(8));
                    break;
                case 2:
                    // Any mantissa, exponents from 2^-80 to 2^80: long decimals without huge BigDecimals.
                    d = Double.longBitsToDouble(((long)(1023 - 80 + random.nextInt(161)) << 52) |
                        (random.nextLong() & ((1L << 52) - 1)));
                    break;
                default:
                    d = random.nextInt(1000) / 1000.0;
                    break;
            }
            if (!Double.isFinite(d))
            {
                continue;
            }
            final String text = number(d);
            final String context = "seed " + seed + " value " + Double.toString(d) + " text " + text;
            assertEquals(d, Double.parseDouble(text), context);
            assertFalse(text.contains("E") || text.contains("e"), context);
            assertTrue(text.indexOf('.') > 0 && text.indexOf('.') < text.length() - 1, context);
            assertEquals(CanonicalJson.shortestPlain(d), text, context);
            // Never longer than Java's own digits (which are sometimes one too many, never too few).
            assertTrue(significantDigits(text) <= significantDigits(new BigDecimal(Double.toString(d)).toPlainString()),
                context);
            // No decimal with one significant digit fewer reads back to the value.
            final BigDecimal exact = new BigDecimal(d);
            final int digits = significantDigits(text);
            if (digits > 1 && d != 0.0)
            {
                for (final java.math.RoundingMode mode : new java.math.RoundingMode[]{
                    java.math.RoundingMode.DOWN, java.math.RoundingMode.UP })
                {
                    final BigDecimal shorter = exact.round(new java.math.MathContext(digits - 1, mode));
                    assertTrue(shorter.doubleValue() != d, context + " shorter " + shorter);
                }
            }
        }
    }

    private static int significantDigits(final String plain)
    {
        final BigDecimal bd = new BigDecimal(plain).stripTrailingZeros();
        return bd.signum() == 0 ? 1 : bd.precision();
    }

    @Test
    void stringsEscapeOnlyQuoteBackslashAndControls()
    {
        final String s = CanonicalJson.string(new StringBuilder(), "a\"b\\c/d\b\t\n\f\r\u0001\u001f\u007fé€").toString();
        assertEquals("\"a\\\"b\\\\c/d\\b\\t\\n\\f\\r\\u0001\\u001f\u007fé€\"", s);
    }

    @Test
    void stateLineHoldsEveryFieldInOrder()
    {
        final NodeId a = NodeId.fromHex("a".repeat(64));
        final NodeId b = NodeId.fromHex("b".repeat(64));
        final PeerRecord r = PeerRecord.builder(a).did("did:ex:a").device("d").publicKeyHex("0a")
            .version(3).lastSeen(7).endpoint(Endpoint.of("1.2.3.4:5", Protocol.UDP, 9, 1.0))
            .nextHop(b).hopCount(2).routeQuality(0.25).build();
        assertEquals("{\"id\":\"" + a.toHex() + "\",\"did\":\"did:ex:a\",\"device\":\"d\",\"publicKey\":\"0a\"," +
            "\"version\":3,\"lastSeen\":7,\"endpoints\":[{\"address\":\"1.2.3.4:5\",\"protocol\":\"UDP\"," +
            "\"latencyMs\":9,\"signal\":1.0}],\"tier\":\"TIER3\",\"trust\":0.5,\"nodeType\":\"FULL\"," +
            "\"votingPower\":0,\"authenticated\":false,\"quantumSecure\":false,\"pinned\":false," +
            "\"discovery\":\"MANUAL\",\"nextHop\":\"" + b.toHex() + "\",\"hopCount\":2,\"routeQuality\":0.25," +
            "\"firstSeen\":5}", CanonicalJson.stateLine(new StringBuilder(), r, 7, 5).toString());
        final String record = CanonicalJson.record(new StringBuilder(), r).toString();
        assertTrue(record.endsWith("\"routeQuality\":0.25}"));
    }

    @Test
    void digestOfNoPeerIsTheSha256OfNothing() throws Exception
    {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            StateDigest.of(RegistryView.empty()));
        final StringBuilder out = new StringBuilder();
        new StateDigest().report(RegistryView.empty(), out);
        assertEquals("{\"peers\":0,\"digest\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}\n",
            out.toString());
    }
}
