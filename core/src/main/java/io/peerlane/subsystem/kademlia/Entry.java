package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.PeerRecord;

/**
 * A peer the table knows: a member of its bucket or a replacement. Intrusive list links make moving it to
 * the most-recently-seen end, and removing it, constant time and allocation free.
 * <p>
 * Entries are pooled by their {@link KademliaTable}: a peer that leaves gives its entry back and the next
 * peer to arrive takes it, so a population that churns at a constant size allocates no entry. A pooled
 * entry holds no record and is chained through {@link #next}.
 * <p>
 * An entry also keeps its record's distinct networks, as (family, key) pairs in {@link #nets}: first the
 * {@link #bucketNets} at the bucket prefixes, then the {@link #tableNets} at the table prefixes (or, when the
 * prefixes are the same, the one list serves both). The diversity
 * checks read them instead of parsing endpoints; the array is kept when the entry is pooled and grows only
 * past the most networks the entry has held.
 */
final class Entry
{
    int bucket;
    PeerRecord record;
    boolean member;
    Entry prev;
    Entry next;
    long[] nets = NO_NETS;
    int bucketNets;
    int tableNets;

    private static final long[] NO_NETS = new long[0];
}
