package io.peerlane.engine;

import io.peerlane.mutation.Batch;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.RegistryView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers check, while batches commit, an invariant that holds only if every batch is seen whole: peers
 * come in pairs (2i, 2i+1) that every batch adds, updates or removes together, always at one version.
 */
class BatchAtomicityTest
{
    static final int PAIRS = 16;
    static final int BATCHES = 20_000;

    @ParameterizedTest
    @EnumSource(Topology.class)
    void readersNeverSeeHalfABatch(final Topology topology) throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("BatchAtomicityTest seed=" + seed + " topology=" + topology);
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(1024)
            .settings(RegistrySettings.builder().maxDevicesPerDid(0).build());
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicLong views = new AtomicLong();
        final AtomicLong halfSeen = new AtomicLong();
        final AtomicReference<String> firstViolation = new AtomicReference<>();
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx))
        {
            final Thread[] readers = new Thread[2];
            for (int r = 0; r < readers.length; r++)
            {
                readers[r] = new Thread(() ->
                {
                    long lastSequence = -1;
                    while (writing.get())
                    {
                        final RegistryView view = engine.view();
                        views.incrementAndGet();
                        if (view.sequence() < lastSequence)
                        {
                            firstViolation.compareAndSet(null, "view went back from " + lastSequence + " to " + view.sequence());
                        }
                        lastSequence = view.sequence();
                        for (int pair = 0; pair < PAIRS; pair++)
                        {
                            final PeerRecord a = view.get(id(2L * pair));
                            final PeerRecord b = view.get(id(2L * pair + 1));
                            if ((null == a) != (null == b) || (null != a && a.version() != b.version()))
                            {
                                halfSeen.incrementAndGet();
                                firstViolation.compareAndSet(null, "pair " + pair + ": " + a + " / " + b);
                            }
                        }
                    }
                }, "reader-" + r);
                readers[r].start();
            }
            final SplittableRandom random = new SplittableRandom(seed);
            final long[] versions = new long[PAIRS];
            final boolean[] live = new boolean[PAIRS];
            final long now = System.currentTimeMillis();
            for (int i = 0; i < BATCHES; i++)
            {
                final int pair = random.nextInt(PAIRS);
                final Batch.Builder batch = Batch.builder();
                if (live[pair] && random.nextInt(3) == 0)
                {
                    batch.remove(id(2L * pair)).remove(id(2L * pair + 1));
                    live[pair] = false;
                }
                else
                {
                    versions[pair]++;
                    batch.upsert(peer(2L * pair, versions[pair], now).build())
                        .upsert(peer(2L * pair + 1, versions[pair], now).build());
                    live[pair] = true;
                }
                engine.batch(now, batch.build());
            }
            engine.close();
            writing.set(false);
            for (final Thread reader : readers)
            {
                reader.join(10_000);
            }
            assertEquals(0, halfSeen.get(), "violation: " + firstViolation.get() + " (seed " + seed + ")");
            assertEquals(null, firstViolation.get());
            assertTrue(views.get() > 100, "readers took only " + views.get() + " views");
            for (int pair = 0; pair < PAIRS; pair++)
            {
                assertEquals(live[pair], null != engine.view().get(id(2L * pair)), "pair " + pair);
            }
        }
    }
}
