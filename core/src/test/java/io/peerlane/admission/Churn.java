package io.peerlane.admission;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded churn of adds, updates, removes, batches, touches, ticks, bans with {@code until} and unbans
 * from many DIDs, driven straight into a {@link RegistryState} on one thread (the way the commit stage
 * drives it), checking after every op that everything input can grow stays at or under its bound:
 * tombstones, bans, live peers, and per-DID rate windows (at most one per DID that upserted in the current
 * minute, and at most what the global window lets through in a minute).
 */
final class Churn
{
    private static final long T_START = 1_700_000_000_000L;

    private final RegistrySettings settings;
    private final RegistryState state;
    private final SplittableRandom random;
    private final int dids;
    private final int ids;
    private final String[] didNames;
    private final PublicKey[] keys;
    private final long[] versions;
    private final CommitResult out = new CommitResult();

    private long t = T_START;
    private long sequence;
    private long minute = Long.MIN_VALUE;
    private long upsertsThisMinute;
    int maxTombstones;
    int maxBans;
    int maxWindows;
    int maxLive;

    Churn(final long seed, final int dids, final RegistrySettings settings)
    {
        this.settings = settings;
        this.state = new RegistryState(settings, List.of());
        this.random = new SplittableRandom(seed);
        this.dids = dids;
        this.ids = dids * 4;
        didNames = new String[dids];
        for (int d = 0; d < dids; d++)
        {
            didNames[d] = "did:churn:" + Integer.toString(d, 36);
        }
        keys = new PublicKey[ids];
        for (int i = 0; i < ids; i++)
        {
            keys[i] = PublicKey.fromHex("key", String.format("%08x", i));
        }
        versions = new long[ids];
    }

    RegistryState state()
    {
        return state;
    }

    /** Runs {@code count} random ops, checking the bounds after each. */
    void run(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            t += random.nextInt(3);
            final int roll = random.nextInt(100);
            if (roll < 50)
            {
                commit(MutationValue.upsert(t, record(random.nextInt(ids))));
            }
            else if (roll < 70)
            {
                commit(MutationValue.remove(t, id(random.nextInt(ids))));
            }
            else if (roll < 78)
            {
                final Batch.Builder b = Batch.builder();
                final int n = 2 + random.nextInt(5);
                for (int k = 0; k < n; k++)
                {
                    if (random.nextInt(4) == 0)
                    {
                        b.remove(id(random.nextInt(ids)));
                    }
                    else
                    {
                        b.upsert(record(random.nextInt(ids)));
                    }
                }
                commit(MutationValue.batch(t, b.build()));
            }
            else if (roll < 83)
            {
                commit(MutationValue.touch(t, id(random.nextInt(ids)), t));
            }
            else if (roll < 85)
            {
                t += random.nextInt(200);
                commit(MutationValue.tick(t));
            }
            else if (roll < 95)
            {
                commit(MutationValue.ban(t, ban(t + 1 + random.nextInt(120_000))));
            }
            else
            {
                commit(MutationValue.unban(t, ban(Ban.FOREVER)));
            }
        }
    }

    /** One op at a time, with the bounds checked after it. */
    private void commit(final MutationValue op)
    {
        final long m = Math.floorDiv(op.time(), 60_000L);
        if (m != minute)
        {
            minute = m;
            upsertsThisMinute = 0;
        }
        upsertsThisMinute += op.kind() == MutationKind.UPSERT ? 1 : 0;
        if (op.kind() == MutationKind.BATCH)
        {
            for (int k = 0; k < op.batch().size(); k++)
            {
                upsertsThisMinute += op.batch().isUpsert(k) ? 1 : 0;
            }
        }
        state.commit(op, sequence++, out);
        checkBounds();
    }

    private void checkBounds()
    {
        final int tombstones = state.tombstoneCount();
        final int bans = state.banCount();
        final int windows = state.rateWindowCount();
        final int live = state.size();
        assertTrue(tombstones <= settings.maxTombstones(), "tombstones " + tombstones + " at op " + sequence);
        assertTrue(bans <= settings.maxBans(), "bans " + bans + " at op " + sequence);
        assertTrue(live <= settings.maxPeers(), "live peers " + live + " at op " + sequence);
        assertTrue(windows <= upsertsThisMinute, "rate windows " + windows + " but only " + upsertsThisMinute +
            " upserts in this minute, at op " + sequence);
        assertTrue(windows <= Math.min(dids, settings.globalRateLimitPerSec() * 60),
            "rate windows " + windows + " at op " + sequence);
        maxTombstones = Math.max(maxTombstones, tombstones);
        maxBans = Math.max(maxBans, bans);
        maxWindows = Math.max(maxWindows, windows);
        maxLive = Math.max(maxLive, live);
    }

    /** Moves time past every ban, tombstone, peer and window, in two ticks, and checks all is let go. */
    void drain()
    {
        t += Math.max(settings.peerTtlMs(), 120_000) + 60_001;  // past every until, lastSeen + ttl, and this minute
        commit(MutationValue.tick(t));
        assertEquals(0, state.banCount(), "every ban had an until");
        assertEquals(0, state.size(), "every peer expired");
        assertEquals(0, state.rateWindowCount(), "a new minute began");
        t += settings.tombstoneTtlMs() + 1;
        commit(MutationValue.tick(t));
        assertEquals(0, state.tombstoneCount(), "every tombstone outlived its time to live");
    }

    long time()
    {
        return t;
    }

    private NodeId id(final int i)
    {
        return NodeId.of(0xc0de_0000_0000_0000L, i, 0, i);
    }

    private PeerRecord record(final int i)
    {
        versions[i] += random.nextInt(10) == 0 ? -1 : 1;
        versions[i] = Math.max(0, versions[i]);
        return PeerRecord.builder(id(i))
            .did(didNames[i % dids])
            .device("d" + (i / dids))
            .publicKey(keys[i])
            .version(versions[i])
            .lastSeen(Math.max(0, t - random.nextInt(60_000)))
            .tier(Tier.values()[random.nextInt(Tier.values().length)])
            .endpoint(Endpoint.of("10." + (i % 7) + "." + (i / 7 % 250) + ".1:4000", Protocol.TCP, 1, 0.5))
            .build();
    }

    private Ban ban(final long until)
    {
        final int roll = random.nextInt(10);
        if (roll < 4)
        {
            return Ban.of(BanKind.DID, didNames[random.nextInt(dids)], until);
        }
        if (roll < 8)
        {
            return Ban.of(BanKind.NODE, id(random.nextInt(ids)).toHex(), until);
        }
        return Ban.of(BanKind.SUBNET, "10." + random.nextInt(7) + "." + random.nextInt(250) + ".0/24", until);
    }
}
