package io.peerlane.subsystem.kademlia;

/** Where {@link KademliaTable#add} left a peer. */
public enum Placement
{
    /** In its bucket: it routes. */
    MEMBER,
    /** In its bucket's replacement cache (the bucket is full, or the peer would break a diversity limit). */
    REPLACEMENT,
    /** Not held: the local node's own id, or a replacement cache of size 0. */
    NOT_HELD
}
