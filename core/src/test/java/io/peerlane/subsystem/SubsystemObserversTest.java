package io.peerlane.subsystem;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.subsystem.kademlia.KademliaInvariants;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.kademlia.KademliaSettings;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.mesh.MeshTopology;
import io.peerlane.subsystem.validator.ValidatorSet;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.peerlane.subsystem.TestPeers.endpoint;
import static io.peerlane.subsystem.TestPeers.inBucket;
import static io.peerlane.subsystem.TestPeers.key;
import static io.peerlane.subsystem.TestPeers.randomId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the built-in observers with real committed events from {@link RegistryState}: random upserts,
 * removes, touches, batches, ticks (expiry), bans and capacity evictions, with the validator set's vote
 * applied as the prepare stage would. At checkpoints and at the end each subsystem must equal the registry:
 * the mesh and the validator set equal ones rebuilt from the live records, and the Kademlia tables report no
 * violation.
 */
class SubsystemObserversTest
{
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final long MAX_POWER = (1L << 53) - 1;

    @Test
    void observersFollowCommittedEvents()
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println("SubsystemObserversTest.observersFollowCommittedEvents seed=" + seed);
        // 6,000 ops a run: over 300 seeds the scarcest kind of change (effective touches) came to 158 at the
        // least against the floor of 100 below; at 4,000 ops it came to 101, so one seed in a few hundred fell
        // under it (seed 6137605794529 made 98).
        run(seed, 6000);
        run(seed + 1, 6000);
    }

    private static void run(final long seed, final int ops)
    {
        final Random random = new Random(seed);
        final List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            keys.add(key(String.format("%02x", 0xa0 + i)));
        }
        final Set<PublicKey> authorised = Set.of(keys.get(0), keys.get(1), keys.get(2));
        final RegistrySettings settings = RegistrySettings.builder()
            .maxPeers(70)
            .peerTtlMs(30_000)
            .authorizedValidatorKeys(authorised)
            .build();
        final RegistryState state = new RegistryState(settings, List.of());

        final NodeId local = randomId(random);
        final List<NodeId> pool = new ArrayList<>();
        pool.add(local);
        for (int i = 0; pool.size() < 110; i++)
        {
            // Half spread over the deep buckets near the local id, half anywhere (buckets 250 to 255).
            final NodeId id = i % 2 == 0 ? inBucket(local, random.nextInt(256), random) : randomId(random);
            if (!pool.contains(id))
            {
                pool.add(id);
            }
        }
        final long[] versions = new long[pool.size()];

        final KademliaObserver kademlia = new KademliaObserver(local);
        final KademliaObserver tightKademlia = new KademliaObserver(local, KademliaSettings.builder()
            .k(3).replacementCacheSize(2).maxPerSubnetInBucket(1).maxPerSubnetInTable(3).build());
        final MeshObserver mesh = new MeshObserver();
        final ValidatorSetObserver validators = ValidatorSetObserver.fromSettings(settings);
        final List<PeerObserver> observers = List.of(kademlia, tightKademlia, mesh, validators);
        observers.forEach(o -> o.onSnapshot(state.view()));

        final CommitResult result = new CommitResult();
        final RegistryEvent event = new RegistryEvent();
        final Map<ChangeType, Integer> changes = new EnumMap<>(ChangeType.class);
        final Map<OutcomeCode, Integer> outcomes = new EnumMap<>(OutcomeCode.class);
        long t = 1_000_000;
        long maxValidators = 0;
        for (int step = 0; step < ops; step++)
        {
            t += random.nextInt(150);
            final int dice = random.nextInt(100);
            final int who = random.nextInt(pool.size());
            final MutationValue m;
            if (dice < 40)
            {
                final PeerRecord r = record(random, pool, versions, who, t, keys);
                m = MutationValue.upsert(t, r, refusal(validators, r));
            }
            else if (dice < 52)
            {
                m = MutationValue.remove(t, pool.get(who));
            }
            else if (dice < 72)
            {
                m = MutationValue.touch(t, pool.get(who), t - random.nextInt(500));
            }
            else if (dice < 84)
            {
                final Batch.Builder b = Batch.builder();
                final int n = 1 + random.nextInt(6);
                final String[] refusals = new String[n];
                for (int i = 0; i < n; i++)
                {
                    final int w = random.nextInt(pool.size());
                    if (random.nextInt(4) == 0)
                    {
                        b.remove(pool.get(w));
                    }
                    else
                    {
                        final PeerRecord r = record(random, pool, versions, w, t, keys);
                        b.upsert(r);
                        refusals[i] = refusal(validators, r);
                    }
                }
                m = MutationValue.batch(t, b.build(), refusals);
            }
            else if (dice < 92)
            {
                t += random.nextInt(4) == 0 ? 25_000 : 0;
                m = MutationValue.tick(t);
            }
            else
            {
                final Ban ban = random.nextBoolean() ?
                    Ban.of(BanKind.NODE, pool.get(who).toHex(), t + 1 + random.nextInt(20_000)) :
                    Ban.of(BanKind.SUBNET, "10.7." + random.nextInt(4) + ".0/24", t + 1 + random.nextInt(5_000));
                m = MutationValue.ban(t, ban, random.nextInt(3) == 0);
            }

            state.commit(m, step, result);
            outcomes.merge(result.code(), 1, Integer::sum);
            for (int line = 0; line < result.lineCount(); line++)
            {
                event.wrap(result, line);
                for (int i = 0; i < event.changeCount(); i++)
                {
                    changes.merge(event.change(i).type(), 1, Integer::sum);
                }
                for (final PeerObserver o : observers)
                {
                    o.onEvent(event);
                }
            }
            maxValidators = Math.max(maxValidators, validators.validators().size());

            if (step == ops / 2)
            {
                // As after an overrun: a fresh snapshot replaces whatever the subsystem held.
                observers.forEach(o -> o.onSnapshot(state.view()));
            }
            if (step % 100 == 0 || step == ops - 1)
            {
                check(state, kademlia, tightKademlia, mesh, validators, seed, step);
            }
        }
        System.out.println("seed=" + seed + " outcomes=" + outcomes + " changes=" + changes + " maxValidators=" +
            maxValidators + " live=" + state.view().size());
        assertTrue(changes.getOrDefault(ChangeType.ADDED, 0) > 200, "exercised adds " + changes);
        assertTrue(changes.getOrDefault(ChangeType.UPDATED, 0) > 100, "exercised updates " + changes);
        assertTrue(changes.getOrDefault(ChangeType.REMOVED, 0) > 200, "exercised removals " + changes);
        assertTrue(changes.getOrDefault(ChangeType.TOUCHED, 0) > 100, "exercised touches " + changes);
        assertTrue(outcomes.getOrDefault(OutcomeCode.BATCH_COMMITTED, 0) > 50, "exercised batches " + outcomes);
        assertTrue(outcomes.getOrDefault(OutcomeCode.ABORTED, 0) > 10, "exercised the vote " + outcomes);
        assertTrue(maxValidators > 3, "exercised the validator set");
    }

    private static void check(
        final RegistryState state,
        final KademliaObserver kademlia,
        final KademliaObserver tightKademlia,
        final MeshObserver mesh,
        final ValidatorSetObserver validators,
        final long seed,
        final int step)
    {
        final List<PeerRecord> live = state.view().sortedById();
        final String where = "seed " + seed + " step " + step;
        assertEquals(MeshTopology.rebuild(live), mesh.topology(), where);
        assertEquals(ValidatorSet.rebuild(live), validators.validators(), where);
        assertEquals(List.of(), KademliaInvariants.check(kademlia.table(), live), where);
        assertEquals(List.of(), KademliaInvariants.check(tightKademlia.table(), live), where);
        for (final PeerRecord r : live)
        {
            assertEquals(Vote.ACCEPT, validators.vote(r), "no unauthorised validator got in: " + where);
        }
    }

    private static String refusal(final ValidatorSetObserver validators, final PeerRecord r)
    {
        return validators.vote(r) == Vote.REJECT ? ValidatorSetObserver.NAME : null;
    }

    private static PeerRecord record(
        final Random random,
        final List<NodeId> pool,
        final long[] versions,
        final int who,
        final long t,
        final List<PublicKey> keys)
    {
        // Now and then an old version, to get STALE refusals (and failed batches).
        versions[who] += random.nextInt(10) == 0 ? 0 : 1;
        final PeerRecord.Builder b = PeerRecord.builder(pool.get(who))
            .did("did:test:peer" + who)
            .device("d")
            .publicKey(keys.get(who % keys.size()))
            .version(versions[who])
            .lastSeen(t - random.nextInt(2_000));
        final int endpoints = random.nextInt(4);
        for (int i = 0; i < endpoints; i++)
        {
            final Protocol p = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
            final int kind = random.nextInt(4);
            final String address = kind == 0 ? "10.7." + random.nextInt(4) + "." + (1 + random.nextInt(250)) + ":" + (1000 + i) :
                kind == 1 ? "[2001:db8:" + random.nextInt(3) + ":" + random.nextInt(9) + "::" + (1 + i) + "]:1" :
                kind == 2 ? "192.168." + random.nextInt(40) + ".1:" + (1 + i) : "mesh-" + random.nextInt(1000) + "-" + i;
            b.endpoint(endpoint(address, p));
        }
        if (random.nextBoolean())
        {
            int hop = random.nextInt(pool.size());
            hop = hop == who ? (hop + 1) % pool.size() : hop;
            b.nextHop(pool.get(hop)).hopCount(1 + random.nextInt(5));
        }
        b.routeQuality(random.nextInt(5) / 4.0);
        if (random.nextInt(4) == 0)
        {
            b.nodeType(NodeType.VALIDATOR).votingPower(random.nextBoolean() ? random.nextInt(1000) :
                MAX_POWER - random.nextInt(1000));
        }
        b.tier(Tier.values()[random.nextInt(4)]);
        return b.build();
    }
}
