package io.peerlane.registry;

import io.peerlane.observer.Vote;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class ValidatorKeyVoteTest
{
    private static PeerRecord record(final String key, final NodeType type)
    {
        return PeerRecord.builder(NodeId.fromHex("a".repeat(64))).did("did:ex:a").device("d").publicKeyHex(key)
            .version(1).lastSeen(1).nodeType(type).build();
    }

    @Test
    void refusesOnlyValidatorsWithUnlistedKeys()
    {
        final ValidatorKeyVote vote = new ValidatorKeyVote(Set.of(PublicKey.fromHex("k", "aa01")));
        assertNull(vote.refusedBy(record("aa01", NodeType.VALIDATOR)));
        assertEquals(ValidatorKeyVote.NAME, vote.refusedBy(record("bb01", NodeType.VALIDATOR)));
        assertNull(vote.refusedBy(record("bb01", NodeType.FULL)));
    }

    @Test
    void absentOrEmptyListRefusesNothing()
    {
        assertFalse(ValidatorKeyVote.of(RegistrySettings.defaults()).isActive());
        assertNull(new ValidatorKeyVote(Set.of()).refusedBy(record("bb01", NodeType.VALIDATOR)));
    }

    @Test
    void theSubsystemsObserverVotesAsTheRuleDoes()
    {
        final Set<PublicKey> keys = Set.of(PublicKey.fromHex("k", "aa01"));
        final ValidatorKeyVote rule = new ValidatorKeyVote(keys);
        final ValidatorSetObserver observer = new ValidatorSetObserver(keys);
        for (final PeerRecord r : new PeerRecord[] {record("aa01", NodeType.VALIDATOR), record("bb01", NodeType.VALIDATOR),
            record("bb01", NodeType.FULL)})
        {
            assertEquals(null == rule.refusedBy(r) ? Vote.ACCEPT : Vote.REJECT, rule.vote(r), r.toString());
            assertEquals(rule.vote(r), observer.vote(r), r.toString());
        }
        assertEquals(Vote.REJECT, observer.vote(record("bb01", NodeType.VALIDATOR)));
    }
}
