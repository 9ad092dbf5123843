package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.PeerRecord;

/**
 * A peer the table knows: a member of its bucket or a replacement. Intrusive list links make moving it to
 * the most-recently-seen end, and removing it, constant time and allocation free.
 */
final class Entry
{
    final int bucket;
    PeerRecord record;
    boolean member;
    Entry prev;
    Entry next;

    Entry(final PeerRecord record, final int bucket)
    {
        this.record = record;
        this.bucket = bucket;
    }
}
