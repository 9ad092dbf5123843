package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.PeerRecord;

import java.util.Collection;
import java.util.List;

/**
 * The test jar's door to {@code KademliaTable.checkInvariants}, which is package-private so that it is no part
 * of the table's API: tests of other packages and the churn benchmark (which depends on this jar) call it here.
 */
public final class KademliaInvariants
{
    private KademliaInvariants()
    {
    }

    /**
     * @param table the table.
     * @param live  every live peer it should follow.
     * @return the violations, empty when there is none.
     */
    public static List<String> check(final KademliaTable table, final Collection<PeerRecord> live)
    {
        return table.checkInvariants(live);
    }
}
