package io.peerlane;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.subsystem.kademlia.AddResult;
import io.peerlane.subsystem.kademlia.KademliaListener;
import io.peerlane.subsystem.kademlia.KademliaSettings;
import io.peerlane.subsystem.kademlia.KademliaTable;
import io.peerlane.subsystem.kademlia.RemovalCause;
import io.peerlane.subsystem.validator.Validator;
import io.peerlane.subsystem.validator.ValidatorChangeSet;
import io.peerlane.subsystem.validator.ValidatorSet;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples of README.md (embedding, the DHT ping loop, a consensus step), as written there, compiled and run. */
class ReadmeExampleTest
{
    private final List<String> logged = new ArrayList<>();
    private final String idHex = "ab".repeat(32);
    private final String keyHex = "0123456789abcdef";

    private void log(final RegistryEvent event)
    {
        synchronized (logged)
        {
            logged.add(event.toString());
        }
    }

    @Test
    void theReadmeExampleRuns()
    {
        // --- begin README example ---
        EngineContext ctx = new EngineContext()
            .topology(Topology.COMPACT)                     // one consumer thread: best on 2 cores
            .settings(RegistrySettings.builder().maxPeers(5_000).build())
            .observer("audit", ObserverRole.STANDARD, event -> log(event))
            .observer("gate", ObserverRole.CRITICAL, new PeerObserver() {
                public Vote vote(PeerRecord proposed) { return proposed.trust() < 0.1 ? Vote.REJECT : Vote.ACCEPT; }
                public void onEvent(RegistryEvent event) { }
            });
        try (PeerlaneEngine engine = PeerlaneEngine.launch(ctx)) {
            PeerRecord peer = PeerRecord.builder(NodeId.fromHex(idHex))
                .did("did:key:z6Mk...").device("laptop").publicKeyHex(keyHex)
                .version(1).lastSeen(System.currentTimeMillis())
                .endpoint(Endpoint.of("203.0.113.7:4001", Protocol.QUIC, 12, 0.9))
                .build();                                   // bad fields throw here, naming the field
            engine.upsert(peer);                            // publish and go on: the publish allocates nothing
            Outcome outcome = engine.upsertAndWait(peer.withVersion(2, System.currentTimeMillis()), Duration.ofSeconds(1));
            PeerRecord mine = engine.get(peer.id());        // read-your-writes after an awaited outcome, lock-free
            // --- end README example ---
            assertEquals(OutcomeCode.UPDATED, outcome.code());
            assertEquals(2, mine.version());
            assertEquals(2, engine.view().get(peer.id()).version(), "the view agrees");
        }
        synchronized (logged)
        {
            assertEquals(2, logged.size(), "the audit observer saw the add and the update: " + logged);
        }
    }

    // The DHT example's network: which peers answer a ping, and who is connected.
    private final Set<NodeId> answering = new HashSet<>();
    private final Set<NodeId> connected = new HashSet<>();

    private boolean ping(final PeerRecord peer)
    {
        return answering.contains(peer.id());
    }

    private void connect(final PeerRecord peer)
    {
        connected.add(peer.id());
    }

    private void disconnect(final PeerRecord peer)
    {
        connected.remove(peer.id());
    }

    private static PeerRecord dhtPeer(final long high, final String address)
    {
        return PeerRecord.builder(NodeId.of(high, 0, 0, 1)).did("did:key:z" + Long.toHexString(high)).device("d")
            .publicKeyHex("ab").version(1).lastSeen(1).endpoint(Endpoint.of(address, Protocol.UDP, 5, 0.9)).build();
    }

    @Test
    void theDhtPingLoopRuns()
    {
        final NodeId localId = NodeId.of(0, 0, 0, 0);
        final PeerRecord old = dhtPeer(Long.MIN_VALUE | 1, "198.51.100.1:30303");
        final PeerRecord newcomer = dhtPeer(Long.MIN_VALUE | 2, "203.0.113.9:30303");
        final PeerRecord target0 = dhtPeer(Long.MIN_VALUE | 3, "192.0.2.1:30303");
        final NodeId target = target0.id();
        // --- begin README DHT example ---
        KademliaTable table = new KademliaTable(localId, KademliaSettings.builder()
            .k(1)                                             // 20 by default; 1 to show a full bucket
            .maxPerSubnetInBucket(2).ipv4BucketPrefix(24)     // at most 2 of one IPv4 /24 in a bucket
            .maxPerSubnetInTable(10).ipv4TablePrefix(16)      // at most 10 of one IPv4 /16 in the table
            .build());
        table.listener(new KademliaListener() {               // members that join and leave, with the cause
            public void added(PeerRecord peer) { connect(peer); }
            public void removed(PeerRecord peer, RemovalCause cause) { disconnect(peer); }
        });
        table.add(old);
        if (table.add(newcomer) == AddResult.CACHED) {        // its bucket is full: the newcomer waits
            PeerRecord oldest = table.pendingCandidate(table.bucketIndex(newcomer.id()));
            if (oldest != null) {                             // null when every member is pinned
                if (ping(oldest)) table.markAlive(oldest.id());   // answered: it stays
                else table.markDead(oldest.id());                 // gone: evicted, the newcomer promoted
            }
        }
        PeerRecord[] nearest = new PeerRecord[20];            // reused: the lookup allocates nothing
        int found = table.closest(target, nearest);
        // --- end README DHT example ---
        assertEquals(1, found);
        assertEquals(newcomer, nearest[0], "old did not answer: the newcomer took its place");
        assertEquals(Set.of(newcomer.id()), connected, "the listener connected the newcomer and dropped old");
        assertFalse(table.knows(old.id()));

        answering.add(newcomer.id());
        assertEquals(AddResult.CACHED, table.add(old));
        assertEquals(newcomer, table.pendingCandidate(255));
        assertEquals(io.peerlane.subsystem.kademlia.MarkResult.KEPT, table.markAlive(newcomer.id()));
        assertNull(table.pendingCandidate(255));
    }

    @Test
    void theConsensusStepRuns()
    {
        final NodeId alice = NodeId.of(1, 0, 0, 0);
        final NodeId bob = NodeId.of(2, 0, 0, 0);
        final NodeId carol = NodeId.of(3, 0, 0, 0);
        final PublicKey aliceKey = PublicKey.fromHex("publicKey", "a1");
        final ValidatorSet validators = new ValidatorSet();
        validators.apply(new ValidatorChangeSet().set(alice, aliceKey, 10)
            .set(bob, PublicKey.fromHex("publicKey", "b0"), 10).set(carol, PublicKey.fromHex("publicKey", "c0"), 10));
        final long signedPower = 31;
        String refusal = null;
        // --- begin README consensus example ---
        ValidatorChangeSet changes = new ValidatorChangeSet();   // reuse it block after block
        changes.clear()
            .set(alice, aliceKey, 30)                            // joins, or changes power (and key)
            .set(bob, null, 15)                                  // changes power, keeps its key
            .remove(carol);                                      // power 0: leaves
        try {
            validators.apply(changes);                           // all or nothing; the version moves once
        } catch (InvalidInputException refused) {
            // e.g. "changes[2].id: ... is not a validator, so it cannot be removed"; nothing changed
            refusal = refused.getMessage();
        }
        List<Validator> proposers = validators.byPower();        // power descending, then id
        boolean committed = validators.hasQuorum(signedPower);   // 3 * signed > 2 * total
        // --- end README consensus example ---
        assertNull(refusal);
        assertEquals(List.of(alice, bob), List.of(proposers.get(0).id(), proposers.get(1).id()));
        assertEquals(BigInteger.valueOf(45), validators.totalPower());
        assertTrue(committed, "3 * 31 > 2 * 45");
        assertEquals(2, validators.version());
        changes.clear().remove(carol);
        try {
            validators.apply(changes);
        } catch (InvalidInputException refused) {
            refusal = refused.getMessage();
        }
        assertTrue(refusal.startsWith("changes[0].id: "), refusal);
        assertTrue(refusal.endsWith("is not a validator, so it cannot be removed"), refusal);
        assertEquals(2, validators.version());
    }
}
