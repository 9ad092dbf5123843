package io.peerlane.admission;

import io.peerlane.mutation.Batch;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A user's rule that throws anything, not only a RuntimeException, must fail closed: a rule written in
 * another JVM language can throw a checked exception, and a buggy recursive rule throws StackOverflowError.
 * Otherwise the throwable escapes the commit stage: the producer's outcome never comes, and a batch is
 * left half applied because its undo log is never replayed.
 */
class RuleFailsClosedOnAnyThrowableTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(final Throwable t) throws E
    {
        throw (E)t;
    }

    private static final AdmissionRule CHECKED = (r, current, state) ->
    {
        if (r.device().equals("checked"))
        {
            sneakyThrow(new IOException("rule read a file"));
        }
        return null;
    };

    private static final AdmissionRule ERROR = (r, current, state) ->
    {
        if (r.device().equals("error"))
        {
            throw new StackOverflowError("rule recursed");
        }
        return null;
    };

    @Test
    void aCheckedExceptionFromARuleIsRuleError()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults(), CHECKED))
        {
            final Outcome outcome = h.engine.upsertAndWait(T0, peer(1).device("checked").build(), WAIT);
            assertEquals(OutcomeCode.REJECTED, outcome.code());
            assertEquals("RULE_ERROR", outcome.reason());
        }
    }

    @Test
    void anErrorFromARuleIsRuleError()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults(), ERROR))
        {
            final Outcome outcome = h.engine.upsertAndWait(T0, peer(1).device("error").build(), WAIT);
            assertEquals(OutcomeCode.REJECTED, outcome.code());
            assertEquals("RULE_ERROR", outcome.reason());
        }
    }

    @Test
    void aBatchWhoseRuleThrowsAnErrorLeavesNothing()
    {
        try (Harness h = Harness.compact(RegistrySettings.defaults(), ERROR))
        {
            final long sequence = h.engine.batch(T0, Batch.builder().upsert(peer(1).build())
                .upsert(peer(2).device("error").build()).build());
            h.engine.tick(T0 + 1);
            final Committed tick = h.await(sequence + 1);
            assertEquals("TICKED", tick.outcome());
            assertNull(h.engine.view().get(id(1)), "half of the batch is visible");
            assertEquals("BATCH_FAILED RULE_ERROR op 1", h.await(sequence).outcome());
        }
    }
}
