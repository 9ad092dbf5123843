package io.peerlane.config;

import io.peerlane.engine.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readers parse strictly and name the property and the value when they refuse one. */
class ConfigurationTest
{
    private static final String NAME = "peerlane.test.configuration";

    @AfterEach
    void clear()
    {
        System.clearProperty(NAME);
    }

    @Test
    void unsetGivesTheDefault()
    {
        assertEquals(7, Configuration.intValue(NAME, 7));
        assertEquals(7L, Configuration.longValue(NAME, 7L));
        assertTrue(Configuration.booleanValue(NAME, true));
        assertEquals(Topology.COMPACT, Configuration.enumValue(NAME, Topology.class, Topology.COMPACT));
        assertEquals(Duration.ofSeconds(3), Configuration.durationValue(NAME, Duration.ofSeconds(3)));
        assertNull(Configuration.pathValue(NAME));
        assertNull(Configuration.textValue(NAME));
        assertFalse(Configuration.isSet(NAME));
    }

    @Test
    void goodValuesParse()
    {
        assertEquals(-12, read(" -12 ", () -> Configuration.intValue(NAME, 0)));
        assertEquals(1L << 40, read(Long.toString(1L << 40), () -> Configuration.longValue(NAME, 0)));
        assertEquals(false, read("FALSE", () -> Configuration.booleanValue(NAME, true)));
        assertEquals(true, read("True", () -> Configuration.booleanValue(NAME, false)));
        assertEquals(Topology.PIPELINED, read("pipelined", () -> Configuration.enumValue(NAME, Topology.class, null)));
        assertEquals(Duration.ofMillis(1500), read("1500", () -> Configuration.durationValue(NAME, null)));
        assertEquals(Duration.ofMillis(20), read("20ms", () -> Configuration.durationValue(NAME, null)));
        assertEquals(Duration.ofSeconds(2), read("2 s", () -> Configuration.durationValue(NAME, null)));
        assertEquals(Duration.ofNanos(5000), read("5us", () -> Configuration.durationValue(NAME, null)));
        assertEquals(Duration.ofMinutes(1), read("1m", () -> Configuration.durationValue(NAME, null)));
        assertEquals(Path.of("/tmp/x"), read(" /tmp/x ", () -> Configuration.pathValue(NAME)));
        assertNull(read("   ", () -> Configuration.pathValue(NAME)), "blank is unset for a path");
    }

    @Test
    void badValuesAreRefusedNamingThePropertyAndTheValue()
    {
        refused("12x", "must be an integer", () -> Configuration.intValue(NAME, 0));
        refused("3000000000", "must be an integer in", () -> Configuration.intValue(NAME, 0));
        refused("", "must be an integer", () -> Configuration.longValue(NAME, 0));
        refused("yes", "must be true or false", () -> Configuration.booleanValue(NAME, false));
        refused("sideways", "must be one of [COMPACT, PIPELINED]", () -> Configuration.enumValue(NAME, Topology.class, null));
        refused("soon", "must be a duration", () -> Configuration.durationValue(NAME, null));
        refused("5 fortnights", "unknown unit", () -> Configuration.durationValue(NAME, null));
        refused("9223372036854775807h", "too long", () -> Configuration.durationValue(NAME, null));
        refused("a\u0000b", "is not a path", () -> Configuration.pathValue(NAME));
    }

    @Test
    void everyPropertyNameIsDistinctAndUnderPeerlane() throws IllegalAccessException
    {
        final Set<String> names = new HashSet<>();
        int count = 0;
        for (final Field f : Configuration.class.getFields())
        {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_PROP_NAME"))
            {
                final String name = (String)f.get(null);
                assertTrue(name.startsWith("peerlane."), f.getName() + " = " + name);
                assertTrue(names.add(name), "two settings share " + name);
                count++;
            }
        }
        assertEquals(34, count, "properties: " + names);
    }

    private static <T> T read(final String value, final java.util.function.Supplier<T> reader)
    {
        System.setProperty(NAME, value);
        try
        {
            return reader.get();
        }
        finally
        {
            System.clearProperty(NAME);
        }
    }

    private static void refused(final String value, final String reason, final Runnable reader)
    {
        System.setProperty(NAME, value);
        try
        {
            final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, reader::run, value);
            assertTrue(thrown.getMessage().contains(NAME), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("'" + value + "'"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(reason), thrown.getMessage());
        }
        finally
        {
            System.clearProperty(NAME);
        }
    }
}
