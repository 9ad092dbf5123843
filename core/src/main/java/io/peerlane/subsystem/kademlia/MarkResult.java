package io.peerlane.subsystem.kademlia;

/** What {@link KademliaTable#markAlive} or {@link KademliaTable#markDead} did with a peer. */
public enum MarkResult
{
    /** Alive: the peer stays, moved to the most-recently-seen end of its bucket or cache. */
    KEPT,
    /** Dead member removed; no replacement could take its place, so the bucket has room. */
    EVICTED,
    /** Dead member removed and a replacement promoted into its place. */
    REPLACED,
    /** Dead replacement forgotten; the members are unchanged. */
    DROPPED,
    /** Dead, but a protected (pinned) member, which is never evicted: nothing changed. */
    PROTECTED,
    /** The table does not hold the peer: nothing changed. */
    UNKNOWN
}
