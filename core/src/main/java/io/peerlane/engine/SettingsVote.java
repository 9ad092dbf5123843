package io.peerlane.engine;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.ValidatorKeyVote;

/**
 * TRACE.md's validator-set vote as a critical observer, registered by the engine under
 * {@link ValidatorKeyVote#NAME} when the settings name {@code authorizedValidatorKeys} and the context gives
 * no observer of that name. It only votes; an embedder that also wants the set itself registers the
 * validator-set subsystem's observer under that name instead, which votes through the same rule. The engine
 * depends on the rule, not on a subsystem.
 */
final class SettingsVote implements PeerObserver
{
    private final ValidatorKeyVote rule;

    SettingsVote(final ValidatorKeyVote rule)
    {
        this.rule = rule;
    }

    @Override
    public Vote vote(final PeerRecord proposed)
    {
        return rule.vote(proposed);
    }

    @Override
    public void onEvent(final RegistryEvent event)
    {
    }
}
