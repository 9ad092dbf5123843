package io.peerlane.admission;

import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.peerlane.admission.Records.T0;

/**
 * A seeded source of invalid inputs: every field of a peer record broken in every way TRACE.md forbids,
 * random strings, out-of-range numbers, bad ban values and CIDRs, bad batches, bad settings and null
 * arguments to every publishing method. Whether a random string is valid is decided by small grammar
 * checks written here from TRACE.md's text, not by the code under test, so that the two can disagree.
 */
final class BadInputGenerator
{
    private static final long SAFE = Limits.MAX_SAFE_EXCLUSIVE;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String[] FIELDS = { "id", "did", "device", "publicKey", "version", "lastSeen", "endpoints",
        "tier", "trust", "nodeType", "votingPower", "discovery", "nextHop", "hopCount", "routeQuality" };
    private static final String NASTY = "ABCXYZabcxyz0189:._%-/ #?@!+=~`'\"\\[](){}<>,;*&^$|\t\n\r\u0000\u001f\u007f" +
        "\u00e9\u00ff\u0100\u4e2d\u200b\ud83d\ude00\ufeff";
    private static final String[] BAD_CIDRS = { "", "/", "/8", "10.0.0.0", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/+8",
        "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/024", "0.0.0.0/00", "10.0.0.0/33",
        "10.0.0.0/999", "10.0.0.0/1000", "256.0.0.0/8", "01.0.0.0/8", "1.2.3/24", "1.2.3.4.5/32", "1.2.3.4:80/32",
        "a.b.c.d/8", ":::/0", "2001:db8::g/32", "1::2::3/64", "[2001:db8::]/32", "fe80::%eth0/64", "2001:db8::/129",
        "::/0128", "2001:db8::1/64", "2001:db8:0:0:0:0:0:0:1/128", "::ffff:10.0.0.1/95", "10.1.2.3/24",
        "10.1.3.0/23", "2001:DB8::8000/112", "10.0.0.0\u0000/8", "\u0661\u0660.0.0.0/8", "10.0.0.0/\u0668" };

    private final SplittableRandom random;
    private final PeerlaneEngine engine;

    BadInputGenerator(final long seed, final PeerlaneEngine engine)
    {
        this.random = new SplittableRandom(seed);
        this.engine = engine;
    }

    BadInput next()
    {
        switch (random.nextInt(12))
        {
            case 0: case 1: case 2: case 3:
                return badRecord();
            case 4:
                return badEndpoint();
            case 5:
                return badIdOrKey();
            case 6:
                return badBan();
            case 7:
                return badBatch();
            case 8: case 9:
                return badArgument();
            case 10:
                return badPublish();
            default:
                return badSetting();
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Records.

    private BadInput badRecord()
    {
        final String prefix = random.nextBoolean() ? "peer" : "ops[" + random.nextInt(1024) + "].peer";
        final int n = 1 + random.nextInt(1000);
        final boolean[] broken = new boolean[FIELDS.length];
        final int count = 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 1);
        for (int i = 0; i < count; i++)
        {
            broken[random.nextInt(FIELDS.length)] = true;
        }
        int first = 0;
        while (!broken[first])
        {
            first++;
        }
        final boolean keyHexAlone = first == 3 && count == 1 && random.nextBoolean();
        final Object[] bad = new Object[FIELDS.length];

        final NodeId id = Records.id(n);
        final String did = broken[1] ? badDid() : "did:test:n" + n;
        final String device = broken[2] ? badDevice() : "dev" + n;
        final String keyHex = keyHexAlone ? badKeyHex() : null;
        final long version = broken[4] ? badLong(true) : random.nextInt(100);
        final long lastSeen = broken[5] ? badLong(true) : T0 + random.nextInt(1000);
        final List<Endpoint> endpoints = new ArrayList<>();
        final String endpointsField;
        final Object endpointsValue;
        if (broken[6])
        {
            final int kind = random.nextInt(3);
            final int size = kind == 0 ? 17 + random.nextInt(20) : 1 + random.nextInt(16);
            for (int i = 0; i < size; i++)
            {
                endpoints.add(validEndpoint(i));
            }
            if (kind == 0)
            {
                endpointsField = prefix + ".endpoints";
                endpointsValue = size + " endpoints";
            }
            else
            {
                if (kind == 1)
                {
                    final int at = random.nextInt(size);
                    endpoints.set(at, null);
                    endpointsField = prefix + ".endpoints[" + at + "]";
                    endpointsValue = null;
                }
                else
                {
                    if (endpoints.size() == 1)
                    {
                        endpoints.add(validEndpoint(1));
                    }
                    final int dup = 1 + random.nextInt(endpoints.size() - 1);
                    final Endpoint original = endpoints.get(random.nextInt(dup));
                    endpoints.set(dup, Endpoint.of(original.address(), original.protocol(), random.nextInt(1000),
                        random.nextInt(11) / 10.0));
                    endpointsField = prefix + ".endpoints[" + dup + "]";
                    endpointsValue = original.address() + " " + original.protocol();
                }
            }
        }
        else
        {
            final int size = random.nextInt(3);
            for (int i = 0; i < size; i++)
            {
                endpoints.add(validEndpoint(i));
            }
            endpointsField = null;
            endpointsValue = null;
        }
        final double trust = broken[8] ? badUnit() : random.nextInt(11) / 10.0;
        final long votingPower = broken[10] ? badLong(false) : random.nextInt(1000);
        final NodeId nextHop = broken[12] ? id : random.nextBoolean() ? null : Records.id(n + 1);
        final int hopCount = broken[13] ? badHopCount() : random.nextInt(256);
        final double routeQuality = broken[14] ? badUnit() : random.nextInt(5) / 4.0;

        bad[0] = null;
        bad[1] = did;
        bad[2] = device;
        bad[3] = keyHexAlone ? keyHex : null;
        bad[4] = version == -1 ? null : version;
        bad[5] = lastSeen == -1 ? null : lastSeen;
        bad[6] = endpointsValue;
        bad[8] = trust;
        bad[10] = votingPower;
        bad[12] = id.toHex();
        bad[13] = hopCount;
        bad[14] = routeQuality;
        final String field = first == 6 ? endpointsField : prefix + "." + FIELDS[first];

        final Executable call = () ->
        {
            final PeerRecord.Builder b = PeerRecord.builder().fieldPrefix(prefix);
            b.id(broken[0] ? null : id).did(did).device(device);
            if (keyHexAlone)
            {
                b.publicKeyHex(keyHex);
            }
            else
            {
                b.publicKey(broken[3] ? null : Records.key(n));
            }
            b.version(version).lastSeen(lastSeen).endpoints(endpoints)
                .tier(broken[7] ? null : Tier.values()[n % Tier.values().length])
                .trust(trust)
                .nodeType(broken[9] ? null : NodeType.values()[n % NodeType.values().length])
                .votingPower(votingPower)
                .discovery(broken[11] ? null : Discovery.values()[n % Discovery.values().length])
                .nextHop(nextHop).hopCount(hopCount).routeQuality(routeQuality);
            final PeerRecord r = b.build();
            if (random.nextBoolean())
            {
                engine.upsert(T0, r);
            }
            else
            {
                engine.batch(T0, Batch.builder().upsert(r).build());
            }
        };
        return new BadInput("record with " + count + " broken field(s)", field, bad[first], call);
    }

    private Endpoint validEndpoint(final int i)
    {
        final String address;
        switch (random.nextInt(4))
        {
            case 0:
                address = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + i + ":" + (1 + i);
                break;
            case 1:
                address = "[2001:db8::" + Integer.toHexString(i + 1) + "]:" + (1 + i);
                break;
            case 2:
                address = "/ip4/192.0.2." + i + "/tcp/" + (1 + i);
                break;
            default:
                address = "host" + i + ".example:" + (1 + i);
                break;
        }
        return Endpoint.of(address, Protocol.values()[random.nextInt(Protocol.values().length)],
            random.nextInt(1000), random.nextInt(11) / 10.0);
    }

    private BadInput badEndpoint()
    {
        final String prefix = random.nextBoolean() ? "endpoint" : "peer.endpoints[" + random.nextInt(16) + "]";
        final int which = random.nextInt(4);
        final String address = which == 0 ? badAddress() : "10.0.0.1:80";
        final Protocol protocol = which == 1 ? null : Protocol.values()[random.nextInt(Protocol.values().length)];
        final long latency = which == 2 ? badLong(false) : random.nextInt(100);
        final double signal = which == 3 ? badUnit() : random.nextInt(11) / 10.0;
        final String[] names = { "address", "protocol", "latencyMs", "signal" };
        final Object[] values = { address, null, latency, signal };
        final Executable call = prefix.equals("endpoint") ?
            () -> Endpoint.of(address, protocol, latency, signal) :
            () -> Endpoint.of(prefix, address, protocol, latency, signal);
        return new BadInput("endpoint", prefix + "." + names[which], values[which], call);
    }

    private BadInput badIdOrKey()
    {
        switch (random.nextInt(6))
        {
            case 0:
            {
                final String hex = badIdHex();
                return new BadInput("NodeId.fromHex", "peer.nextHop", hex, () -> NodeId.fromHex("peer.nextHop", hex));
            }
            case 1:
            {
                final String hex = badIdHex();
                return new BadInput("NodeId.fromHex", "id", hex, () -> engine.remove(T0, NodeId.fromHex(hex)));
            }
            case 2:
            {
                final byte[] bytes = random.nextInt(5) == 0 ? null : new byte[badSize(32)];
                return new BadInput("NodeId.fromBytes", "id", null == bytes ? null : bytes.length + " bytes",
                    () -> NodeId.fromBytes(bytes));
            }
            case 3:
            {
                final String hex = badKeyHex();
                return new BadInput("PublicKey.fromHex", "peer.publicKey", hex,
                    () -> PublicKey.fromHex("peer.publicKey", hex));
            }
            case 4:
            {
                final int size = random.nextBoolean() ? 0 : 4097 + random.nextInt(5000);
                final byte[] bytes = random.nextInt(5) == 0 ? null : new byte[size];
                return new BadInput("PublicKey.fromBytes", "key", null == bytes ? null : bytes.length + " bytes",
                    () -> PublicKey.fromBytes("key", bytes));
            }
            default:
            {
                final PeerRecord valid = Records.peer(1).build();
                final boolean badVersion = random.nextBoolean();
                final long v = badVersion ? badLong(false) : 1;
                final long ls = badVersion ? T0 : badLong(false);
                return new BadInput("withVersion", badVersion ? "peer.version" : "peer.lastSeen", badVersion ? v : ls,
                    () -> engine.upsert(T0, valid.withVersion(v, ls)));
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Bans, batches, arguments, settings.

    private BadInput badBan()
    {
        final boolean unban = random.nextBoolean();
        final int which = random.nextInt(6);
        final BanKind kind;
        final String value;
        long until = random.nextBoolean() ? Ban.FOREVER : T0 + 1 + random.nextInt(1000);
        switch (which)
        {
            case 0:
                kind = null;
                value = "did:a:b";
                break;
            case 1:
                kind = BanKind.values()[random.nextInt(3)];
                value = null;
                break;
            case 2:
                kind = BanKind.NODE;
                value = random.nextInt(4) == 0 ? badDid() : badIdHex();
                break;
            case 3:
                kind = BanKind.DID;
                value = random.nextInt(4) == 0 ? Records.id(1).toHex() : badDid();
                break;
            case 4:
                kind = BanKind.SUBNET;
                value = badCidr();
                break;
            default:
                kind = BanKind.values()[random.nextInt(3)];
                value = kind == BanKind.NODE ? Records.id(7).toHex() : kind == BanKind.DID ? "did:x:y" : "10.0.0.0/8";
                until = random.nextBoolean() ? -1 - random.nextInt(1_000_000) :
                    SAFE + random.nextLong(Long.MAX_VALUE - SAFE);
                break;
        }
        if (null == value && which != 1)
        {
            return badBan();
        }
        final String field = which == 0 ? "kind" : which == 5 ? "until" : "value";
        final Object refused = which == 0 ? null : which == 5 ? until : value;
        final long u = until;
        final boolean twoArgs = which != 5 && random.nextBoolean();
        final Executable call = () ->
        {
            final Ban ban = twoArgs ? Ban.of(kind, value) : Ban.of(kind, value, u);
            if (unban)
            {
                engine.unban(T0, ban);
            }
            else
            {
                engine.ban(T0, ban);
            }
        };
        return new BadInput("ban " + kind, field, refused, call);
    }

    private BadInput badBatch()
    {
        switch (random.nextInt(5))
        {
            case 0:
                return new BadInput("empty batch", "ops", "0 ops", () -> engine.batch(T0, Batch.builder().build()));
            case 1:
            {
                final int size = 1025 + random.nextInt(200);
                return new BadInput("long batch", "ops", size + " ops", () ->
                {
                    final Batch.Builder b = Batch.builder();
                    for (int i = 0; i < size; i++)
                    {
                        if (i % 3 == 0)
                        {
                            b.upsert(Records.peer(i).build());
                        }
                        else
                        {
                            b.remove(Records.id(i));
                        }
                    }
                    engine.batch(T0, b.build());
                });
            }
            case 2:
            case 3:
            {
                final int at = random.nextInt(1024);
                final boolean upsert = random.nextBoolean();
                return new BadInput("null op", "ops[" + at + "]." + (upsert ? "peer" : "id"), null, () ->
                {
                    final Batch.Builder b = Batch.builder();
                    for (int i = 0; i < at; i++)
                    {
                        b.remove(Records.id(i));
                    }
                    if (upsert)
                    {
                        b.upsert(null);
                    }
                    else
                    {
                        b.remove(null);
                    }
                    engine.batch(T0, b.build());
                });
            }
            default:
            {
                final Executable[] calls = {
                    () -> engine.batch((Batch)null), () -> engine.batch(T0, null), () -> engine.tryBatch(null),
                    () -> engine.batch(null, WAIT), () -> engine.batchAndWait(null, WAIT) };
                return new BadInput("null batch", "ops", null, calls[random.nextInt(calls.length)]);
            }
        }
    }

    private BadInput badArgument()
    {
        final PeerRecord r = Records.peer(1 + random.nextInt(100)).build();
        final NodeId id = Records.id(random.nextInt(100));
        final Ban ban = Ban.of(BanKind.DID, "did:x:y");
        final long t = badLong(false);
        final long ls = badLong(false);
        final Duration negative = Duration.ofNanos(-1 - random.nextInt(1_000_000_000));
        switch (random.nextInt(6))
        {
            case 0:
            {
                final Executable[] calls = { () -> engine.upsert(t, r), () -> engine.remove(t, id),
                    () -> engine.touch(t, id, T0), () -> engine.batch(t, Batch.builder().remove(id).build()),
                    () -> engine.tick(t), () -> engine.ban(t, ban), () -> engine.unban(t, ban),
                    () -> engine.upsertAndWait(t, r, WAIT) };
                return new BadInput("event time", "t", t, calls[random.nextInt(calls.length)]);
            }
            case 1:
            {
                final Executable[] calls = { () -> engine.upsert((PeerRecord)null), () -> engine.upsert(T0, null),
                    () -> engine.tryUpsert(null), () -> engine.upsert(null, WAIT), () -> engine.upsertAndWait(null, WAIT),
                    () -> engine.upsertAndWait(T0, null, WAIT) };
                return new BadInput("null record", "peer", null, calls[random.nextInt(calls.length)]);
            }
            case 2:
            {
                final Executable[] calls = { () -> engine.remove((NodeId)null), () -> engine.remove(T0, null),
                    () -> engine.tryRemove(null), () -> engine.remove(null, WAIT), () -> engine.removeAndWait(null, WAIT),
                    () -> engine.touch(null, T0), () -> engine.touch(T0, null, T0), () -> engine.tryTouch(null, T0),
                    () -> engine.touch(null, T0, WAIT), () -> engine.touchAndWait(null, T0, WAIT) };
                return new BadInput("null id", "id", null, calls[random.nextInt(calls.length)]);
            }
            case 3:
            {
                final Executable[] calls = { () -> engine.touch(id, ls), () -> engine.touch(T0, id, ls),
                    () -> engine.tryTouch(id, ls), () -> engine.touch(id, ls, WAIT),
                    () -> engine.touchAndWait(id, ls, WAIT) };
                return new BadInput("lastSeen", "lastSeen", ls, calls[random.nextInt(calls.length)]);
            }
            case 4:
            {
                final Executable[] calls = { () -> engine.ban((Ban)null), () -> engine.unban((Ban)null),
                    () -> engine.ban(T0, null), () -> engine.unban(T0, null), () -> engine.banAndWait(null, WAIT),
                    () -> engine.unbanAndWait(null, WAIT) };
                return new BadInput("null ban", "ban", null, calls[random.nextInt(calls.length)]);
            }
            default:
            {
                final Duration timeout = random.nextBoolean() ? null : negative;
                final Executable[] calls = { () -> engine.upsertAndWait(r, timeout),
                    () -> engine.upsertAndWait(T0, r, timeout), () -> engine.removeAndWait(id, timeout),
                    () -> engine.touchAndWait(id, T0, timeout), () -> engine.tickAndWait(timeout),
                    () -> engine.banAndWait(ban, timeout), () -> engine.unbanAndWait(ban, timeout),
                    () -> engine.batchAndWait(Batch.builder().remove(id).build(), timeout),
                    () -> engine.upsert(r, timeout), () -> engine.remove(id, timeout),
                    () -> engine.touch(id, T0, timeout), () -> engine.batch(Batch.builder().remove(id).build(), timeout) };
                return new BadInput("timeout", "timeout", timeout, calls[random.nextInt(calls.length)]);
            }
        }
    }

    private BadInput badPublish()
    {
        final boolean recordedVotes = random.nextBoolean();
        final MutationKind kind = MutationKind.values()[random.nextInt(MutationKind.values().length)];
        long time = T0;
        PeerRecord record = null;
        NodeId id = null;
        long lastSeen = 0;
        Batch batch = null;
        Ban ban = null;
        final String field;
        final Object value;
        if (random.nextInt(3) == 0)
        {
            time = badLong(false);
            record = Records.peer(1).build();
            id = Records.id(1);
            lastSeen = T0;
            batch = Batch.builder().remove(id).build();
            ban = Ban.of(BanKind.NODE, id.toHex());
            field = "t";
            value = time;
        }
        else
        {
            switch (kind)
            {
                case UPSERT:
                    field = "peer";
                    value = null;
                    break;
                case REMOVE:
                    field = "id";
                    value = null;
                    break;
                case TOUCH:
                    if (random.nextBoolean())
                    {
                        field = "id";
                        value = null;
                        lastSeen = T0;
                    }
                    else
                    {
                        id = Records.id(1);
                        lastSeen = badLong(false);
                        field = "lastSeen";
                        value = lastSeen;
                    }
                    break;
                case BATCH:
                    field = "ops";
                    value = null;
                    break;
                case BAN:
                case UNBAN:
                    field = "ban";
                    value = null;
                    break;
                default:
                    time = badLong(false);
                    field = "t";
                    value = time;
                    break;
            }
        }
        // Parts missing or out of range on purpose: the raw constructor, which checks nothing.
        final MutationValue op = new MutationValue(kind, time, record, id, lastSeen, batch, ban, null, null);
        return new BadInput("publish " + kind, field, value, () -> engine.publish(op, recordedVotes));
    }

    private BadInput badSetting()
    {
        final long v = badLong(false);
        final RegistrySettings.Builder b = RegistrySettings.builder();
        final String[] names = { "maxPeers", "peerTtlMs", "tombstoneTtlMs", "maxTombstones", "maxDevicesPerDid",
            "maxPeersPerSubnet", "maxBans", "globalRateLimitPerSec", "didRateLimitPerMin" };
        final Executable[] calls = { () -> b.maxPeers(v), () -> b.peerTtlMs(v), () -> b.tombstoneTtlMs(v),
            () -> b.maxTombstones(v), () -> b.maxDevicesPerDid(v), () -> b.maxPeersPerSubnet(v), () -> b.maxBans(v),
            () -> b.globalRateLimitPerSec(v), () -> b.didRateLimitPerMin(v) };
        final int i = random.nextInt(names.length);
        return new BadInput("setting", names[i], v, calls[i]);
    }

    // -----------------------------------------------------------------------------------------------------
    // Bad values, each checked against TRACE.md's grammar written out here.

    /** @param requiredMarker whether -1 may come out (the builder's "not given" marker). */
    private long badLong(final boolean requiredMarker)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return requiredMarker ? -1 : -2;
            case 1:
                return Long.MIN_VALUE;
            case 2:
                return Long.MAX_VALUE;
            case 3:
                return SAFE + random.nextInt(1000);
            case 4:
                return -1 - random.nextLong(Long.MAX_VALUE);
            default:
                return SAFE + random.nextLong(Long.MAX_VALUE - SAFE);
        }
    }

    private double badUnit()
    {
        switch (random.nextInt(7))
        {
            case 0:
                return Double.NaN;
            case 1:
                return Double.POSITIVE_INFINITY;
            case 2:
                return Double.NEGATIVE_INFINITY;
            case 3:
                return Math.nextUp(1.0);
            case 4:
                return -Double.MIN_VALUE;
            case 5:
                return -random.nextDouble() * 1e6 - Double.MIN_VALUE;
            default:
                return Math.nextUp(1.0) + random.nextDouble() * 1e300;
        }
    }

    private int badHopCount()
    {
        return random.nextBoolean() ? 256 + random.nextInt(Integer.MAX_VALUE - 256) : -1 - random.nextInt(Integer.MAX_VALUE);
    }

    private int badSize(final int valid)
    {
        final int size = random.nextInt(100);
        return size == valid ? valid + 1 : size;
    }

    private String randomText(final int maxLength)
    {
        final int length = random.nextInt(maxLength + 1);
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(NASTY.charAt(random.nextInt(NASTY.length())));
        }
        return sb.toString();
    }

    private String mutate(final String valid)
    {
        final StringBuilder sb = new StringBuilder(valid);
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++)
        {
            final int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(4))
            {
                case 0:
                    sb.insert(at, NASTY.charAt(random.nextInt(NASTY.length())));
                    break;
                case 1:
                    if (sb.length() > 0)
                    {
                        sb.deleteCharAt(at);
                    }
                    break;
                case 2:
                    if (sb.length() > 0)
                    {
                        sb.setCharAt(at, NASTY.charAt(random.nextInt(NASTY.length())));
                    }
                    break;
                default:
                    sb.setCharAt(at, Character.toUpperCase(sb.charAt(at)));
                    break;
            }
        }
        return sb.toString();
    }

    private String badDid()
    {
        while (true)
        {
            final String candidate;
            switch (random.nextInt(6))
            {
                case 0:
                    return random.nextBoolean() ? null : "did:web:" + "a".repeat(249 + random.nextInt(300));
                case 1:
                    candidate = randomText(40);
                    break;
                case 2:
                    candidate = "did:" + randomText(6) + ":" + randomText(10);
                    break;
                case 3:
                    candidate = "did:web:" + "x".repeat(240) + ":" + "y".repeat(1 + random.nextInt(30));
                    break;
                default:
                    candidate = mutate("did:method" + random.nextInt(10) + ":id-" + random.nextInt(1000) + ":p%2F");
                    break;
            }
            if (!isDid(candidate))
            {
                return candidate;
            }
        }
    }

    private String badDevice()
    {
        while (true)
        {
            final String candidate = random.nextInt(6) == 0 ? null : random.nextInt(5) == 0 ?
                "d".repeat(65 + random.nextInt(100)) : random.nextBoolean() ? randomText(70) : mutate("device_" +
                random.nextInt(100));
            if (!isDevice(candidate))
            {
                return candidate;
            }
        }
    }

    private String badIdHex()
    {
        while (true)
        {
            final String valid = Records.id(random.nextInt(1000)).toHex();
            final String candidate;
            switch (random.nextInt(4))
            {
                case 0:
                    candidate = valid.substring(0, random.nextInt(64));
                    break;
                case 1:
                    candidate = valid + "0".repeat(1 + random.nextInt(10));
                    break;
                case 2:
                    candidate = random.nextInt(10) == 0 ? null : randomText(70);
                    break;
                default:
                    candidate = mutate(valid);
                    break;
            }
            if (!isHex(candidate, 64, 64))
            {
                return candidate;
            }
        }
    }

    private String badKeyHex()
    {
        while (true)
        {
            final String candidate;
            switch (random.nextInt(5))
            {
                case 0:
                    candidate = random.nextBoolean() ? "" : null;
                    break;
                case 1:
                    candidate = "ab".repeat(4097 + random.nextInt(100));
                    break;
                case 2:
                    candidate = "abc".repeat(1 + random.nextInt(5)) + (random.nextBoolean() ? "d" : "");
                    break;
                case 3:
                    candidate = randomText(20);
                    break;
                default:
                    candidate = mutate("00ff" + Long.toHexString(random.nextLong() | 1L << 60));
                    break;
            }
            if (!isHex(candidate, 2, 8192) || (candidate.length() & 1) != 0)
            {
                return candidate;
            }
        }
    }

    private String badAddress()
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextBoolean() ? null : "";
            case 1:
                return "h".repeat(256 + random.nextInt(200));
            default:
                while (true)
                {
                    final String candidate = randomText(30);
                    if (!isAddress(candidate))
                    {
                        return candidate;
                    }
                }
        }
    }

    private String badCidr()
    {
        if (random.nextInt(3) == 0)
        {
            final int prefix = random.nextInt(32);
            long address;
            do
            {
                address = random.nextLong(1L << 32);
            }
            while ((address & ((1L << (32 - prefix)) - 1)) == 0);
            return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
                (address & 0xFF) + "/" + prefix;
        }
        if (random.nextInt(4) == 0)
        {
            final int prefix = random.nextInt(112);
            return "2001:db8:" + Integer.toHexString(1 + random.nextInt(0xffff)) + "::" +
                Integer.toHexString(1 + random.nextInt(0xffff)) + "/" + prefix;
        }
        return BAD_CIDRS[random.nextInt(BAD_CIDRS.length)];
    }

    // TRACE.md's grammar.

    static boolean isDid(final String s)
    {
        if (null == s || s.length() > 256 || !s.startsWith("did:"))
        {
            return false;
        }
        final int colon = s.indexOf(':', 4);
        if (colon <= 4)
        {
            return false;
        }
        for (int i = 4; i < colon; i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }
        for (final String part : s.substring(colon + 1).split(":", -1))
        {
            if (part.isEmpty())
            {
                return false;
            }
            for (int i = 0; i < part.length(); i++)
            {
                final char c = part.charAt(i);
                if (!(isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '-'))
                {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isDevice(final String s)
    {
        if (null == s || s.isEmpty() || s.length() > 64)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (!(isAlnum(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    static boolean isHex(final String s, final int min, final int max)
    {
        if (null == s || s.length() < min || s.length() > max)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            {
                return false;
            }
        }
        return true;
    }

    static boolean isAddress(final String s)
    {
        if (null == s || s.isEmpty() || s.length() > 255)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
