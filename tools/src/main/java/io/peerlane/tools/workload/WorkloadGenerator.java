package io.peerlane.tools.workload;

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

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a synthetic workload from a seed, one op at a time, so that ten million ops need no more memory than
 * the pool of peers. The same seed and spec give the same ops on every JVM: choices come from a
 * {@link SplittableRandom} seeded once, identities from a fixed 64-bit mix of (seed, slot, generation).
 * <p>
 * The pool has {@code peers} slots. A slot holds one identity (id, DID, key) and the generator's own idea of
 * its version and liveness; it never looks at registry state, so refusals (capacity, stale, vetoes) happen as
 * they would for real producers. An upsert sends the slot's next version; an update changes a live slot's
 * endpoint and trust with the next version (one in fifty resends the current version, which is STALE); a
 * remove and a touch pick any slot; a batch mixes upserts and removes. With churn, a removed slot comes back
 * as a new identity with that chance, as nodes leave a network and others join. Slots in groups of three
 * share a DID (devices of one owner). A share of slots are validators; the settings authorise the keys of
 * three in four of the first of them (at most {@value #MAX_AUTHORIZED}), so the validator-set vote refuses
 * the rest.
 * <p>
 * A committed workload ({@link WorkloadSpec#committed}) draws from the same pool and makes the same records, but
 * every op must commit exactly one change, whatever the interleaving of the producers it is dealt to: first one
 * upsert per slot (the population, slot {@code n} by op {@code n}); then each op {@code i} picks among the slots of
 * producer {@code i % producers} (the slots {@code n % producers == p}), which keeps a live and a free (removed)
 * set of them: a new peer re-adds a free slot (an update when there is none), an update sends a live slot's next
 * version, a touch and a remove pick a live slot, and a batch takes distinct slots, half of them new where any
 * are free. No stale versions, no misses, no churn: each op's event time is {@link WorkloadSpec#START_MS} plus
 * its index, so its index is its time's offset.
 */
public final class WorkloadGenerator
{
    /** Most authorised validator keys put in the settings. */
    public static final int MAX_AUTHORIZED = 256;

    private static final Tier[] TIERS = {Tier.TIER1, Tier.TIER2, Tier.TIER3, Tier.TIER3, Tier.TIER4};
    private static final Protocol[] PROTOCOLS = {Protocol.TCP, Protocol.UDP, Protocol.QUIC};
    private static final Discovery[] DISCOVERIES = {Discovery.DHT, Discovery.BOOTSTRAP, Discovery.MESH_SCAN};

    private final WorkloadSpec spec;
    private final SplittableRandom random;
    private final double[] cumulative;
    private final long[] versions;
    private final int[] generations;
    private final boolean[] live;
    private final IdPool[] liveSlots;
    private final IdPool[] freeSlots;
    private final int[] batchSlots;
    private long made;

    /** @param spec what to make. */
    public WorkloadGenerator(final WorkloadSpec spec)
    {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed);
        this.cumulative = new double[spec.weights.length];
        double sum = 0;
        for (int i = 0; i < cumulative.length; i++)
        {
            sum += spec.weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++)
        {
            cumulative[i] /= sum;
        }
        versions = new long[spec.peers];
        generations = new int[spec.peers];
        live = new boolean[spec.peers];
        liveSlots = new IdPool[spec.producers];
        freeSlots = new IdPool[spec.producers];
        for (int p = 0; p < spec.producers; p++)
        {
            final int owned = (spec.peers - p + spec.producers - 1) / spec.producers;
            liveSlots[p] = new IdPool(owned, spec.peers);
            freeSlots[p] = new IdPool(owned, spec.peers);
        }
        batchSlots = new int[spec.committed() ? spec.batchMax : 0];
    }

    /** @return the keys the settings authorise to hold a VALIDATOR record; empty when there are no validators. */
    public Set<PublicKey> authorizedValidatorKeys()
    {
        final Set<PublicKey> keys = new LinkedHashSet<>();
        if (spec.validators > 0)
        {
            for (int slot = 0; slot < spec.peers && keys.size() < MAX_AUTHORIZED; slot++)
            {
                if (isValidator(slot) && (mix(slot, 0, 7) & 3) != 0)
                {
                    keys.add(publicKey(slot, 0));
                }
            }
        }
        return keys;
    }

    /** @return whether ops remain to be made: for a committed workload, the population's and the measured ones. */
    public boolean hasNext()
    {
        return made < total();
    }

    /** @return the number of ops made in all: for a committed workload, the population and the measured ops. */
    public long total()
    {
        return spec.committed() ? spec.peers + spec.ops : spec.ops;
    }

    /** @return the next op. */
    public MutationValue next()
    {
        if (spec.committed())
        {
            return nextCommitted();
        }
        final long t = WorkloadSpec.START_MS + timeOffset(made);
        made++;
        final int kind = pickKind();
        final int slot = random.nextInt(spec.peers);
        switch (kind)
        {
            case 0:
                return MutationValue.upsert(t, upsert(slot, t));
            case 1:
                return MutationValue.upsert(t, update(slot, t));
            case 2:
                live[slot] = false;
                return MutationValue.remove(t, id(slot, generations[slot]));
            case 3:
                return MutationValue.batch(t, batch(t));
            default:
                return MutationValue.touch(t, id(slot, generations[slot]), t);
        }
    }

    private int pickKind()
    {
        final double pick = random.nextDouble();
        int kind = 0;
        while (kind < cumulative.length - 1 && pick >= cumulative[kind])
        {
            kind++;
        }
        return kind;
    }

    /** An op of a committed workload; see the class note. */
    private MutationValue nextCommitted()
    {
        final int index = (int)made++;
        final long t = WorkloadSpec.START_MS + index;
        final IdPool live = liveSlots[index % spec.producers];
        final IdPool free = freeSlots[index % spec.producers];
        if (index < spec.peers)
        {
            live.add(index);
            return MutationValue.upsert(t, nextVersion(index, t));
        }
        final int kind = pickKind();
        if (live.size() == 0 || (kind == 0 && free.size() > 0))
        {
            return MutationValue.upsert(t, add(live, free, t));
        }
        switch (kind)
        {
            case 0:
            case 1:
                return MutationValue.upsert(t, nextVersion(live.pick(random), t));
            case 2:
                final int slot = live.pick(random);
                live.remove(slot);
                free.add(slot);
                return MutationValue.remove(t, id(slot, 0));
            case 3:
                return MutationValue.batch(t, committedBatch(live, free, t));
            default:
                return MutationValue.touch(t, id(live.pick(random), 0), t);
        }
    }

    /** A batch of distinct slots: half new peers where any are free, then updates, then removes. */
    private Batch committedBatch(final IdPool live, final IdPool free, final long t)
    {
        final int size = spec.batchMin + random.nextInt(spec.batchMax - spec.batchMin + 1);
        final Batch.Builder b = Batch.builder();
        int used = 0;
        for (int op = 0; op < size; op++)
        {
            final int kind = random.nextInt(10);
            if ((kind < 5 || live.size() <= used) && free.size() > 0)
            {
                final int slot = free.pick(random);
                batchSlots[used++] = slot;
                free.remove(slot);
                live.add(slot);
                b.upsert(nextVersion(slot, t));
                continue;
            }
            final int slot = distinctLive(live, used);
            if (slot < 0)
            {
                break;
            }
            batchSlots[used++] = slot;
            if (kind < 8)
            {
                b.upsert(nextVersion(slot, t));
            }
            else
            {
                live.remove(slot);
                free.add(slot);
                b.remove(id(slot, 0));
            }
        }
        if (b.size() == 0)
        {
            b.upsert(add(live, free, t));
        }
        return b.build();
    }

    private int distinctLive(final IdPool live, final int used)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (live.size() == 0)
            {
                return -1;
            }
            final int slot = live.pick(random);
            boolean seen = false;
            for (int i = 0; i < used; i++)
            {
                seen |= batchSlots[i] == slot;
            }
            if (!seen)
            {
                return slot;
            }
        }
        return -1;
    }

    private PeerRecord add(final IdPool live, final IdPool free, final long t)
    {
        final int slot = free.pick(random);
        free.remove(slot);
        live.add(slot);
        return nextVersion(slot, t);
    }

    private PeerRecord nextVersion(final int slot, final long t)
    {
        return record(slot, ++versions[slot], t, 0);
    }

    private long timeOffset(final long index)
    {
        if (spec.ops <= 1)
        {
            return 0;
        }
        final long high = Math.multiplyHigh(spec.spanMs, index);
        final long low = spec.spanMs * index;
        return high == 0 && low >= 0 ? low / (spec.ops - 1) :
            (long)((double)spec.spanMs * index / (spec.ops - 1));
    }

    private Batch batch(final long t)
    {
        final int size = spec.batchMin + random.nextInt(spec.batchMax - spec.batchMin + 1);
        final Batch.Builder b = Batch.builder();
        for (int i = 0; i < size; i++)
        {
            final int slot = random.nextInt(spec.peers);
            if (random.nextInt(5) == 0)
            {
                live[slot] = false;
                b.remove(id(slot, generations[slot]));
            }
            else
            {
                b.upsert(upsert(slot, t));
            }
        }
        return b.build();
    }

    private PeerRecord upsert(final int slot, final long t)
    {
        if (!live[slot] && versions[slot] > 0 && spec.churn > 0 && random.nextDouble() < spec.churn)
        {
            generations[slot]++;
            versions[slot] = 0;
        }
        live[slot] = true;
        return record(slot, ++versions[slot], t, 0);
    }

    private PeerRecord update(final int slot, final long t)
    {
        if (!live[slot])
        {
            return upsert(slot, t);
        }
        final boolean stale = random.nextInt(50) == 0 && versions[slot] > 0;
        final long version = stale ? versions[slot] : ++versions[slot];
        return record(slot, version, t, 1 + random.nextInt(1000));
    }

    private PeerRecord record(final int slot, final long version, final long t, final int drift)
    {
        final int gen = generations[slot];
        final long h = mix(slot, gen, 1);
        final boolean validator = isValidator(slot);
        final String address = spec.subnets > 0 ? subnetAddress(slot) :
            "10." + ((slot >>> 16) & 0xFF) + '.' + ((slot >>> 8) & 0xFF) + '.' + (slot & 0xFF) + ':' +
                (4000 + (int)((h >>> 8) & 0x3FF) + drift % 7);
        return PeerRecord.builder(id(slot, gen))
            .did("did:key:z" + Long.toHexString(mix(slot / 3, 0, 2) & Long.MAX_VALUE))
            .device("dev" + (slot % 3) + "-g" + gen)
            .publicKey(publicKey(slot, gen))
            .version(version)
            .lastSeen(t)
            .endpoint(Endpoint.of(address, PROTOCOLS[(int)((h >>> 20) % PROTOCOLS.length)],
                (h >>> 24) % 200 + drift % 50, ((h >>> 32) % 101 + drift) % 101 / 100.0))
            .tier(TIERS[(int)((h >>> 40) % TIERS.length)])
            .trust(((h >>> 44) % 101 + drift) % 101 / 100.0)
            .nodeType(validator ? NodeType.VALIDATOR : NodeType.FULL)
            .votingPower(validator ? 1 + (h >>> 52) % 100 : 0)
            .authenticated((h & 1) != 0)
            .discovery(DISCOVERIES[(int)((h >>> 56) % DISCOVERIES.length)])
            .build();
    }

    /** A committed workload's address: slot {@code n} in /24 subnet {@code n % subnets}, port 4001. */
    private String subnetAddress(final int slot)
    {
        final int subnet = slot % spec.subnets;
        return "10." + (subnet >>> 8) + '.' + (subnet & 0xFF) + '.' + (1 + slot / spec.subnets % 254) + ":4001";
    }

    private boolean isValidator(final int slot)
    {
        return spec.validators > 0 && (mix(slot, 0, 3) >>> 11) * 0x1.0p-53 < spec.validators;
    }

    /**
     * @param slot a slot of the population, from 0.
     * @return the id of the peer the population loads into that slot (its first generation): what a committed
     * workload's op {@code slot} upserts.
     */
    public NodeId populationId(final int slot)
    {
        return id(slot, 0);
    }

    private NodeId id(final int slot, final int gen)
    {
        return NodeId.of(mix(slot, gen, 11), mix(slot, gen, 12), mix(slot, gen, 13), mix(slot, gen, 14));
    }

    private PublicKey publicKey(final int slot, final int gen)
    {
        final byte[] key = new byte[32];
        for (int w = 0; w < 4; w++)
        {
            final long v = mix(slot, gen, 21 + w);
            for (int b = 0; b < 8; b++)
            {
                key[w * 8 + b] = (byte)(v >>> (8 * b));
            }
        }
        return PublicKey.fromBytes("publicKey", key);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser over (seed, slot, generation, salt). */
    private long mix(final int slot, final int gen, final int salt)
    {
        long z = spec.seed + 0x9E3779B97F4A7C15L * (1 + slot) + 0xC2B2AE3D27D4EB4FL * (1 + gen) +
            0x165667B19E3779F9L * salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
