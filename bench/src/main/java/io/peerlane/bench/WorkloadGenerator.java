package io.peerlane.bench;

import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.state.Batch;
import io.peerlane.state.CommitResult;
import io.peerlane.state.MutationKind;
import io.peerlane.state.MutationValue;
import io.peerlane.state.OutcomeCode;
import io.peerlane.state.RegistrySettings;
import io.peerlane.state.RegistryState;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a {@link Workload} from a {@link WorkloadSpec}, then checks it: the population (one new peer per
 * id, ops {@code 0} to {@code peers - 1}) and then the measured ops run once through {@link RegistryState}
 * in index order, and each must commit exactly one event line (ADDED, UPDATED, TOUCHED, REMOVED or a
 * committed batch). That makes every contender do the same work, and lets latency probes map an event's
 * seq to an op one to one.
 */
public final class WorkloadGenerator
{
    private static final Tier[] TIERS = { Tier.TIER1, Tier.TIER2, Tier.TIER3, Tier.TIER3, Tier.TIER4 };
    private static final Discovery[] DISCOVERIES = { Discovery.DHT, Discovery.MESH_SCAN, Discovery.BOOTSTRAP };

    private final WorkloadSpec spec;
    private final SplittableRandom random;
    private final NodeId[] ids;
    private final PublicKey[] keys;
    private final String[] dids;
    private final String[] devices;
    private final List<Endpoint>[] endpoints;
    private final boolean[] validator;
    private final Tier[] tiers;
    private final long[] versions;
    private final IdPool[] live;
    private final IdPool[] free;
    private final int[] batchIds;

    /** @param spec what to build. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public WorkloadGenerator(final WorkloadSpec spec)
    {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed);
        final int peers = spec.peers;
        ids = new NodeId[peers];
        keys = new PublicKey[peers];
        dids = new String[peers];
        devices = new String[peers];
        endpoints = new List[peers];
        validator = new boolean[peers];
        tiers = new Tier[peers];
        versions = new long[peers];
        batchIds = new int[spec.maxBatchOps];
        for (int n = 0; n < peers; n++)
        {
            ids[n] = NodeId.of(random.nextLong(), random.nextLong(), random.nextLong(), n);
            keys[n] = PublicKey.fromBytes("publicKey", longBytes(random.nextLong(), random.nextLong()));
            dids[n] = "did:peerlane:node" + n;
            devices[n] = "dev" + n;
            final int subnet = n % spec.subnets;
            final String ip = "10." + (subnet >>> 8) + "." + (subnet & 0xFF) + "." + (1 + n / spec.subnets % 254);
            endpoints[n] = random.nextInt(4) == 0 ?
                List.of(Endpoint.of(ip + ":4001", Protocol.TCP, 1 + random.nextInt(80), 0.9),
                    Endpoint.of(ip + ":4001", Protocol.QUIC, 1 + random.nextInt(80), 0.8)) :
                List.of(Endpoint.of(ip + ":4001", Protocol.TCP, 1 + random.nextInt(80), 0.9));
            validator[n] = random.nextDouble() < spec.validatorFraction;
            tiers[n] = TIERS[random.nextInt(TIERS.length)];
        }
        live = new IdPool[spec.producers];
        free = new IdPool[spec.producers];
        for (int p = 0; p < spec.producers; p++)
        {
            final int owned = (peers - p + spec.producers - 1) / spec.producers;
            live[p] = new IdPool(owned, peers);
            free[p] = new IdPool(owned, peers);
        }
    }

    /**
     * Builds and checks the workload.
     *
     * @param keepResults keep each op's commit result (the naive baseline hands them to its listeners).
     * @return the workload.
     * @throws IllegalStateException when an op would not commit exactly one event line.
     */
    public Workload generate(final boolean keepResults)
    {
        final int population = spec.peers;
        final MutationValue[] ops = new MutationValue[population + spec.ops];
        for (int n = 0; n < population; n++)
        {
            // Peer n is owned by producer n % producers, and so is op n: the ownership rule holds from op 0.
            live[n % spec.producers].add(n);
            ops[n] = Workload.op(n, MutationKind.UPSERT, update(n, Workload.BASE_TIME_MS + n), null, null);
        }
        for (int i = population; i < ops.length; i++)
        {
            ops[i] = next(i, live[i % spec.producers], free[i % spec.producers]);
        }
        final RegistrySettings settings = settingsFor(spec.peers);
        final RegistryState state = new RegistryState(settings, List.of());
        // Only the measured ops' results are kept: the population's would cost a few hundred bytes per peer.
        final CommitResult[] results = keepResults ? new CommitResult[spec.ops] : null;
        CommitResult scratch = new CommitResult();
        for (int i = 0; i < ops.length; i++)
        {
            if (keepResults && i >= population)
            {
                scratch = new CommitResult();
                results[i - population] = scratch;
            }
            state.commit(ops[i], i, scratch);
            if (!oneLine(scratch))
            {
                throw new IllegalStateException("workload check: op " + ops[i] + " gave " + scratch + " with " +
                    scratch.lineCount() + " event lines; expected one committed change");
            }
        }
        return new Workload(spec, ops, settings, results);
    }

    /**
     * The rule settings every contender that applies the rules runs with: the defaults, with
     * {@code maxPeers} raised to the population so that no contender refuses or evicts a peer for capacity.
     *
     * @param peers the population.
     * @return the settings.
     */
    static RegistrySettings settingsFor(final int peers)
    {
        return RegistrySettings.builder()
            .maxPeers(Math.max(RegistrySettings.MAX_PEERS_DEFAULT, peers))
            .build();
    }

    private static boolean oneLine(final CommitResult r)
    {
        final OutcomeCode code = r.code();
        return r.lineCount() == 1 && (code == OutcomeCode.ADDED || code == OutcomeCode.UPDATED ||
            code == OutcomeCode.TOUCHED || code == OutcomeCode.REMOVED || code == OutcomeCode.BATCH_COMMITTED);
    }

    /** A measured op. A "new" op re-adds a removed peer; when the producer has none free it is an update. */
    private MutationValue next(final int index, final IdPool live, final IdPool free)
    {
        final long t = Workload.BASE_TIME_MS + index;
        final int total = spec.newParts + spec.updateParts + spec.touchParts + spec.removeParts + spec.batchParts;
        int roll = random.nextInt(total);
        if (live.size() == 0 || (roll < spec.newParts && free.size() > 0))
        {
            return Workload.op(index, MutationKind.UPSERT, add(live, free, t), null, null);
        }
        roll -= spec.newParts;
        if (roll < spec.updateParts)
        {
            return Workload.op(index, MutationKind.UPSERT, update(live.pick(random), t), null, null);
        }
        roll -= spec.updateParts;
        if (roll < spec.touchParts)
        {
            return Workload.op(index, MutationKind.TOUCH, null, ids[live.pick(random)], null);
        }
        roll -= spec.touchParts;
        if (roll < spec.removeParts)
        {
            final int n = live.pick(random);
            live.remove(n);
            free.add(n);
            return Workload.op(index, MutationKind.REMOVE, null, ids[n], null);
        }
        return Workload.op(index, MutationKind.BATCH, null, null, batch(live, free, t));
    }

    /** A batch of distinct ids: half new peers where any are free, then updates, then removes. */
    private Batch batch(final IdPool live, final IdPool free, final long t)
    {
        final int size = 2 + random.nextInt(spec.maxBatchOps - 1);
        final Batch.Builder b = Batch.builder();
        int used = 0;
        for (int op = 0; op < size; op++)
        {
            final int kind = random.nextInt(10);
            if ((kind < 5 || live.size() <= used) && free.size() > 0)
            {
                final PeerRecord r = add(live, free, t);
                batchIds[used++] = (int)r.id().word(3);
                b.upsert(r);
                continue;
            }
            final int n = distinctLive(live, used);
            if (n < 0)
            {
                break;
            }
            batchIds[used++] = n;
            if (kind < 8)
            {
                b.upsert(update(n, t));
            }
            else
            {
                live.remove(n);
                free.add(n);
                b.remove(ids[n]);
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
            final int n = live.pick(random);
            boolean seen = false;
            for (int i = 0; i < used; i++)
            {
                seen |= batchIds[i] == n;
            }
            if (!seen)
            {
                return n;
            }
        }
        return -1;
    }

    private PeerRecord add(final IdPool live, final IdPool free, final long t)
    {
        final int n = free.pick(random);
        free.remove(n);
        live.add(n);
        return update(n, t);
    }

    private PeerRecord update(final int n, final long t)
    {
        final long version = ++versions[n];
        return PeerRecord.builder(ids[n])
            .did(dids[n])
            .device(devices[n])
            .publicKey(keys[n])
            .version(version)
            .lastSeen(t)
            .endpoints(endpoints[n])
            .tier(tiers[n])
            .trust(0.5 + (n % 5) / 10.0)
            .nodeType(validator[n] ? NodeType.VALIDATOR : NodeType.FULL)
            .votingPower(validator[n] ? 1 + n % 100 : 0)
            .authenticated(true)
            .discovery(DISCOVERIES[n % DISCOVERIES.length])
            .build();
    }

    private static byte[] longBytes(final long a, final long b)
    {
        final byte[] out = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            out[i] = (byte)(a >>> (8 * i));
            out[8 + i] = (byte)(b >>> (8 * i));
        }
        return out;
    }
}
