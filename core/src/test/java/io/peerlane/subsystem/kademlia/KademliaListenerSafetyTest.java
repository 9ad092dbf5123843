package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listener can never leave the table half changed: an {@link Error} it throws is counted like any other
 * failure and the change goes on, and a write it makes to the table from inside a callback is refused with
 * {@link IllegalStateException} instead of running in the middle of the change.
 */
class KademliaListenerSafetyTest
{
    private static final NodeId ZERO = low(0);

    private static PeerRecord top(final long n)
    {
        return peer(NodeId.of(Long.MIN_VALUE | n, 0, 0, 0)).build();
    }

    private static KademliaListener onRemoved(final Consumer<PeerRecord> action)
    {
        return new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                action.accept(record);
            }
        };
    }

    @Test
    void anErrorFromTheListenerIsCountedAndTheChangeCompletes()
    {
        final KademliaTable table = new KademliaTable(ZERO, KademliaSettings.builder().k(1).build());
        final PeerRecord b = top(1);
        final PeerRecord c = top(2);
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(AddResult.CACHED, table.add(c));
        table.listener(new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
                throw new AssertionError("listener bug (added)");
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                throw new LinkageError("listener bug (removed)");
            }
        });
        // The removal is reported before the promotion: the Error must not stop the promotion.
        assertEquals(MarkResult.REPLACED, table.markDead(b.id()));
        assertEquals(List.of(c), table.bucket(255), "the replacement was promoted past the Error");
        assertEquals(2, table.listenerFailures(), "both Errors counted");
        assertEquals(List.of(), table.checkInvariants(List.of(c)));
    }

    @Test
    void aWriteFromInsideACallbackIsRefusedAndTheChangeCompletes()
    {
        final KademliaTable table = new KademliaTable(ZERO, KademliaSettings.builder().k(1).build());
        final PeerRecord b = top(1);
        final PeerRecord c = top(2);
        final PeerRecord d = top(3);
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(AddResult.CACHED, table.add(c));
        final List<RuntimeException> refused = new ArrayList<>();
        final List<String> queried = new ArrayList<>();
        final KademliaTable[] self = {table};
        table.listener(onRemoved(record ->
        {
            // Queries are allowed inside a callback.
            queried.add(record.id() + " member " + self[0].isMember(record.id()));
            final Runnable[] writes = {
                () -> self[0].add(d),
                () -> self[0].remove(c.id()),
                () -> self[0].markAlive(c.id()),
                () -> self[0].markDead(c.id()),
                self[0]::clear,
                () -> self[0].listener(null),
            };
            for (final Runnable write : writes)
            {
                try
                {
                    write.run();
                }
                catch (final IllegalStateException ex)
                {
                    refused.add(ex);
                }
            }
        }));
        assertEquals(MarkResult.REPLACED, table.markDead(b.id()));
        assertEquals(6, refused.size(), "every write from inside the callback was refused: " + refused);
        assertTrue(refused.get(0).getMessage().contains("KademliaListener"), refused.get(0).getMessage());
        assertEquals(1, queried.size());
        assertEquals(List.of(c), table.bucket(255), "the change completed as if the listener had done nothing");
        assertEquals(List.of(), table.replacements(255));
        assertEquals(0, table.listenerFailures(), "the listener caught what it got");
        assertEquals(List.of(), table.checkInvariants(List.of(c)));
        // Outside a callback the same writes work, and a listener that lets the refusal escape is counted.
        table.listener(onRemoved(record -> self[0].add(d)));
        assertEquals(AddResult.CACHED, table.add(d));
        assertEquals(MarkResult.REPLACED, table.markDead(c.id()));
        assertEquals(1, table.listenerFailures(), "the escaped refusal is counted");
        assertEquals(List.of(d), table.bucket(255));
        assertEquals(List.of(), table.checkInvariants(List.of(d)));
    }
}
