package io.peerlane.model;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded generator of op sequences that reach every rule of TRACE.md: a small id space (so versions,
 * identities and tombstones collide often), a few DIDs and subnets (so device and subnet limits bite),
 * short times to live (so expiry and tombstone drops happen), small caps, bans, rate limits, batches that
 * commit and batches that fail, and critical-vote refusals decided by a deterministic function of the
 * record. The same seed always gives the same settings and ops.
 */
public final class RandomOps
{
    /** Ids that upserts use. */
    public static final int KNOWN_IDS = 40;
    /** Ids that only removes, touches and bans name: never live. */
    public static final int UNKNOWN_IDS = 5;

    private static final String[] DIDS = {
        "did:key:alice", "did:key:bob", "did:web:example.com", "did:peer:2.Ez6L", "did:plc:carol:dev",
        "did:key:dave", "did:ion:EiA_x-y%20", "did:key:erin",
    };

    /** Endpoint addresses: IPv4, IPv6 in several spellings, multiaddrs, names, and near misses with no IP. */
    private static final String[] ADDRESSES = {
        "10.0.1.7:4000", "10.0.1.8:4001", "10.0.1.200:80", "10.0.2.7:4000", "10.0.2.9:65535", "10.1.1.1:9",
        "192.168.0.1:0", "[2001:db8::1]:9000", "[2001:DB8:0:0:1::2]:9000", "[2001:db8:1::3]:1",
        "[2001:0db8:0000::7]:443", "[::ffff:10.0.1.7]:5", "[::1]:8080", "/ip4/10.0.1.9/tcp/1",
        "/ip4/10.0.2.1/udp/2", "/ip6/2001:db8::5/udp/3", "node.example.com:4000", "AA:BB:CC:DD:EE:FF",
        "10.0.1.07:4000", "10.0.1.7:70000", "10.0.1.7", "[2001:db8::1]", "/dns4/example.com/tcp/1",
    };

    private static final String[] SUBNET_BANS = {
        "10.0.1.0/24", "10.0.0.0/16", "10.0.2.0/24", "2001:db8::/32", "2001:0db8::/32", "2001:db8:1::/48",
        "0.0.0.0/0", "::/0", "192.168.0.1/32", "10.0.1.7/32", "::ffff:0:0/96",
    };

    private static final double[] FRACTIONS = {
        0.0, 1.0, 0.5, 0.1, 0.25, 1.0 / 3.0, 2.0 / 3.0, 0.0001, 1e-7, 0.123456789, 0.9999999999999999, 4.9e-324,
    };

    private final long seed;
    private final Random rnd;
    private final RegistrySettings settings;
    private final NodeId[] ids = new NodeId[KNOWN_IDS + UNKNOWN_IDS];
    private final String[] homeDid = new String[KNOWN_IDS];
    private final PublicKey[] homeKey = new PublicKey[KNOWN_IDS];
    private final PublicKey[] otherKey = new PublicKey[KNOWN_IDS];
    private final long[] versionHint = new long[KNOWN_IDS];
    private final List<Integer> recent = new ArrayList<>();
    private final VotedOps.Vote vote;
    private final List<ReferenceModel.Rule> rules = new ArrayList<>();
    private long time;
    private long maxTime;
    private int burst;
    /** Instants where a rule flips (a time to live runs out, a ban lapses, a rate window turns), and a ms after. */
    private final TreeSet<Long> marks = new TreeSet<>();

    /**
     * @param seed the seed: settings and ops follow from it alone.
     */
    public RandomOps(final long seed)
    {
        this.seed = seed;
        this.rnd = new Random(seed);
        for (int i = 0; i < ids.length; i++)
        {
            // The first word is mostly small so that ids share prefixes and sort less trivially.
            ids[i] = NodeId.of(rnd.nextInt(4), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        }
        for (int i = 0; i < KNOWN_IDS; i++)
        {
            homeDid[i] = DIDS[rnd.nextInt(DIDS.length)];
            homeKey[i] = key(1 + rnd.nextInt(40));
            otherKey[i] = key(1 + rnd.nextInt(40));
        }
        final Set<PublicKey> authorized = new LinkedHashSet<>();
        if (rnd.nextInt(3) == 0)
        {
            for (int i = 0; i < KNOWN_IDS; i += 2)
            {
                authorized.add(homeKey[i]);
            }
        }
        final long peerTtl = pick(5_000L, 20_000L, 60_000L, 120_000L, RegistrySettings.PEER_TTL_MS_DEFAULT);
        settings = RegistrySettings.builder()
            .maxPeers(pick(0L, 6L, 12L, 20L, 30L))
            .peerTtlMs(peerTtl)
            .tombstoneTtlMs(pick(0L, 1_000L, 5_000L, 30_000L, RegistrySettings.TOMBSTONE_TTL_MS_DEFAULT))
            .maxTombstones(pick(0L, 1L, 3L, 8L))
            .maxDevicesPerDid(pick(0L, 2L, 4L, 10L))
            .maxPeersPerSubnet(pick(0L, 0L, 2L, 3L))
            .maxBans(pick(0L, 1L, 3L, 10L))
            .globalRateLimitPerSec(pick(0L, 0L, 2L, 4L, 8L))
            .didRateLimitPerMin(pick(0L, 0L, 5L, 20L))
            .authorizedValidatorKeys(authorized)
            .build();
        if (rnd.nextInt(3) != 0)
        {
            rules.add((proposed, current) -> proposed.nodeType() == NodeType.GATEWAY ? "NO_GATEWAY" : null);
            // On updates only: a peer may not move further away than it was.
            rules.add((proposed, current) ->
                null != current && proposed.hopCount() > current.hopCount() + 100 ? "HOP_JUMP" : null);
        }
        final int vetoEvery = 7 + rnd.nextInt(20);
        vote = record ->
        {
            if (null != ReferenceModel.validatorSetVote(settings, record))
            {
                return new VotedOps.Refusal(ReferenceModel.VALIDATOR_SET, AbortCause.VETO);
            }
            final int h = (record.id().toHex() + "/" + record.version() + "/" + record.lastSeen()).hashCode();
            if (Math.floorMod(h, vetoEvery) == 0)
            {
                return new VotedOps.Refusal("audit", AbortCause.values()[Math.floorMod(h / vetoEvery, 3)]);
            }
            return null;
        };
        time = 1_700_000_000_000L + rnd.nextInt(1_000_000);
        maxTime = time;
    }

    /** @return the seed. */
    public long seed()
    {
        return seed;
    }

    /** @return the settings drawn for this seed. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /**
     * The user admission rules drawn for this seed (none for a third of the seeds): they read the records
     * only, so the same rule serves the model and, wrapped, the code under test.
     *
     * @return the rules, in order.
     */
    public List<ReferenceModel.Rule> rules()
    {
        return rules;
    }

    /** @return the critical votes the ops carry. */
    public VotedOps.Vote vote()
    {
        return vote;
    }

    /**
     * @param count how many.
     * @return the next {@code count} ops.
     */
    public List<MutationValue> ops(final int count)
    {
        final List<MutationValue> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            out.add(next());
        }
        return out;
    }

    /** @return the next op. */
    public MutationValue next()
    {
        final long t = nextTime();
        final int dice = rnd.nextInt(100);
        if (dice < 45)
        {
            return VotedOps.upsert(t, record(t), vote);
        }
        if (dice < 53)
        {
            return MutationValue.remove(t, anyId());
        }
        if (dice < 65)
        {
            long seen = Math.max(0, t + rnd.nextInt(20_000) - 12_000);
            seen -= rnd.nextBoolean() ? Math.floorMod(seen, 2_000L) : 0;
            mark(seen + settings.peerTtlMs());
            return MutationValue.touch(t, anyId(), seen);
        }
        if (dice < 72)
        {
            return MutationValue.tick(t);
        }
        if (dice < 91)
        {
            final Batch.Builder b = Batch.builder();
            final int size = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(12) : 1 + rnd.nextInt(4);
            for (int i = 0; i < size; i++)
            {
                if (rnd.nextInt(10) < 8)
                {
                    b.upsert(record(t));
                }
                else
                {
                    b.remove(anyId());
                }
            }
            return VotedOps.batch(t, b.build(), vote);
        }
        if (dice < 96)
        {
            final long until = rnd.nextInt(4) == 0 ? Ban.FOREVER : Math.max(t, maxTime) + 1 + rnd.nextInt(10_000);
            if (until != Ban.FOREVER)
            {
                mark(until - 1);
            }
            return MutationValue.ban(t, banTarget(until));
        }
        return MutationValue.unban(t, banTarget(Ban.FOREVER));
    }

    private long nextTime()
    {
        final int dice = rnd.nextInt(100);
        if (dice < 3)
        {
            // Out of order, as producers' times can reach the ring: the commit stage raises it.
            return Math.max(0, time - rnd.nextInt(3_000));
        }
        marks.headSet(time).clear();
        if (dice < 9 && !marks.isEmpty() && marks.first() - time < 600_000L)
        {
            // Land exactly on a boundary (or just past it), where an off-by-one in a rule would show.
            time = marks.pollFirst();
            mark(time + settings.tombstoneTtlMs());
            return time;
        }
        final long ttl = Math.min(settings.peerTtlMs(), 120_000L);
        final long step;
        if (burst == 0 && rnd.nextInt(40) == 0)
        {
            burst = 10 + rnd.nextInt(30);
        }
        if (burst > 0)
        {
            // Many ops within one second: rate windows fill, and failed batches must give their counts back.
            burst--;
            step = rnd.nextInt(4);
        }
        else if (dice < 40)
        {
            step = rnd.nextInt(20);
        }
        else if (dice < 70)
        {
            step = rnd.nextInt(1_200);
        }
        else if (dice < 96)
        {
            step = rnd.nextInt(4_000);
        }
        else
        {
            step = (long)(rnd.nextDouble() * 2 * ttl);
        }
        time += step;
        maxTime = Math.max(maxTime, time);
        mark(Math.floorDiv(time, 1000L) * 1000L + 999L);
        mark(Math.floorDiv(time, 60_000L) * 60_000L + 59_999L);
        mark(time + settings.tombstoneTtlMs());
        return time;
    }

    private Ban banTarget(final long until)
    {
        final int dice = rnd.nextInt(10);
        if (dice < 3)
        {
            return Ban.of(BanKind.NODE, ids[rnd.nextInt(KNOWN_IDS + 2)].toHex(), until);
        }
        if (dice < 5)
        {
            return Ban.of(BanKind.DID, DIDS[rnd.nextInt(DIDS.length)], until);
        }
        return Ban.of(BanKind.SUBNET, SUBNET_BANS[rnd.nextInt(SUBNET_BANS.length)], until);
    }

    /** Mostly an id upserted lately (so removes and touches often find it), sometimes any id or an unknown one. */
    private NodeId anyId()
    {
        final int dice = rnd.nextInt(10);
        if (dice == 0)
        {
            return ids[KNOWN_IDS + rnd.nextInt(UNKNOWN_IDS)];
        }
        if (dice < 4 || recent.isEmpty())
        {
            return ids[rnd.nextInt(KNOWN_IDS)];
        }
        return ids[recent.get(rnd.nextInt(recent.size()))];
    }

    private PeerRecord record(final long t)
    {
        final int i = rnd.nextInt(KNOWN_IDS);
        recent.remove(Integer.valueOf(i));
        recent.add(i);
        if (recent.size() > 8)
        {
            recent.remove(0);
        }
        final int dice = rnd.nextInt(100);
        final long version;
        if (dice < 55)
        {
            version = ++versionHint[i];
        }
        else if (dice < 70)
        {
            version = versionHint[i];
        }
        else if (dice < 80)
        {
            version = Math.max(0, versionHint[i] - 1);
        }
        else
        {
            version = rnd.nextInt((int)versionHint[i] + 4);
            versionHint[i] = Math.max(versionHint[i], version);
        }
        final long ttl = Math.min(settings.peerTtlMs(), 120_000L);
        long lastSeen;
        final int seen = rnd.nextInt(10);
        if (seen < 7)
        {
            lastSeen = t - (long)(rnd.nextDouble() * ttl * 0.5);
        }
        else if (seen < 9)
        {
            lastSeen = t + rnd.nextInt(5_000);
        }
        else
        {
            lastSeen = t - ttl - rnd.nextInt(3_000); // past its time to live already (ADDED, then EXPIRED).
        }
        if (rnd.nextBoolean())
        {
            lastSeen -= Math.floorMod(lastSeen, 2_000L); // whole seconds collide: ties in expiry and eviction order.
        }
        final PeerRecord.Builder b = PeerRecord.builder(ids[i])
            .did(rnd.nextInt(12) == 0 ? DIDS[rnd.nextInt(DIDS.length)] : homeDid[i])
            .device("dev-" + rnd.nextInt(5))
            .publicKey(rnd.nextInt(12) == 0 ? otherKey[i] : homeKey[i])
            .version(version)
            .lastSeen(Math.max(0, lastSeen));
        mark(Math.max(0, lastSeen) + settings.peerTtlMs());
        final int endpoints = rnd.nextInt(10) < 2 ? 0 : 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 4 : 2);
        final List<String> used = new ArrayList<>();
        for (int e = 0; e < endpoints; e++)
        {
            final String address = ADDRESSES[rnd.nextInt(ADDRESSES.length)];
            final Protocol protocol = Protocol.values()[rnd.nextInt(3)];
            if (!used.contains(address + protocol))
            {
                used.add(address + protocol);
                b.endpoint(Endpoint.of(address, protocol, rnd.nextInt(500), fraction()));
            }
        }
        if (rnd.nextBoolean())
        {
            b.tier(Tier.values()[rnd.nextInt(Tier.values().length)]);
        }
        if (rnd.nextBoolean())
        {
            b.trust(fraction());
        }
        if (rnd.nextInt(4) == 0)
        {
            b.nodeType(rnd.nextBoolean() ? NodeType.VALIDATOR : NodeType.values()[rnd.nextInt(NodeType.values().length)]);
            b.votingPower(rnd.nextInt(1000));
        }
        b.authenticated(rnd.nextInt(3) == 0).quantumSecure(rnd.nextInt(5) == 0).pinned(rnd.nextInt(12) == 0);
        if (rnd.nextInt(3) == 0)
        {
            b.discovery(Discovery.values()[rnd.nextInt(Discovery.values().length)]);
        }
        if (rnd.nextInt(5) == 0)
        {
            final int hop = (i + 1 + rnd.nextInt(KNOWN_IDS - 1)) % KNOWN_IDS;
            b.nextHop(ids[hop]).hopCount(rnd.nextInt(256)).routeQuality(fraction());
        }
        return b.build();
    }

    /** Remembers {@code at} and {@code at + 1}: a rule that holds at one of them flips at the other. */
    private void mark(final long at)
    {
        if (at > time && at < time + 600_000L)
        {
            marks.add(at);
            marks.add(at + 1);
        }
    }

    private double fraction()
    {
        return rnd.nextBoolean() ? FRACTIONS[rnd.nextInt(FRACTIONS.length)] : rnd.nextDouble();
    }

    private PublicKey key(final int bytes)
    {
        final byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return PublicKey.fromBytes("publicKey", b);
    }

    private long pick(final long... choices)
    {
        return choices[rnd.nextInt(choices.length)];
    }
}
