package io.peerlane.tools.trace;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
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
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trace -> objects -> trace -> objects gives equal ops, and the canonical text is a fixed point. */
class TraceRoundTripTest
{
    @Test
    void goldenTracesRoundTrip() throws Exception
    {
        for (final Path file : GoldenTraceTest.traces())
        {
            final Trace first = TraceReader.read(file);
            assertRoundTrip(first, file.getFileName().toString());
        }
    }

    @Test
    void randomTracesRoundTrip()
    {
        final long seed = System.nanoTime();
        System.out.println("TraceRoundTripTest seed " + seed);
        final Random random = new Random(seed);
        for (int i = 0; i < 300; i++)
        {
            assertRoundTrip(randomTrace(random), "seed " + seed + " trace " + i);
        }
    }

    @Test
    void writerPutsConfigFirstOnlyWhenNotAllDefaults()
    {
        final Trace plain = new Trace(RegistrySettings.defaults(), List.of(MutationValue.tick(5)));
        assertEquals("{\"op\":\"tick\",\"t\":5}\n", TraceWriter.toText(plain));
        final Set<PublicKey> keys = new LinkedHashSet<>(List.of(PublicKey.fromHex("k", "0b"), PublicKey.fromHex("k", "0a")));
        final Trace configured = new Trace(
            RegistrySettings.builder().maxPeers(3).maxPeersPerSubnet(2).authorizedValidatorKeys(keys).build(),
            List.of(MutationValue.ban(5, Ban.of(BanKind.SUBNET, "2001:0db8::/32", 9))));
        assertEquals("{\"op\":\"config\",\"maxPeers\":3,\"maxPeersPerSubnet\":2,\"authorizedValidatorKeys\":[\"0b\",\"0a\"]}\n" +
            "{\"op\":\"ban\",\"t\":5,\"kind\":\"subnet\",\"value\":\"2001:0db8::/32\",\"until\":9}\n",
            TraceWriter.toText(configured));
    }

    private static void assertRoundTrip(final Trace first, final String context)
    {
        final String text = TraceWriter.toText(first);
        final Trace second = TraceReader.parse(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(first.sameAs(second), context + "\n" + text);
        for (int i = 0; i < first.ops().size(); i++)
        {
            assertEquals(first.ops().get(i), second.ops().get(i), context + " op " + i);
        }
        assertEquals(text, TraceWriter.toText(second), context);
    }

    private static Trace randomTrace(final Random random)
    {
        final RegistrySettings.Builder settings = RegistrySettings.builder();
        if (random.nextBoolean())
        {
            settings.maxPeers(random.nextInt(5)).peerTtlMs(random.nextInt(100_000))
                .didRateLimitPerMin(random.nextInt(3)).maxBans(random.nextInt(4));
        }
        if (random.nextInt(4) == 0)
        {
            final Set<PublicKey> keys = new LinkedHashSet<>();
            for (int k = random.nextInt(3); k >= 0; k--)
            {
                keys.add(key(random));
            }
            settings.authorizedValidatorKeys(keys);
        }
        final List<MutationValue> ops = new ArrayList<>();
        long t = random.nextInt(1000);
        for (int line = 1; line <= 1 + random.nextInt(20); line++)
        {
            t += random.nextInt(3) == 0 ? 0 : random.nextInt(10_000);
            switch (random.nextInt(7))
            {
                case 0:
                    ops.add(MutationValue.upsert(t, record(random)));
                    break;
                case 1:
                    ops.add(MutationValue.remove(t, id(random)));
                    break;
                case 2:
                    ops.add(MutationValue.touch(t, id(random), random.nextLong() & ((1L << 53) - 1)));
                    break;
                case 3:
                    final Batch.Builder b = Batch.builder();
                    for (int n = 1 + random.nextInt(5); n > 0; n--)
                    {
                        if (random.nextBoolean())
                        {
                            b.upsert(record(random));
                        }
                        else
                        {
                            b.remove(id(random));
                        }
                    }
                    ops.add(MutationValue.batch(t, b.build()));
                    break;
                case 4:
                    ops.add(MutationValue.tick(t));
                    break;
                case 5:
                    ops.add(MutationValue.ban(t, ban(random, random.nextBoolean() ? Ban.FOREVER : t + 1 + random.nextInt(99))));
                    break;
                default:
                    ops.add(MutationValue.unban(t, ban(random, Ban.FOREVER)));
                    break;
            }
        }
        return new Trace(settings.build(), ops);
    }

    private static Ban ban(final Random random, final long until)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return Ban.of(BanKind.NODE, id(random).toHex(), until);
            case 1:
                return Ban.of(BanKind.DID, "did:ex:" + random.nextInt(100), until);
            default:
                return Ban.of(BanKind.SUBNET, random.nextBoolean() ? "10." + random.nextInt(256) + ".0.0/16" :
                    "2001:DB8:" + Integer.toHexString(random.nextInt(65536)) + "::/48", until);
        }
    }

    private static NodeId id(final Random random)
    {
        return NodeId.of(random.nextLong(), random.nextLong(), random.nextInt(4), random.nextLong());
    }

    private static PublicKey key(final Random random)
    {
        final byte[] bytes = new byte[1 + random.nextInt(40)];
        random.nextBytes(bytes);
        return PublicKey.fromBytes("k", bytes);
    }

    private static double unit(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextDouble();
            case 1:
                return random.nextInt(101) / 100.0;
            case 2:
                return random.nextBoolean() ? 0.0 : 1.0;
            default:
                return Double.MIN_VALUE * random.nextInt(10);
        }
    }

    private static PeerRecord record(final Random random)
    {
        final NodeId id = id(random);
        final PeerRecord.Builder b = PeerRecord.builder(id)
            .did("did:ex:" + random.nextInt(100) + (random.nextBoolean() ? ":a.b%2F-_" : ""))
            .device("dev_" + random.nextInt(1000))
            .publicKey(key(random))
            .version(random.nextLong() & ((1L << 53) - 1))
            .lastSeen(random.nextInt(1_000_000))
            .tier(Tier.values()[random.nextInt(Tier.values().length)])
            .trust(unit(random))
            .nodeType(NodeType.values()[random.nextInt(NodeType.values().length)])
            .votingPower(random.nextInt(1000))
            .authenticated(random.nextBoolean())
            .quantumSecure(random.nextBoolean())
            .pinned(random.nextBoolean())
            .discovery(Discovery.values()[random.nextInt(Discovery.values().length)])
            .hopCount(random.nextInt(256))
            .routeQuality(unit(random));
        if (random.nextBoolean())
        {
            b.nextHop(id(random));
        }
        final String[] addresses = { "10.0.0.1:80", "[2001:db8::1]:443", "/ip4/1.2.3.4/tcp/1", "AA:BB:CC:DD:EE:FF",
            "host \"quoted\" \\ back", "~!@#$%^&*()" };
        for (int i = random.nextInt(4); i > 0; i--)
        {
            b.endpoint(Endpoint.of(addresses[random.nextInt(addresses.length)] + i,
                Protocol.values()[random.nextInt(Protocol.values().length)], random.nextInt(10_000), unit(random)));
        }
        return b.build();
    }
}
