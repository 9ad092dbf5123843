package io.peerlane.replication;

/**
 * A mutation was given to a replica that is not the leader: it was not voted on, not logged and not applied.
 * Peerlane does not forward it (the votes of critical observers are taken on the leader, by the leader's
 * own observers); the producer sends it again to {@link #leaderId()}.
 */
public final class NotLeaderException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String replicaId;
    private final String leaderId;

    /**
     * @param replicaId the replica that refused the mutation.
     * @param leaderId  the leader as that replica knows it, or null when none is known (an election is on).
     */
    public NotLeaderException(final String replicaId, final String leaderId)
    {
        super("replica " + replicaId + " is not the leader; the leader is " +
            (null == leaderId ? "unknown (an election is in progress)" : leaderId));
        this.replicaId = replicaId;
        this.leaderId = leaderId;
    }

    /** @return the replica that refused the mutation. */
    public String replicaId()
    {
        return replicaId;
    }

    /** @return the leader's id, or null when none is known. */
    public String leaderId()
    {
        return leaderId;
    }
}
