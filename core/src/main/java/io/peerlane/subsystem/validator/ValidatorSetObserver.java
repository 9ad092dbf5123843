package io.peerlane.subsystem.validator;

import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.registry.ValidatorKeyVote;
import io.peerlane.state.Change;
import io.peerlane.state.RegistryView;

import java.util.Set;

/**
 * The built-in critical observer named {@value #NAME}: keeps a {@link ValidatorSet} equal to the validators
 * among the live peers, and in the prepare stage refuses a VALIDATOR record (new or update) whose public key
 * is not one of the authorised keys, which is step 7 of TRACE.md.
 * <p>
 * The vote reads only the record and this observer's own immutable key set, never registry state, so it
 * may run ahead of the commit stage on any prepare lane.
 * <p>
 * Neither the vote (one lookup in an immutable set) nor {@link #onEvent} (the changes walked by index into
 * {@link ValidatorSet#put} and {@link ValidatorSet#remove}) allocates; only {@link #onSnapshot} does.
 */
public final class ValidatorSetObserver implements PeerObserver
{
    /** The name TRACE.md gives this observer in an ABORTED outcome. */
    public static final String NAME = ValidatorKeyVote.NAME;
    /** It votes. */
    public static final ObserverRole ROLE = ObserverRole.CRITICAL;

    private final Set<PublicKey> authorisedKeys;
    /** TRACE.md's rule, the one class the trace runner and the engine's own vote use too. */
    private final ValidatorKeyVote rule;
    private final ValidatorSet validators = new ValidatorSet();

    /** An observer that lets any key hold a VALIDATOR record. */
    public ValidatorSetObserver()
    {
        this((Set<PublicKey>)null);
    }

    /**
     * @param authorisedKeys the keys allowed to hold a VALIDATOR record; null or empty means any key. Copied.
     */
    public ValidatorSetObserver(final Set<PublicKey> authorisedKeys)
    {
        this.authorisedKeys = null == authorisedKeys || authorisedKeys.isEmpty() ? null : Set.copyOf(authorisedKeys);
        this.rule = new ValidatorKeyVote(this.authorisedKeys);
    }

    /**
     * @param settings registry settings; their {@code authorizedValidatorKeys} are used.
     * @return the observer.
     */
    public static ValidatorSetObserver fromSettings(final RegistrySettings settings)
    {
        return new ValidatorSetObserver(settings.authorizedValidatorKeys());
    }

    /** @return {@value #NAME}. */
    public String name()
    {
        return NAME;
    }

    /** @return {@link ObserverRole#CRITICAL}. */
    public ObserverRole role()
    {
        return ROLE;
    }

    /** @return the authorised keys, or null when any key may hold a VALIDATOR record. */
    public Set<PublicKey> authorisedKeys()
    {
        return authorisedKeys;
    }

    /** @return the validator set, for queries from any thread. */
    public ValidatorSet validators()
    {
        return validators;
    }

    @Override
    public Vote vote(final PeerRecord proposed)
    {
        return rule.vote(proposed);
    }

    @Override
    public void onSnapshot(final RegistryView snapshot)
    {
        validators.replaceAll(snapshot.sortedById());
    }

    @Override
    public void onEvent(final RegistryEvent event)
    {
        for (int i = 0, n = event.changeCount(); i < n; i++)
        {
            final Change c = event.change(i);
            if (c.type() == ChangeType.REMOVED)
            {
                validators.remove(c.id());
            }
            else
            {
                validators.put(c.record());
            }
        }
    }

    @Override
    public String toString()
    {
        return NAME + " " + validators;
    }
}
