package io.peerlane;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.Outcome;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.state.OutcomeCode;
import io.peerlane.state.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedding example of README.md, as written there, compiled and run. */
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
}
