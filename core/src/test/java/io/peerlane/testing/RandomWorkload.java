package io.peerlane.testing;

import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.Batch;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded producer of random mutations over a small id space, so that every rule of TRACE.md fires often:
 * new, equal and older versions, identity conflicts, removes of known and unknown ids, touches, batches
 * that commit and batches that fail mid-way, capacity evictions of tiered and pinned peers, and expiry
 * driven by ticks. Event times come from a shared counter, so producers' times reach the ring out of order.
 */
public final class RandomWorkload
{
    private final SplittableRandom random;
    private final int ids;
    private final AtomicLong clock;

    /**
     * @param seed  the seed.
     * @param ids   size of the id space.
     * @param clock shared event-time source.
     */
    public RandomWorkload(final long seed, final int ids, final AtomicLong clock)
    {
        this.random = new SplittableRandom(seed);
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Publishes one random mutation.
     *
     * @param engine the engine.
     * @return the ring sequence.
     */
    public long publishOne(final PeerlaneEngine engine)
    {
        final long t = clock.addAndGet(random.nextInt(3));
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            return engine.upsert(t, record(t));
        }
        if (roll < 65)
        {
            return engine.remove(t, id(random.nextInt(ids + 5)));
        }
        if (roll < 75)
        {
            return engine.touch(t, id(random.nextInt(ids)), t - 20 + random.nextInt(40));
        }
        if (roll < 92)
        {
            final Batch.Builder batch = Batch.builder();
            final int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++)
            {
                if (random.nextInt(4) == 0)
                {
                    batch.remove(id(random.nextInt(ids)));
                }
                else
                {
                    batch.upsert(record(t));
                }
            }
            return engine.batch(t, batch.build());
        }
        return engine.tick(t + random.nextInt(30));
    }

    /** @param t event time. @return a random record over the id space. */
    public PeerRecord record(final long t)
    {
        final int n = random.nextInt(ids);
        final boolean conflict = random.nextInt(25) == 0;
        final PeerRecord.Builder b = PeerRecord.builder(id(n))
            .did(conflict ? "did:test:other" + n : "did:test:peer" + (n % (ids / 3 + 1)))
            .device("d" + n)
            .publicKey(conflict ? key(n + 1000) : key(n))
            .version(Math.max(0, t / 8 + random.nextInt(6) - 3))
            .lastSeen(Math.max(0, t - random.nextInt(40)))
            .tier(Tier.values()[random.nextInt(Tier.values().length)])
            .trust(random.nextInt(11) / 10.0)
            .nodeType(NodeType.values()[random.nextInt(NodeType.values().length)])
            .votingPower(random.nextInt(100))
            .pinned(random.nextInt(10) == 0)
            .discovery(Discovery.values()[random.nextInt(Discovery.values().length)]);
        if (random.nextBoolean())
        {
            b.endpoint(Endpoint.of("10.1." + random.nextInt(4) + "." + n + ":4000", Protocol.TCP, random.nextInt(50), 0.5));
        }
        if (random.nextInt(4) == 0)
        {
            b.endpoint(Endpoint.of("[2001:db8:" + random.nextInt(3) + "::" + n + "]:9000", Protocol.QUIC, 3, 0.25));
        }
        if (random.nextInt(5) == 0)
        {
            b.nextHop(id((n + 1) % ids)).hopCount(1 + random.nextInt(4)).routeQuality(random.nextInt(5) / 4.0);
        }
        return b.build();
    }

    /** @param n a number. @return its id. */
    public static NodeId id(final int n)
    {
        return NodeId.of(0x5eed_0000_0000_0000L | n, n * 0x9E3779B97F4A7C15L, 0, n);
    }

    private static PublicKey key(final int n)
    {
        return PublicKey.fromHex("key", String.format("%08x", n));
    }
}
