package io.peerlane.state;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * Read access to the commit stage's current state for admission rules: inside a batch it already holds
 * the batch's earlier ops. Only valid during the rule's call, on the commit thread.
 */
public interface RegistryReader
{
    /**
     * @param id a node id.
     * @return the live record, or null.
     */
    PeerRecord get(NodeId id);

    /** @return number of live peers. */
    int size();

    /**
     * @param did a DID.
     * @return live peers with that DID.
     */
    int countByDid(String did);

    /**
     * @param subnetKey a subnet key, as {@link io.peerlane.peer.IpAddress#subnetKey()}.
     * @return live peers with an endpoint in that subnet.
     */
    int countInSubnet(long subnetKey);

    /** @return the event time of the op being decided. */
    long time();
}
