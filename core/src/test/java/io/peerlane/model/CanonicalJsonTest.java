package io.peerlane.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The canonical writer of TRACE.md's output lines. */
class CanonicalJsonTest
{
    @Test
    void canonicalNumbersAndStrings()
    {
        assertEquals("0.5", CanonicalJson.decimalText(0.5));
        assertEquals("1.0", CanonicalJson.decimalText(1.0));
        assertEquals("0.0", CanonicalJson.decimalText(0.0));
        assertEquals("0.1", CanonicalJson.decimalText(0.1));
        assertEquals("0.0001", CanonicalJson.decimalText(0.0001));
        assertEquals("0.30000000000000004", CanonicalJson.decimalText(0.1 + 0.2));
        assertEquals("0.9999999999999999", CanonicalJson.decimalText(0.9999999999999999));
        // Java 17's Double.toString gives 2.0E-3 style and is not always shortest; the model must not use it.
        assertEquals("0.002", CanonicalJson.decimalText(2e-3));
        assertEquals("123456789012.5", CanonicalJson.decimalText(123456789012.5));
        final String tiny = CanonicalJson.decimalText(Double.MIN_VALUE);
        // Java prints 4.9E-324, but one digit reads back already.
        assertEquals("0." + "0".repeat(323) + "5", tiny);
        assertEquals("{\"s\":\"q\\\"b\\\\t\\tn\\nr\\rf\\fb\\bu\\u0001\\u001f\\u007f\\u009fé\"}",
            new CanonicalJson().open().key("s").string("q\"b\\t\tn\nr\rf\fb\bu\u0001\u001f\u007f\u009fé").close()
                .toString());
        assertEquals("{\"a\":[1,{\"b\":true},\"c\"],\"d\":{}}", new CanonicalJson().open().key("a").openArray().number(1)
            .open().key("b").bool(true).close().string("c").closeArray().key("d").open().close().close().toString());
    }
}
