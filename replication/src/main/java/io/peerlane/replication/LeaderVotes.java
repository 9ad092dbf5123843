package io.peerlane.replication;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.Vote;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.ValidatorKeyVote;

import java.util.List;
import java.util.Map;

/**
 * The critical votes, taken once, on the leader, on the producer's thread, before an op enters the log:
 * TRACE.md's validator-key vote first (when the settings give authorized keys), then each registered vote in
 * registration order; the first refusal of each upsert is fixed in the op ({@link MutationValue}), so the
 * log carries the decision and no replica votes again. A vote that throws refuses (fail closed), as a
 * refusal the entry records under the voter's name.
 */
final class LeaderVotes
{
    private final ValidatorKeyVote validatorKeys;
    private final String[] names;
    private final PeerObserver[] voters;

    LeaderVotes(final ValidatorKeyVote validatorKeys, final List<Map.Entry<String, PeerObserver>> votes)
    {
        this.validatorKeys = validatorKeys.isActive() ? validatorKeys : null;
        names = new String[votes.size()];
        voters = new PeerObserver[votes.size()];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = votes.get(i).getKey();
            voters[i] = votes.get(i).getValue();
        }
    }

    /** @param m the producer's op. @return the op with its votes fixed. */
    MutationValue decide(final Mutation m)
    {
        final MutationKind kind = m.kind();
        if (kind == MutationKind.UPSERT)
        {
            return MutationValue.upsert(m.time(), m.record(), refusedBy(m.record()));
        }
        if (kind == MutationKind.BATCH)
        {
            final Batch batch = m.batch();
            String[] refusedBy = null;
            for (int i = 0, n = batch.size(); i < n; i++)
            {
                if (batch.isUpsert(i))
                {
                    final String name = refusedBy(batch.record(i));
                    if (null != name)
                    {
                        if (null == refusedBy)
                        {
                            refusedBy = new String[n];
                        }
                        refusedBy[i] = name;
                    }
                }
            }
            return MutationValue.batch(m.time(), batch, refusedBy);
        }
        return MutationValue.copyOf(m);
    }

    private String refusedBy(final PeerRecord record)
    {
        if (null == record)
        {
            return null;
        }
        if (null != validatorKeys)
        {
            final String name = validatorKeys.refusedBy(record);
            if (null != name)
            {
                return name;
            }
        }
        for (int i = 0; i < voters.length; i++)
        {
            Vote vote;
            try
            {
                vote = voters[i].vote(record);
            }
            catch (final RuntimeException ex)
            {
                vote = Vote.REJECT;
            }
            if (vote == Vote.REJECT)
            {
                return names[i];
            }
        }
        return null;
    }
}
