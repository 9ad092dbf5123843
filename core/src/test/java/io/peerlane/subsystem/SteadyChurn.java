package io.peerlane.subsystem;

import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A steady churn of real committed events at a constant live population, built once and replayed in a
 * cycle: peers added (the id most recently removed, or one unused for long), updated with a new version
 * only (same links, same subnets) or with new endpoints, next hop, route quality, node type and power (the
 * registry lets a key change only when an id comes back), touched, removed, and small batches that remove
 * one peer, add one and update one. Every op is committed
 * by {@link RegistryState} and its result copied, so the events are exactly what the engine would deliver;
 * the cycle ends with the live ids it started with, so it can be replayed for ever at the same size.
 * <p>
 * Each record carries its own {@link NodeId} instance (equal, not identical, to the id's earlier records),
 * as records decoded from the wire would. Delivering an event ({@link #deliver}) allocates nothing.
 * <p>
 * The JMH suite's {@code SubsystemChurnBenchmark} uses it too, through core's test jar.
 */
public final class SteadyChurn
{
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final Tier[] TIERS = Tier.values();
    private static final long BASE_TIME = 1_000_000;
    private static final long MAX_POWER = (1L << 53) - 1;

    private final NodeId local;
    private final CommitResult[] fill;
    private final CommitResult[] cycle;
    private final RegistryEvent event = new RegistryEvent();
    private final List<PeerRecord> liveAtCycleEnd;
    private int next;

    private SteadyChurn(
        final NodeId local, final CommitResult[] fill, final CommitResult[] cycle, final List<PeerRecord> liveAtCycleEnd)
    {
        this.local = local;
        this.fill = fill;
        this.cycle = cycle;
        this.liveAtCycleEnd = liveAtCycleEnd;
    }

    /** @return the local id the ids were spread around (half of them over the buckets near it). */
    public NodeId localId()
    {
        return local;
    }

    /** @return the live population after {@link #fill} and at the end of every cycle. */
    public int live()
    {
        return liveAtCycleEnd.size();
    }

    /**
     * @return the live records, in id order, once a whole number of cycles has been delivered after
     * {@link #fill} (every cycle ends with the same records).
     */
    public List<PeerRecord> liveAtCycleEnd()
    {
        return liveAtCycleEnd;
    }

    /** @return number of committed results in one cycle. */
    public int cycleLength()
    {
        return cycle.length;
    }

    /**
     * Delivers the events that bring an empty subsystem to the live population the cycle starts from.
     *
     * @param observer the subsystem's observer.
     */
    public void fill(final PeerObserver observer)
    {
        for (final CommitResult r : fill)
        {
            deliverResult(observer, r);
        }
        next = 0;
    }

    /**
     * Delivers the next committed results of the cycle, wrapping round at its end.
     *
     * @param observer the subsystem's observer.
     * @param results  how many committed results (each one event line here) to deliver.
     */
    public void deliver(final PeerObserver observer, final long results)
    {
        for (long i = 0; i < results; i++)
        {
            deliverResult(observer, cycle[next]);
            if (++next == cycle.length)
            {
                next = 0;
            }
        }
    }

    private void deliverResult(final PeerObserver observer, final CommitResult r)
    {
        for (int line = 0, lines = r.lineCount(); line < lines; line++)
        {
            observer.onEvent(event.wrap(r, line));
        }
    }

    /**
     * @param seed     the random source's seed.
     * @param live     the constant live population.
     * @param ids      the ids that come and go, more than {@code live}.
     * @param churnOps random ops in one cycle, before the ops that bring back its starting ids.
     * @return the churn.
     */
    public static SteadyChurn generate(final long seed, final int live, final int ids, final int churnOps)
    {
        return new Generator(new Random(seed), live, ids).generate(churnOps);
    }

    private static final class Generator
    {
        private final Random random;
        private final int liveCount;
        private final NodeId local;
        private final long[][] words;
        private final NodeId[] canonical;
        private final String[] dids;
        private final PublicKey[] keys;
        private final Endpoint[] endpoints;
        private final long[] versions;
        private final int[] keyOf;
        private final PeerRecord[] current;
        private final List<Integer> liveIds = new ArrayList<>();
        private final List<Integer> freeIds = new ArrayList<>();
        private final RegistryState state;
        private final CommitResult scratch = new CommitResult();
        private long time = BASE_TIME;
        private long sequence;

        Generator(final Random random, final int live, final int ids)
        {
            if (ids <= live)
            {
                throw new IllegalArgumentException("need more ids than live peers");
            }
            this.random = random;
            this.liveCount = live;
            this.local = TestPeers.randomId(random);
            words = new long[ids][];
            canonical = new NodeId[ids];
            dids = new String[ids];
            for (int n = 0; n < ids; n++)
            {
                NodeId id;
                do
                {
                    id = n % 2 == 0 ? TestPeers.randomId(random) : TestPeers.inBucket(local, random.nextInt(256), random);
                }
                while (id.equals(local) || Arrays.asList(canonical).subList(0, n).contains(id));
                canonical[n] = id;
                words[n] = new long[]{ id.word(0), id.word(1), id.word(2), id.word(3) };
                dids[n] = "did:churn:peer" + n;
                freeIds.add(n);
            }
            keys = new PublicKey[16];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = TestPeers.key(String.format("%02x%02x", 0xc0 + i, i));
            }
            endpoints = new Endpoint[128];
            for (int i = 0; i < endpoints.length; i++)
            {
                final Protocol p = PROTOCOLS[i % PROTOCOLS.length];
                final int kind = i % 4;
                final String address = kind == 0 ? "10.9." + (i % 24) + "." + (1 + i) + ":4000" :
                    kind == 1 ? "[2001:db8:" + (i % 5) + "::" + (1 + i) + "]:4000" :
                    kind == 2 ? "192.168." + (i % 16) + ".7:" + (1000 + i) : "mesh-node-" + i;
                endpoints[i] = Endpoint.of(address, p, 1 + i, 0.5);
            }
            versions = new long[ids];
            keyOf = new int[ids];
            current = new PeerRecord[ids];
            state = new RegistryState(RegistrySettings.builder().maxPeers(Math.max(ids, 16)).build(), List.of());
        }

        SteadyChurn generate(final int churnOps)
        {
            final List<CommitResult> fill = new ArrayList<>();
            while (liveIds.size() < liveCount)
            {
                fill.add(add(freeIds.remove(random.nextInt(freeIds.size()))));
            }
            final List<Integer> startIds = new ArrayList<>(liveIds);
            final List<CommitResult> cycle = new ArrayList<>();
            for (int op = 0; op < churnOps; op++)
            {
                final int dice = random.nextInt(100);
                if (dice < 35)
                {
                    cycle.add(commit(MutationValue.upsert(time, sameLinks(pickLive()), null), OutcomeCode.UPDATED));
                }
                else if (dice < 55)
                {
                    final int n = pickLive();
                    cycle.add(commit(MutationValue.upsert(time, fresh(n), null), OutcomeCode.UPDATED));
                }
                else if (dice < 75)
                {
                    final int n = pickLive();
                    cycle.add(commit(MutationValue.touch(time, idOf(n), time), OutcomeCode.TOUCHED));
                }
                else if (dice < 95)
                {
                    cycle.add(remove(liveIds.get(random.nextInt(liveIds.size()))));
                    cycle.add(add(pickFree()));
                }
                else
                {
                    cycle.add(batch());
                }
            }
            // Bring back the starting ids, so that the next cycle finds the peers this one found.
            final List<Integer> extra = new ArrayList<>(liveIds);
            extra.removeAll(startIds);
            final List<Integer> missing = new ArrayList<>(startIds);
            missing.removeAll(liveIds);
            for (int i = 0; i < extra.size(); i++)
            {
                cycle.add(remove(extra.get(i)));
                freeIds.remove(missing.get(i));
                cycle.add(add(missing.get(i)));
            }
            if (liveIds.size() != liveCount || !liveIds.containsAll(startIds))
            {
                throw new IllegalStateException("the cycle does not end where it started");
            }
            return new SteadyChurn(local, fill.toArray(new CommitResult[0]), cycle.toArray(new CommitResult[0]),
                List.copyOf(state.view().sortedById()));
        }

        private CommitResult batch()
        {
            final int gone = liveIds.get(random.nextInt(liveIds.size()));
            int updated;
            do
            {
                updated = liveIds.get(random.nextInt(liveIds.size()));
            }
            while (updated == gone);
            final int added = pickFree();
            keyOf[added] = random.nextInt(keys.length);
            final Batch b = Batch.builder()
                .remove(idOf(gone))
                .upsert(fresh(added))
                .upsert(random.nextBoolean() ? fresh(updated) : sameLinks(updated))
                .build();
            liveIds.remove(Integer.valueOf(gone));
            freeIds.add(gone);
            liveIds.add(added);
            return commit(MutationValue.batch(time, b, null), OutcomeCode.BATCH_COMMITTED);
        }

        private CommitResult add(final int n)
        {
            liveIds.add(n);
            keyOf[n] = random.nextInt(keys.length);
            return commit(MutationValue.upsert(time, fresh(n), null), OutcomeCode.ADDED);
        }

        private CommitResult remove(final int n)
        {
            liveIds.remove(Integer.valueOf(n));
            freeIds.add(n);
            return commit(MutationValue.remove(time, idOf(n)), OutcomeCode.REMOVED);
        }

        private int pickLive()
        {
            return liveIds.get(random.nextInt(liveIds.size()));
        }

        /** Half the time the id removed last (reused at once), otherwise the one unused the longest. */
        private int pickFree()
        {
            return freeIds.remove(random.nextBoolean() ? freeIds.size() - 1 : 0);
        }

        private NodeId idOf(final int n)
        {
            final long[] w = words[n];
            return NodeId.of(w[0], w[1], w[2], w[3]);
        }

        private PeerRecord sameLinks(final int n)
        {
            final PeerRecord r = current[n].withVersion(++versions[n], time);
            current[n] = r;
            return r;
        }

        /** A new record of every field but the key and DID, which stay while the peer is live. */
        private PeerRecord fresh(final int n)
        {
            final PeerRecord.Builder b = PeerRecord.builder(idOf(n))
                .did(dids[n])
                .device("d")
                .publicKey(keys[keyOf[n]])
                .version(++versions[n])
                .lastSeen(time)
                .tier(TIERS[random.nextInt(TIERS.length)])
                .routeQuality(random.nextInt(5) / 4.0);
            final int count = random.nextInt(4);
            final int first = random.nextInt(endpoints.length);
            for (int i = 0; i < count; i++)
            {
                b.endpoint(endpoints[(first + i * 37) % endpoints.length]);
            }
            if (random.nextBoolean())
            {
                int hop = random.nextInt(canonical.length);
                hop = hop == n ? (hop + 1) % canonical.length : hop;
                b.nextHop(canonical[hop]).hopCount(1 + random.nextInt(5));
            }
            if (random.nextInt(4) == 0)
            {
                b.nodeType(NodeType.VALIDATOR).votingPower(random.nextBoolean() ? random.nextInt(1000) :
                    MAX_POWER - random.nextInt(1000));
            }
            final PeerRecord r = b.build();
            current[n] = r;
            return r;
        }

        private CommitResult commit(final Mutation m, final OutcomeCode expected)
        {
            state.commit(m, ++sequence, scratch);
            time++;
            if (scratch.code() != expected || scratch.lineCount() != 1)
            {
                throw new IllegalStateException("churn op " + m + " gave " + scratch + " with " +
                    scratch.lineCount() + " event lines; expected " + expected);
            }
            final CommitResult copy = new CommitResult();
            copy.copyFrom(scratch);
            return copy;
        }
    }
}
