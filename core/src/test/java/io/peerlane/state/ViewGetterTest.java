package io.peerlane.state;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A getter never publishes: the writer's {@link RegistryState#view()}, taken in the middle of a batch (here by
 * an admission rule, on the writer's thread), is the writer's own and never becomes what a reader's
 * {@link RegistryState#readView()} returns; the reader gets the batch whole.
 */
class ViewGetterTest
{
    private static NodeId id(final int n)
    {
        return NodeId.of(0, 0, 2, n);
    }

    private static PeerRecord peer(final int n)
    {
        return PeerRecord.builder(id(n)).did("did:test:v" + n).device("d").publicKeyHex("0a").version(1)
            .lastSeen(1_000).build();
    }

    @Test
    void aWriterViewTakenMidBatchNeverReachesAReader() throws Exception
    {
        final AtomicReference<RegistryState> state = new AtomicReference<>();
        final AtomicReference<RegistryView> mid = new AtomicReference<>();
        final AtomicReference<RegistryView> read = new AtomicReference<>();
        final AtomicReference<Thread> reader = new AtomicReference<>();
        final AdmissionRule peek = (proposed, current, registry) ->
        {
            if (proposed.id().equals(id(2)))
            {
                // The batch's first upsert is in, its second is being decided.
                mid.set(state.get().view());
                final Thread t = new Thread(() -> read.set(state.get().readView()));
                reader.set(t);
                t.start();
                try
                {
                    t.join(200);   // it cannot finish before the batch has: a reader never sees half of one
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        };
        state.set(new RegistryState(RegistrySettings.builder().maxDevicesPerDid(0).build(), List.of(peek)));
        final CommitResult out = new CommitResult();
        final Batch batch = Batch.builder().upsert(peer(1)).upsert(peer(2)).build();
        state.get().commit(MutationValue.batch(1_000, batch, null), 0, out);

        assertEquals(1, mid.get().size(), "the writer's own view holds the batch so far");
        reader.get().join(20_000);
        final RegistryView view = read.get();
        assertNotNull(view, "the reader got no view");
        assertEquals(2, view.size(), "the reader's view holds the whole batch, not the writer's mid-batch copy");
        assertEquals(0, view.sequence());
        assertEquals(2, state.get().readView().size());
    }
}
