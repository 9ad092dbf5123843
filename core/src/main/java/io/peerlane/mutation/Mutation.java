package io.peerlane.mutation;

import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * What the commit stage reads of one input op. The engine's ring slot implements it, so the commit stage
 * reads the producer's copy in place and allocates nothing to describe the mutation.
 */
public interface Mutation
{
    /** @return the op. */
    MutationKind kind();

    /** @return the producer's event time, ms since the epoch. */
    long time();

    /** @return the record of an UPSERT. */
    PeerRecord record();

    /** @return the id of a REMOVE or TOUCH. */
    NodeId id();

    /** @return the {@code lastSeen} of a TOUCH. */
    long lastSeen();

    /** @return the ops of a BATCH. */
    Batch batch();

    /** @return the ban of a BAN or UNBAN. */
    Ban ban();

    /**
     * The critical vote on one upsert: the name of the first critical observer, in registration order, that
     * refused it (or a recorded refusal being replayed).
     *
     * @param op index of the op: 0 for a single upsert, the op's index in a batch.
     * @return the observer's name, or null when every vote accepted.
     */
    String refusedBy(int op);

    /**
     * @param op index of the op.
     * @return why {@link #refusedBy(int)} refused.
     */
    AbortCause refusalCause(int op);
}
