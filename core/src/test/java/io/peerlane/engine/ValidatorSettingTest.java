package io.peerlane.engine;

import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeType;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Set;

import static io.peerlane.testing.Peers.key;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With authorizedValidatorKeys set, the engine registers TRACE.md's validator-set vote by itself. */
class ValidatorSettingTest
{
    @ParameterizedTest
    @EnumSource(Topology.class)
    void unauthorisedValidatorIsAbortedByTheBuiltInVote(final Topology topology)
    {
        final EngineContext ctx = new EngineContext().topology(topology)
            .settings(RegistrySettings.builder().authorizedValidatorKeys(Set.of(key(1))).build());
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final Duration wait = Duration.ofSeconds(10);
            assertEquals(OutcomeCode.ADDED,
                engine.upsertAndWait(1, peer(1, 1, 1).nodeType(NodeType.VALIDATOR).build(), wait).code());
            final Outcome refused = engine.upsertAndWait(1, peer(2, 1, 1).nodeType(NodeType.VALIDATOR).build(), wait);
            assertEquals(OutcomeCode.ABORTED, refused.code());
            assertEquals(ValidatorSetObserver.NAME, refused.reason());
            assertEquals(AbortCause.VETO, refused.cause());
            assertEquals(OutcomeCode.ADDED, engine.upsertAndWait(1, peer(3, 1, 1).build(), wait).code());
        }
    }
}
