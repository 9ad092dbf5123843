package io.peerlane.replication;

import org.apache.ratis.util.CodeInjectionForTesting;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts replicas off the rest of the group, in both directions, while their processes keep running.
 * <p>
 * The decision: Ratis's own test hooks ({@link CodeInjectionForTesting}), which {@code RaftServerImpl} (3.3.0)
 * runs on the receiving server at the start of each of the three server-to-server RPCs, with the receiver's
 * and the sender's ids: {@code RaftServerImpl.appendEntries} (log entries and heartbeats),
 * {@code RaftServerImpl.requestVote} (votes and pre-votes) and {@code RaftServerImpl.installSnapshot}. A
 * request whose sender and receiver are on different sides of the cut is refused there, before the server
 * reads it, so it has no effect: the sender sees a failed RPC, as after a dropped connection. Both directions
 * are cut because the hook runs on every receiver: the isolated replica refuses what the others send, and the
 * others refuse what it sends. A per-address TCP proxy was rejected: Ratis dials the one address the group
 * names for a peer, so a proxy in front of a replica cuts only what reaches it, not what it sends.
 * The hooks are JVM-wide: one partition at a time, installed by {@link #install()}, removed by {@link #close()}.
 */
final class RaftPartition implements AutoCloseable
{
    static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";
    static final String REQUEST_VOTE = "RaftServerImpl.requestVote";
    static final String INSTALL_SNAPSHOT = "RaftServerImpl.installSnapshot";
    private static final String[] POINTS = {APPEND_ENTRIES, REQUEST_VOTE, INSTALL_SNAPSHOT};

    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedVotes = new AtomicLong();

    RaftPartition install()
    {
        for (final String point : POINTS)
        {
            CodeInjectionForTesting.put(point, cut(point.equals(REQUEST_VOTE) ? refusedVotes : null));
        }
        return this;
    }

    private CodeInjectionForTesting.Code cut(final AtomicLong alsoCount)
    {
        return (localId, remoteId, args) ->
        {
            if (isolated.isEmpty())
            {
                return false;
            }
            final boolean local = isolated.contains(String.valueOf(localId));
            final boolean remote = isolated.contains(String.valueOf(remoteId));
            if (local != remote)
            {
                refused.incrementAndGet();
                if (null != alsoCount)
                {
                    alsoCount.incrementAndGet();
                }
                throw new IllegalStateException("partitioned: " + remoteId + " -> " + localId + " is cut");
            }
            return false;
        };
    }

    /** @param replicaId the replica to cut off the others (both directions). */
    void isolate(final String replicaId)
    {
        isolated.add(replicaId);
    }

    /** Heals the partition: every request goes through again. */
    void heal()
    {
        isolated.clear();
    }

    /** @return vote and pre-vote requests refused across the cut so far. */
    long refusedVotes()
    {
        return refusedVotes.get();
    }

    /** @return requests refused across the cut so far. */
    long refused()
    {
        return refused.get();
    }

    @Override
    public void close()
    {
        heal();
        for (final String point : POINTS)
        {
            CodeInjectionForTesting.remove(point);
        }
    }
}
