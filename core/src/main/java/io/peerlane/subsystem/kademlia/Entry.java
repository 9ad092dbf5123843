package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.PeerRecord;

/**
 * A peer the table knows: a member of its bucket or a replacement. Intrusive list links make moving it to
 * the most-recently-seen end, and removing it, constant time and allocation free.
 * <p>
 * Entries are pooled by their {@link KademliaTable}: a peer that leaves gives its entry back and the next
 * peer to arrive takes it, so a population that churns at a constant size allocates no entry. A pooled
 * entry holds no record and is chained through {@link #next}.
 */
final class Entry
{
    int bucket;
    PeerRecord record;
    boolean member;
    Entry prev;
    Entry next;
}
