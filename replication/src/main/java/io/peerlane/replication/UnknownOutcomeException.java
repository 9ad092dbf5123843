package io.peerlane.replication;

/**
 * A mutation entered the leader's log but was not acknowledged: the leader stepped down, lost its majority,
 * or closed before the entry was committed and applied. It may still be committed by the next leader (it
 * was perhaps replicated to a majority already) or it may be lost; a producer that must know reads the
 * registry, or makes its ops idempotent (an upsert of a record version is). Peerlane never re-sends it, so
 * it is applied at most once.
 */
public final class UnknownOutcomeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String leaderId;

    /**
     * @param message  what happened.
     * @param leaderId the leader as the replica knows it now, or null.
     * @param cause    the transport's error, or null.
     */
    public UnknownOutcomeException(final String message, final String leaderId, final Throwable cause)
    {
        super(message + (null == leaderId ? "" : "; the leader is " + leaderId), cause);
        this.leaderId = leaderId;
    }

    /** @return the leader's id as the replica knew it, or null. */
    public String leaderId()
    {
        return leaderId;
    }
}
