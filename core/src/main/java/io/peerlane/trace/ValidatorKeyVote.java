package io.peerlane.trace;

import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.state.RegistrySettings;

import java.util.Set;

/**
 * The critical vote of the built-in validator set (TRACE.md step 7): with {@code authorizedValidatorKeys}
 * set, a {@code VALIDATOR} record, new or update, whose public key is not in the set is refused.
 * <p>
 * The decision depends on the record and the settings only, never on registry state, so it can run in a
 * prepare lane ahead of the commit stage. The trace runner, the engine's own vote (registered when the settings
 * name keys) and the validator-set subsystem's observer all decide through this one class.
 */
public final class ValidatorKeyVote
{
    /** Name of the built-in validator-set observer, the reason of its ABORTED outcomes. */
    public static final String NAME = "validator-set";

    private final Set<PublicKey> authorizedKeys;

    /**
     * @param authorizedKeys keys allowed to hold a VALIDATOR record, or null (or empty) when any key may.
     */
    public ValidatorKeyVote(final Set<PublicKey> authorizedKeys)
    {
        this.authorizedKeys = null == authorizedKeys || authorizedKeys.isEmpty() ? null : authorizedKeys;
    }

    /**
     * @param settings the registry settings.
     * @return the vote for their {@code authorizedValidatorKeys}.
     */
    public static ValidatorKeyVote of(final RegistrySettings settings)
    {
        return new ValidatorKeyVote(settings.authorizedValidatorKeys());
    }

    /** @return whether the vote can refuse anything at all. */
    public boolean isActive()
    {
        return null != authorizedKeys;
    }

    /**
     * @param record an upsert's record.
     * @return {@link #NAME} when the record is refused, null when it is accepted.
     */
    public String refusedBy(final PeerRecord record)
    {
        return null != authorizedKeys && record.nodeType() == NodeType.VALIDATOR &&
            !authorizedKeys.contains(record.publicKey()) ? NAME : null;
    }
}
