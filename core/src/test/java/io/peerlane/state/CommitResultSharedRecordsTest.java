package io.peerlane.state;

import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.RemoveCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.subsystem.TestPeers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Results that share one array for their first change's record (as the ring's slots do) keep their own
 * records, and the code, cause and change fields kept as ordinals read back as the constants written.
 */
class CommitResultSharedRecordsTest
{
    private static PeerRecord record(final long n)
    {
        return TestPeers.peer(NodeId.of(n, n, n, n)).build();
    }

    @Test
    void resultsSharingAnArrayKeepTheirOwnRecords()
    {
        final int n = CommitResult.SHARED_CHANGES;
        final PeerRecord[] shared = new PeerRecord[3 * n];
        final CommitResult a = new CommitResult(shared, 0);
        final CommitResult b = new CommitResult(shared, 2);
        a.reset(1);
        b.reset(2);
        a.add(ChangeType.ADDED, record(1), -1, null, 10);
        b.add(ChangeType.REMOVED, record(2), -1, RemoveCause.EXPIRED, 20);
        b.add(ChangeType.UPDATED, record(3), 4, null, 30);
        a.outcome(OutcomeCode.ADDED, null, null);
        b.outcome(OutcomeCode.ABORTED, "x", AbortCause.VETO);

        assertSame(shared[0], a.change(0).record());
        assertSame(shared[2 * n], b.change(0).record());
        assertSame(shared[2 * n + 1], b.change(1).record());
        for (int i = n; i < 2 * n; i++)
        {
            assertNull(shared[i], "result 1's place is untouched");
        }
        // Past the shared changes a result grows fields of its own; the shared ones keep their records.
        for (int i = 2; i < 3 * n; i++)
        {
            b.add(ChangeType.TOUCHED, record(100 + i), -1, null, i);
        }
        assertEquals(NodeId.of(100 + 3 * n - 1, 100 + 3 * n - 1, 100 + 3 * n - 1, 100 + 3 * n - 1),
            b.change(3 * n - 1).id());
        assertEquals(NodeId.of(2, 2, 2, 2), b.change(0).id());
        assertEquals(NodeId.of(102 + n, 102 + n, 102 + n, 102 + n), b.change(2 + n).id());
        for (int i = n; i < 2 * n; i++)
        {
            assertNull(shared[i], "result 1's place is still untouched");
        }
        assertEquals(NodeId.of(1, 1, 1, 1), a.change(0).id());
        assertEquals(NodeId.of(2, 2, 2, 2), b.change(0).id());
        assertEquals(NodeId.of(3, 3, 3, 3), b.change(1).id());
        assertEquals(ChangeType.ADDED, a.change(0).type());
        assertNull(a.change(0).cause());
        assertEquals(ChangeType.REMOVED, b.change(0).type());
        assertEquals(RemoveCause.EXPIRED, b.change(0).cause());
        assertEquals(4, b.change(1).previousVersion());
        assertEquals(OutcomeCode.ADDED, a.code());
        assertNull(a.cause());
        assertEquals(OutcomeCode.ABORTED, b.code());
        assertEquals(AbortCause.VETO, b.cause());

        final CommitResult copy = new CommitResult();
        copy.copyFrom(b);
        b.reset(3);
        b.add(ChangeType.TOUCHED, record(9), -1, null, 90);
        assertEquals(NodeId.of(2, 2, 2, 2), copy.change(0).id(), "a copy holds its own first record");
        assertEquals(AbortCause.VETO, copy.cause());
    }

    @Test
    void aFreshResultHasNoCode()
    {
        assertNull(new CommitResult().code());
        assertNull(new CommitResult().change(0).type(), "a change never set has no type");
        assertNull(new CommitResult().change(0).cause());
        assertNull(new CommitResult(new PeerRecord[CommitResult.SHARED_CHANGES], 0).cause());
    }

    @Test
    void anIndexOutsideTheArrayIsRefused()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CommitResult(new PeerRecord[8], 2));
        assertEquals("index: 2 needs records of length 12, got 8", ex.getMessage());
    }
}
