package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publish that does not await its outcome allocates nothing on the producer's thread, in every mode and
 * for every kind, {@code publish(Mutation, true)} included: one claim-fill-publish path through stateless
 * {@link SlotFill}s, with no lambda capturing the inputs, no boxing and no varargs. The ring is large enough
 * that no producer waits for room (a wait at the gate is off the fast path and may allocate).
 */
class PublishAllocationTest
{
    private static final int OPS = 2_000;

    @Test
    void aPublishAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PeerRecord[] records = new PeerRecord[OPS];
        final NodeId[] ids = new NodeId[OPS];
        final Mutation[] replayed = new Mutation[OPS];
        final Batch batch = Batch.builder().upsert(Peers.peer(OPS + 1, 1, 1).build()).remove(Peers.id(OPS + 2)).build();
        for (int i = 0; i < OPS; i++)
        {
            records[i] = Peers.peer(i, 1, 1).build();
            ids[i] = records[i].id();
            replayed[i] = MutationValue.upsert(1, records[i], 0 == (i & 7) ? "gate" : null);
        }
        final Ban ban = Ban.of(BanKind.DID, "did:key:banned");
        final Duration timeout = Duration.ofSeconds(30);
        for (final Topology topology : Topology.values())
        {
            try (PeerlaneEngine engine = PeerlaneEngine.launch(new EngineContext().topology(topology)
                .ringSize(1 << 15).maxObservers(4)))
            {
                final long thread = Thread.currentThread().getId();
                for (int round = 0; round < 3; round++)
                {
                    final long before = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < OPS; i++)
                    {
                        engine.upsert(1, records[i]);
                        engine.tryUpsert(records[i]);
                        engine.upsert(records[i], timeout);
                        engine.touch(1, ids[i], 2);
                        engine.tryTouch(ids[i], 2);
                        engine.remove(1, ids[i]);
                        engine.batch(1, batch);
                        engine.tick(1);
                        engine.publish(replayed[i], true);
                        engine.remove(ids[i], timeout);
                        engine.touch(ids[i], 3, timeout);
                        engine.batch(batch, timeout);
                        engine.tryRemove(ids[i]);
                        engine.tryBatch(batch);
                        engine.ban(1, ban);
                        engine.unban(1, ban);
                    }
                    final long allocated = threads.getThreadAllocatedBytes(thread) - before;
                    engine.tickAndWait(timeout);   // drains the ring between rounds
                    if (round > 0)
                    {
                        // Slack for the measuring itself; one object per publish would be over 200,000 bytes.
                        assertTrue(allocated < 1_000, topology + ": " + 16 * OPS + " publishes allocated " +
                            allocated + " bytes");
                    }
                }
            }
        }
    }
}
