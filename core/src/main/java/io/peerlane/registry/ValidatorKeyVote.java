package io.peerlane.registry;

import io.peerlane.observer.Vote;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;

import java.util.Set;

/**
 * The critical vote of the built-in validator set (TRACE.md step 7): with {@code authorizedValidatorKeys}
 * set, a {@code VALIDATOR} record, new or update, whose public key is not in the set is refused.
 * <p>
 * The decision depends on the record and the settings only, never on registry state, so it can run in a
 * prepare lane ahead of the commit stage. The trace runner and the tools decide through {@link #refusedBy};
 * the engine's own vote (registered when the settings name keys) and the validator-set subsystem's observer
 * both vote through {@link #vote}: one rule and one mapping to a {@link Vote}, in this class alone.
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
     * The vote of a critical observer that applies this rule: what {@code PeerObserver.vote} returns.
     *
     * @param record an upsert's record.
     * @return {@link Vote#REJECT} when {@link #refusedBy} refuses it, else {@link Vote#ACCEPT}.
     */
    public Vote vote(final PeerRecord record)
    {
        return null == refusedBy(record) ? Vote.ACCEPT : Vote.REJECT;
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
