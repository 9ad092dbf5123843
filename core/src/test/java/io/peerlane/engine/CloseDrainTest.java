package io.peerlane.engine;

import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Close under load: every mutation accepted before close gets its outcome; later ones are refused loudly. */
class CloseDrainTest
{
    @ParameterizedTest
    @EnumSource(Topology.class)
    void closeDrainsEveryAcceptedMutation(final Topology topology) throws Exception
    {
        final LongAdder outcomes = new LongAdder();
        final EngineContext ctx = new EngineContext().topology(topology).ringSize(512)
            .settings(RegistrySettings.builder().maxPeers(0).maxDevicesPerDid(0).build())
            .outcomeListener((sequence, m, result) -> outcomes.increment());
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        final int producers = 4;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final CountDownLatch running = new CountDownLatch(producers);
        final CountDownLatch stopped = new CountDownLatch(producers);
        for (int p = 0; p < producers; p++)
        {
            final int base = p * 1_000_000;
            new Thread(() ->
            {
                long n = 0;
                try
                {
                    while (true)
                    {
                        engine.upsert(1, peer(base + (n % 5000), 1 + n / 5000, 1).build());
                        accepted.incrementAndGet();
                        if (++n == 2000)
                        {
                            running.countDown();
                        }
                    }
                }
                catch (final EngineClosedException ex)
                {
                    refused.incrementAndGet();
                }
                finally
                {
                    stopped.countDown();
                }
            }).start();
        }
        assertTrue(running.await(30, TimeUnit.SECONDS), "producers did not get going");
        engine.close();
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "producers did not stop after close");
        assertEquals(producers, refused.get());
        assertTrue(accepted.get() >= producers * 2000L);
        assertEquals(accepted.get(), outcomes.sum(), "published vs outcomes");
        assertThrows(EngineClosedException.class, () -> engine.upsert(peer(1, 1, 1).build()));
        assertThrows(EngineClosedException.class, () -> engine.tryUpsert(peer(1, 1, 1).build()));
    }
}
