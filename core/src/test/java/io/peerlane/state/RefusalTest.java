package io.peerlane.state;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RefusalTest
{
    private static PeerRecord peer(final int n, final String did, final String key, final long version)
    {
        return PeerRecord.builder(NodeId.of(0, 0, 0, n)).did(did).device("d").publicKeyHex(key).version(version)
            .lastSeen(1_000).build();
    }

    @Test
    void builtInRefusalsAreTypedAndUserCodesAreNot()
    {
        final AdmissionRule rule = (r, current, state) -> r.version() == 99 ? "MY_RULE" : null;
        final RegistryState state = new RegistryState(RegistrySettings.builder().maxDevicesPerDid(1).build(), List.of(rule));
        final CommitResult out = new CommitResult();
        state.commit(MutationValue.upsert(1_000, peer(1, "did:a:x", "0a", 1), null), 0, out);
        assertEquals(OutcomeCode.ADDED, out.code());
        assertNull(out.refusal());
        state.commit(MutationValue.upsert(1_000, peer(1, "did:a:x", "0b", 2), null), 1, out);
        assertEquals(Refusal.IDENTITY_CONFLICT, out.refusal());
        assertEquals("IDENTITY_CONFLICT", out.reason());
        state.commit(MutationValue.upsert(1_000, peer(2, "did:a:x", "0a", 1), null), 2, out);
        assertEquals(Refusal.DEVICE_LIMIT, out.refusal());
        state.commit(MutationValue.batch(1_000, Batch.builder().upsert(peer(3, "did:a:y", "0c", 1))
            .upsert(peer(4, "did:a:y", "0d", 1)).build(), null), 3, out);
        assertEquals(OutcomeCode.BATCH_FAILED, out.code());
        assertEquals(Refusal.DEVICE_LIMIT, out.refusal());
        state.commit(MutationValue.upsert(1_000, peer(5, "did:a:z", "0e", 99), null), 4, out);
        assertEquals("MY_RULE", out.reason());
        assertNull(out.refusal(), "a user rule's code is not a built-in refusal");
    }
}
