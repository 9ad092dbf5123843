package io.peerlane.state;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader that asks for whole views while the writer never pauses: its own copies of 10,000 peers keep
 * overlapping commits, so the writer copies its arrays for it. Every view it gets holds both peers of each
 * pair at one version (the writer only ever commits pairs as batches) and is at or after the last op the
 * writer had finished when the reader asked (read-your-writes).
 */
class ReadViewUnderBusyWriterTest
{
    private static final int PAIRS = 5_000;

    private static NodeId id(final int n)
    {
        return NodeId.of(0, 0, 1, n);
    }

    private static PeerRecord peer(final int n, final long version)
    {
        return PeerRecord.builder(id(n)).did("did:test:p" + n).device("d").publicKeyHex("0a").version(version)
            .lastSeen(1_000).build();
    }

    private static Batch pair(final int pair, final long version)
    {
        return Batch.builder().upsert(peer(2 * pair, version)).upsert(peer(2 * pair + 1, version)).build();
    }

    @Test
    void aBusyWriterServesTheReaderAndEveryViewIsWhole() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("ReadViewUnderBusyWriterTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final RegistryState state = new RegistryState(RegistrySettings.builder().maxDevicesPerDid(0).build(), List.of());
        final CommitResult out = new CommitResult();
        long sequence = 0;
        final long[] versions = new long[PAIRS];
        for (int p = 0; p < PAIRS; p++)
        {
            versions[p] = 1;
            state.commit(MutationValue.batch(1_000, pair(p, 1), null), sequence++, out);
        }
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicLong finished = new AtomicLong(sequence - 1);
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicLong views = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            while (writing.get() && null == violation.get())
            {
                final long before = finished.get();
                final RegistryView view = state.readView();
                views.incrementAndGet();
                if (view.sequence() < before)
                {
                    violation.set("view at " + view.sequence() + " after op " + before + " had finished");
                }
                if (view.size() != 2 * PAIRS)
                {
                    violation.set("view of " + view.size() + " peers");
                    return;
                }
                for (int i = 0; i < view.size(); i += 2)
                {
                    if (view.recordAt(i).version() != view.recordAt(i + 1).version())
                    {
                        violation.set("half a batch: " + view.recordAt(i) + " / " + view.recordAt(i + 1));
                    }
                }
            }
        }, "reader");
        reader.start();
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while ((state.servedCopies() < 3 || views.get() < 20) && null == violation.get() &&
            System.nanoTime() - deadline < 0)
        {
            final int p = random.nextInt(PAIRS);
            state.commit(MutationValue.batch(1_000, pair(p, ++versions[p]), null), sequence, out);
            finished.set(sequence++);
        }
        writing.set(false);
        reader.join(10_000);
        assertNull(violation.get(), "seed " + seed);
        assertTrue(state.servedCopies() >= 3, "the writer never had to copy for the reader: " + state.servedCopies() +
            " served, " + views.get() + " views, seed " + seed);
        assertEquals(2 * PAIRS, state.view().size());
    }
}
