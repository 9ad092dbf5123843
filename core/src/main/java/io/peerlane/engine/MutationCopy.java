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
     * Reads the op once, checks what it read (so an op whose methods answer differently on a second call cannot
     * put an unchecked input into a slot), and with {@code recordedVotes} reads its first recorded refusal.
     *
     * @param m             the op: user code, read here and nowhere else.
     * @param kind          its kind, already checked.
     * @param time          its event time, already checked.
     * @param recordedVotes whether its refusals are the recorded votes.
     * @return this.
     * @throws io.peerlane.peer.InvalidInputException when an input the kind needs is missing or out of range.
     */
    MutationCopy read(final Mutation m, final MutationKind kind, final long time, final boolean recordedVotes)
    {
        this.kind = kind;
        record = m.record();
        id = m.id();
        lastSeen = m.lastSeen();
        batch = m.batch();
        ban = m.ban();
        InputChecks.checkInputs(kind, time, record, id, lastSeen, batch, ban);
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
