package io.peerlane.subsystem.kademlia;

/** Why a member left the routing table, as {@link KademliaListener#removed} reports it. */
public enum RemovalCause
{
    /** Marked dead ({@link KademliaTable#markDead}) and no replacement took its place. */
    EVICTED,
    /** Marked dead and a replacement took its place: an {@code added} for the replacement follows. */
    REPLACED,
    /** Removed from the table ({@link KademliaTable#remove}): it left the registry. */
    LEFT,
    /** Its new record breaks a diversity limit: it stays as a replacement and routes no more. */
    DIVERSITY,
    /** The whole table was cleared ({@link KademliaTable#clear}, a resynchronisation). */
    CLEARED
}
