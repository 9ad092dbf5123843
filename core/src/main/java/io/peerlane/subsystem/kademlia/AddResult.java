package io.peerlane.subsystem.kademlia;

/**
 * What {@link KademliaTable#add} did with a peer. A constant, so an add allocates nothing; for
 * {@link #CACHED} and {@link #NOT_CACHED} the member to ping is {@link KademliaTable#pendingCandidate(int)}
 * of the peer's bucket.
 */
public enum AddResult
{
    /** A new member of its bucket: it routes. A known replacement that now fits is promoted: also ADDED. */
    ADDED,
    /** A member seen again: its latest record is kept and it moved to the most-recently-seen end. */
    UPDATED,
    /**
     * Its bucket is full: the peer waits in the bucket's replacement cache, and the bucket's least recently
     * seen unprotected member is the candidate to ping ({@link KademliaTable#pendingCandidate(int)}, null
     * when every member is protected). {@link KademliaTable#markDead} of the candidate promotes a
     * replacement; {@link KademliaTable#markAlive} keeps it.
     */
    CACHED,
    /**
     * Its bucket is full and the replacement cache has size 0, so the peer is not held; the candidate to
     * ping is offered as for {@link #CACHED}: once it is marked dead the peer gets in the next time it is
     * seen.
     */
    NOT_CACHED,
    /**
     * Refused by the per-bucket diversity limit: its bucket has room but already holds the most members of
     * one of its networks. It waits as a replacement and is promoted when it fits; no ping can make room for
     * it. (A newcomer to a full bucket is {@link #CACHED} whatever its networks: when a place frees, it goes
     * to the most recently seen replacement that fits.)
     */
    REFUSED_BUCKET_DIVERSITY,
    /** Refused by the per-table diversity limit; held as for {@link #REFUSED_BUCKET_DIVERSITY}. */
    REFUSED_TABLE_DIVERSITY,
    /** The local node's own id: never held. */
    SELF
}
