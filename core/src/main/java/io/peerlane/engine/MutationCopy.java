package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * A producer thread's reusable copy of a {@link Mutation} given to {@code publish(Mutation, boolean)}. The
 * op's methods are user code: they are all read here before a slot is claimed, so one that throws leaves no
 * claimed slot behind (an unpublished slot would hold every stage for ever), and the slot is then filled
 * from this copy, which runs nothing. One per producer thread, reused: nothing is allocated per publish.
 */
final class MutationCopy
{
    MutationKind kind;
    PeerRecord record;
    NodeId id;
    long lastSeen;
    Batch batch;
    Ban ban;
    boolean recordedVotes;
    int recordedOp;
    String recordedName;
    AbortCause recordedCause;

    /**
     * Reads the op, already validated, and with {@code recordedVotes} its first recorded refusal.
     *
     * @return this.
     */
    MutationCopy read(final Mutation m, final MutationKind kind, final boolean recordedVotes)
    {
        this.kind = kind;
        record = m.record();
        id = m.id();
        lastSeen = m.lastSeen();
        batch = m.batch();
        ban = m.ban();
        this.recordedVotes = recordedVotes;
        recordedOp = MutationEvent.NO_REFUSAL;
        recordedName = null;
        recordedCause = null;
        if (recordedVotes)
        {
            final int ops = kind == MutationKind.BATCH ? batch.size() : kind == MutationKind.UPSERT ? 1 : 0;
            for (int op = 0; op < ops; op++)
            {
                final String name = m.refusedBy(op);
                if (null != name)
                {
                    recordedOp = op;
                    recordedName = name;
                    recordedCause = m.refusalCause(op);
                    break;
                }
            }
        }
        return this;
    }

    /** Lets go of the op's inputs once they are in the slot. */
    void clear()
    {
        record = null;
        id = null;
        batch = null;
        ban = null;
        recordedName = null;
        recordedCause = null;
    }
}
