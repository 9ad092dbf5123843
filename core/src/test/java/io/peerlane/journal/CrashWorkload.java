package io.peerlane.journal;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.RandomWorkload;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

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
    /** The records, made as the model tests make theirs (identity conflicts, IPv6 endpoints, next hops). */
    private final RandomWorkload records;
    private long time = 1_000;

    CrashWorkload(final long seed)
    {
        random = new SplittableRandom(seed);
        records = new RandomWorkload(seed ^ 0x5DEE_CE66_DL, IDS, new AtomicLong());
    }

    MutationValue next()
    {
        time += random.nextInt(3);
        final long t = time;
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            return MutationValue.upsert(t, records.record(t));
        }
        if (roll < 65)
        {
            return MutationValue.remove(t, RandomWorkload.id(random.nextInt(IDS + 5)));
        }
        if (roll < 75)
        {
            final NodeId id = RandomWorkload.id(random.nextInt(IDS));
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
                    batch.remove(RandomWorkload.id(random.nextInt(IDS)));
                }
                else
                {
                    batch.upsert(records.record(t));
                }
            }
            return MutationValue.batch(t, batch.build());
        }
        return MutationValue.tick(t);
    }
}
