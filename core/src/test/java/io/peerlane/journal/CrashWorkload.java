package io.peerlane.journal;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;

import java.util.SplittableRandom;

/**
 * The seeded op stream of the crash test: the child JVM publishes it, the test regenerates it to feed the
 * sequential model. Times never decrease, so the engine records each op at its own time; a small id space
 * and tight limits make every rule fire (stale versions, identity conflicts, capacity, expiry, batches that
 * fail).
 */
final class CrashWorkload
{
    static final RegistrySettings SETTINGS = RegistrySettings.builder().maxPeers(40).peerTtlMs(400)
        .tombstoneTtlMs(300).maxTombstones(20).maxDevicesPerDid(2).maxPeersPerSubnet(4).build();
    private static final int IDS = 64;

    private final SplittableRandom random;
    private long time = 1_000;

    CrashWorkload(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    MutationValue next()
    {
        time += random.nextInt(3);
        final long t = time;
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            return MutationValue.upsert(t, record(t));
        }
        if (roll < 65)
        {
            return MutationValue.remove(t, id(random.nextInt(IDS + 5)));
        }
        if (roll < 75)
        {
            final NodeId id = id(random.nextInt(IDS));
            return MutationValue.touch(t, id, t - 20 + random.nextInt(40));
        }
        if (roll < 93)
        {
            final Batch.Builder batch = Batch.builder();
            final int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++)
            {
                if (random.nextInt(4) == 0)
                {
                    batch.remove(id(random.nextInt(IDS)));
                }
                else
                {
                    batch.upsert(record(t));
                }
            }
            return MutationValue.batch(t, batch.build());
        }
        return MutationValue.tick(t);
    }

    private PeerRecord record(final long t)
    {
        final int n = random.nextInt(IDS);
        final boolean conflict = random.nextInt(25) == 0;
        final PeerRecord.Builder b = PeerRecord.builder(id(n))
            .did(conflict ? "did:test:other" + n : "did:test:peer" + (n % (IDS / 3)))
            .device("d" + n)
            .publicKey(PublicKey.fromHex("key", String.format("%08x", conflict ? n + 1000 : n)))
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
        return b.build();
    }

    static NodeId id(final int n)
    {
        return NodeId.of(0x5eed_0000_0000_0000L | n, n * 0x9E3779B97F4A7C15L, 0, n);
    }
}
