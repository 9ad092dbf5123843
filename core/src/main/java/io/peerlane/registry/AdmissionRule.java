package io.peerlane.registry;

import io.peerlane.peer.PeerRecord;
import io.peerlane.state.RegistryReader;

/**
 * A check that needs registry state, run by the commit stage on every upsert that passed the built-in
 * checks of TRACE.md step 6 (the built-in device and subnet limits are rules too). Rules run in the order
 * they were added; the first refusal makes the upsert REJECTED with the rule's reason code.
 * <p>
 * A rule runs on the single writer's thread: it must be fast, must not block, and must decide from its
 * arguments and its own settings alone so that replay gives the same outcome.
 */
@FunctionalInterface
public interface AdmissionRule
{
    /**
     * @param proposed the record being upserted.
     * @param current  the live record it would replace, or null for a new peer.
     * @param state    the current state.
     * @return null to admit, or the reason code of the refusal (such as {@code "ASN_LIMIT"}).
     */
    String check(PeerRecord proposed, PeerRecord current, RegistryReader state);
}
