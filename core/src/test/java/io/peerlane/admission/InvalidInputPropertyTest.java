package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.peer.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random invalid inputs (see {@link BadInputGenerator}): each one is refused at the API with an
 * {@link InvalidInputException} naming its field and quoting its value and the limit, no other exception
 * escapes, and the ring's cursor never moves. Run again with {@code -Dpeerlane.seed=N} to repeat a seed.
 */
class InvalidInputPropertyTest
{
    private static final int CASES = 25_000;
    private static final int MESSAGE_VALUE_CHARS = 80;

    @Test
    void everyInvalidInputIsRefusedAtTheApiAndNothingEntersTheRing()
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println("InvalidInputPropertyTest seed=" + seed + " (repeat with -Dpeerlane.seed=" + seed + ")");
        final Map<String, Integer> byField = new HashMap<>();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().ringSize(16)))
        {
            final long cursor = engine.cursor();
            final BadInputGenerator generator = new BadInputGenerator(seed, engine);
            for (int i = 0; i < CASES; i++)
            {
                final BadInput input = generator.next();
                final String where = "seed " + seed + " case " + i + ": " + input;
                check(input, where);
                assertEquals(cursor, engine.cursor(), "the ring's cursor moved; " + where);
                byField.merge(input.field.replaceAll("\\[\\d+]", "[]"), 1, Integer::sum);
            }
            assertEquals(0, engine.view().size());
            assertEquals(0, engine.view().eventSeq());
            assertTrue(engine.stats().outcomes().isEmpty(), "no outcome was decided: " + engine.stats().outcomes());
        }
        System.out.println("InvalidInputPropertyTest cases per field: " + new TreeMap<>(byField));
        assertTrue(byField.size() >= 60, "the generator reaches every field: " + byField.keySet());
    }

    private static void check(final BadInput input, final String where)
    {
        try
        {
            input.call.execute();
        }
        catch (final InvalidInputException ex)
        {
            final String message = ex.getMessage();
            assertEquals(input.field, ex.field(), where + "; message: " + message);
            assertEquals(input.value, ex.value(), where + "; message: " + message);
            assertTrue(message.startsWith(input.field + ": "), where + "; message: " + message);
            final String quoted = input.value.length() > MESSAGE_VALUE_CHARS ?
                input.value.substring(0, MESSAGE_VALUE_CHARS) : input.value;
            assertTrue(message.contains("value") && message.contains(quoted),
                "the message quotes the value; " + where + "; message: " + message);
            assertTrue(!ex.limit().isBlank() && message.endsWith(ex.limit()),
                "the message states the limit; " + where + "; message: " + message);
            return;
        }
        catch (final Throwable other)
        {
            fail("not an InvalidInputException: " + other + "; " + where, other);
        }
        fail("accepted: " + where);
    }
}
