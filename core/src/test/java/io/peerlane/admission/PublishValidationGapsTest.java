package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Inputs the API lets through although TRACE.md forbids them: a ban whose {@code until} is not greater
 * than its event time, a null mutation, and a mutation of no kind. Each must be refused with an
 * {@link InvalidInputException} naming the field, with the ring untouched.
 */
class PublishValidationGapsTest
{
    private static PeerlaneEngine engine;

    @BeforeAll
    static void start()
    {
        engine = PeerlaneEngine.launch(new EngineContext().ringSize(16));
    }

    @AfterAll
    static void stop()
    {
        engine.close();
    }

    private static void refused(final String field, final Executable call)
    {
        final long cursor = engine.cursor();
        final InvalidInputException ex = assertThrows(InvalidInputException.class, call);
        assertEquals(field, ex.field(), ex.getMessage());
        assertEquals(cursor, engine.cursor(), "the ring's cursor moved");
    }

    @Test
    void aBanUntilItsOwnTimeIsRefused()
    {
        refused("until", () -> engine.ban(T0, Ban.of(BanKind.NODE, id(1).toHex(), T0)));
        refused("until", () -> engine.ban(T0, Ban.of(BanKind.DID, "did:x:y", T0 - 1)));
        final MutationValue op = MutationValue.ban(T0, Ban.of(BanKind.SUBNET, "10.0.0.0/8", 5));
        refused("until", () -> engine.publish(op, false));
    }

    @Test
    void aNullMutationIsRefused()
    {
        refused("mutation", () -> engine.publish(null, false));
    }

    @Test
    void aMutationOfNoKindIsRefused()
    {
        refused("op", () -> engine.publish(new MutationValue(null, T0, null, null, 0, null, null, null, null), false));
    }
}
