package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.peerlane.testing.Peers.id;
import static io.peerlane.testing.Peers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A table of invalid records and arguments: each is refused naming its field, and the ring is untouched. */
class BadInputTest
{
    private static PeerlaneEngine engine;

    @BeforeAll
    static void start()
    {
        engine = PeerlaneEngine.launch(new EngineContext().ringSize(16));
    }

    @AfterAll
    static void stop()
    {
        engine.close();
    }

    static Stream<Arguments> cases()
    {
        final String longDid = "did:x:" + "a".repeat(251);
        return Stream.of(
            arguments("peer.id", (Executable)() -> engine.upsert(PeerRecord.builder().did("did:a:b").device("d")
                .publicKeyHex("ab").version(1).lastSeen(1).build())),
            arguments("peer.did", (Executable)() -> engine.upsert(peer(1, 1, 1).did("did:UPPER:x").build())),
            arguments("peer.did", (Executable)() -> engine.upsert(peer(1, 1, 1).did(longDid).build())),
            arguments("peer.did", (Executable)() -> engine.upsert(peer(1, 1, 1).did(null).build())),
            arguments("peer.device", (Executable)() -> engine.upsert(peer(1, 1, 1).device("").build())),
            arguments("peer.device", (Executable)() -> engine.upsert(peer(1, 1, 1).device("a b").build())),
            arguments("peer.device", (Executable)() -> engine.upsert(peer(1, 1, 1).device("x".repeat(65)).build())),
            arguments("peer.publicKey", (Executable)() -> engine.upsert(peer(1, 1, 1).publicKeyHex("ABCD").build())),
            arguments("peer.publicKey", (Executable)() -> engine.upsert(peer(1, 1, 1).publicKeyHex("abc").build())),
            arguments("peer.publicKey", (Executable)() -> engine.upsert(peer(1, 1, 1).publicKeyHex("").build())),
            arguments("peer.publicKey", (Executable)() -> engine.upsert(peer(1, 1, 1).publicKeyHex("00".repeat(4097)).build())),
            arguments("peer.version", (Executable)() -> engine.upsert(peer(1, -5, 1).build())),
            arguments("peer.version", (Executable)() -> engine.upsert(peer(1, 1L << 53, 1).build())),
            arguments("peer.lastSeen", (Executable)() -> engine.upsert(peer(1, 1, -2).build())),
            arguments("peer.lastSeen", (Executable)() -> engine.upsert(peer(1, 1, 1L << 53).build())),
            arguments("peer.trust", (Executable)() -> engine.upsert(peer(1, 1, 1).trust(1.5).build())),
            arguments("peer.trust", (Executable)() -> engine.upsert(peer(1, 1, 1).trust(Double.NaN).build())),
            arguments("peer.routeQuality", (Executable)() -> engine.upsert(peer(1, 1, 1).routeQuality(-0.1).build())),
            arguments("peer.hopCount", (Executable)() -> engine.upsert(peer(1, 1, 1).hopCount(256).build())),
            arguments("peer.votingPower", (Executable)() -> engine.upsert(peer(1, 1, 1).votingPower(-1).build())),
            arguments("peer.nextHop", (Executable)() -> engine.upsert(peer(1, 1, 1).nextHop(id(1)).build())),
            arguments("peer.tier", (Executable)() -> engine.upsert(peer(1, 1, 1).tier(null).build())),
            arguments("peer.endpoints", (Executable)() ->
            {
                final PeerRecord.Builder b = peer(1, 1, 1);
                for (int i = 0; i < 16; i++)
                {
                    b.endpoint(Endpoint.of("h" + i + ":1", Protocol.UDP, 1, 0.5));
                }
                engine.upsert(b.build());
            }),
            arguments("peer.endpoints[1]", (Executable)() -> engine.upsert(peer(1, 1, 1)
                .endpoint(Endpoint.of("10.0.1.1:4000", Protocol.TCP, 1, 0.1)).build())),
            arguments("endpoint.address", (Executable)() -> Endpoint.of("", Protocol.TCP, 1, 0.5)),
            arguments("endpoint.address", (Executable)() -> Endpoint.of("caf\u00e9:1", Protocol.TCP, 1, 0.5)),
            arguments("endpoint.address", (Executable)() -> Endpoint.of("x".repeat(256), Protocol.TCP, 1, 0.5)),
            arguments("endpoint.signal", (Executable)() -> Endpoint.of("a:1", Protocol.TCP, 1, 2.0)),
            arguments("endpoint.latencyMs", (Executable)() -> Endpoint.of("a:1", Protocol.TCP, -1, 0.5)),
            arguments("endpoint.protocol", (Executable)() -> Endpoint.of("a:1", null, 1, 0.5)),
            arguments("id", (Executable)() -> NodeId.fromHex("abc")),
            arguments("id", (Executable)() -> NodeId.fromHex("G".repeat(64))),
            arguments("peer", (Executable)() -> engine.upsert((PeerRecord)null)),
            arguments("id", (Executable)() -> engine.remove((NodeId)null)),
            arguments("lastSeen", (Executable)() -> engine.touch(id(1), -1)),
            arguments("t", (Executable)() -> engine.upsert(-1, peer(1, 1, 1).build())),
            arguments("t", (Executable)() -> engine.tick(1L << 53)),
            arguments("ops", (Executable)() -> Batch.builder().build()),
            arguments("ops", (Executable)() ->
            {
                final Batch.Builder b = Batch.builder();
                for (int i = 0; i < 1025; i++)
                {
                    b.remove(id(i));
                }
                b.build();
            }),
            arguments("ops[0].peer", (Executable)() -> Batch.builder().upsert(null)),
            arguments("ops", (Executable)() -> engine.batch((Batch)null)),
            arguments("value", (Executable)() -> Ban.of(BanKind.SUBNET, "10.1.2.3/24")),
            arguments("value", (Executable)() -> Ban.of(BanKind.SUBNET, "10.1.2.0/33")),
            arguments("value", (Executable)() -> Ban.of(BanKind.NODE, "xyz")),
            arguments("value", (Executable)() -> Ban.of(BanKind.DID, "not-a-did")),
            arguments("kind", (Executable)() -> Ban.of(null, "did:a:b")),
            arguments("timeout", (Executable)() -> engine.upsertAndWait(peer(1, 1, 1).build(), Duration.ofSeconds(-1))));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("cases")
    void refusedNamingTheFieldWithRingUntouched(final String field, final Executable call)
    {
        final long cursor = engine.cursor();
        final InvalidInputException ex = assertThrows(InvalidInputException.class, call);
        assertEquals(field, ex.field(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(field + ": "), ex.getMessage());
        assertTrue(ex.getMessage().length() > field.length() + 10, "message says the value and the limit: " + ex.getMessage());
        assertEquals(cursor, engine.cursor(), "the ring's cursor moved");
    }
}
