package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.PeerRecord;

/**
 * Told of every change to a {@link KademliaTable}'s members, the peers that route: a DHT uses it to open and
 * close connections, as libp2p's {@code PeerAdded} and {@code PeerRemoved}. Replacements are not members and
 * are not reported.
 * <p>
 * Called on the thread that made the change, inside it, with the table consistent: a removal is reported
 * before the promotion that fills its place. A callback may query the table but not write to it: a write
 * ({@code add}, {@code remove}, {@code markAlive}, {@code markDead}, {@code clear}, {@code listener}) from
 * inside a callback throws {@link IllegalStateException}; queue it and make it after the callback returns.
 * A callback must not block; what it throws, {@link Error}s included, is counted
 * ({@link KademliaTable#listenerFailures()}) and otherwise ignored, so a faulty listener never leaves the
 * table half changed.
 */
public interface KademliaListener
{
    /** A listener that does nothing. */
    KademliaListener NONE = new KademliaListener()
    {
        @Override
        public void added(final PeerRecord record)
        {
        }

        @Override
        public void removed(final PeerRecord record, final RemovalCause cause)
        {
        }
    };

    /** @param record a peer that became a member. */
    void added(PeerRecord record);

    /**
     * @param record the member's last record.
     * @param cause  why it left.
     */
    void removed(PeerRecord record, RemovalCause cause);
}
