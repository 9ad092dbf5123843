package io.peerlane.journal;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.state.CommitResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random ops with every field of every op kind, extremes included (0 and 2^53 - 1, empty and full
 * lists, the longest strings and keys the model allows), and the outcomes an engine might have given them.
 */
final class OpGenerator
{
    static final long MAX = Limits.MAX_SAFE_EXCLUSIVE - 1;
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** One op as handed to the writer. */
    static final class Written
    {
        final long sequence;
        final long time;
        final MutationValue mutation;
        final CommitResult outcome;

        Written(final long sequence, final long time, final MutationValue mutation, final CommitResult outcome)
        {
            this.sequence = sequence;
            this.time = time;
            this.mutation = mutation;
            this.outcome = outcome;
        }
    }

    private final Random random;
    private long sequence;
    private long clock;

    OpGenerator(final long seed)
    {
        this.random = new Random(seed);
        this.sequence = random.nextBoolean() ? 0 : random.nextInt(1000);
    }

    Random random()
    {
        return random;
    }

    List<Written> ops(final int count)
    {
        final List<Written> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            ops.add(next(MutationKind.values()[i % MutationKind.values().length]));
        }
        return ops;
    }

    Written next(final MutationKind kind)
    {
        sequence += 1 + (random.nextInt(4) == 0 ? random.nextInt(100) : 0);
        clock += random.nextInt(5000);
        final int r = random.nextInt(20);
        final long time = r == 0 ? 0 : r == 1 ? MAX : clock;
        final MutationValue m;
        switch (kind)
        {
            case UPSERT:
                final PeerRecord record = record();
                if (random.nextInt(3) == 0)
                {
                    final String observer = observerName();
                    m = MutationValue.upsert(time, record, observer, cause());
                }
                else
                {
                    m = MutationValue.upsert(time, record);
                }
                break;
            case REMOVE:
                m = MutationValue.remove(time, id());
                break;
            case TOUCH:
                final NodeId id = id();
                m = MutationValue.touch(time, id, longValue());
                break;
            case BATCH:
                final int size = random.nextInt(50) == 0 ? Limits.MAX_BATCH_OPS : 1 + random.nextInt(6);
                final Batch.Builder b = Batch.builder();
                final String[] refusedBy = new String[size];
                final AbortCause[] causes = new AbortCause[size];
                for (int i = 0; i < size; i++)
                {
                    if (random.nextBoolean())
                    {
                        b.upsert(size > 100 ? smallRecord() : record());
                        if (random.nextInt(4) == 0)
                        {
                            refusedBy[i] = observerName();
                            causes[i] = cause();
                        }
                    }
                    else
                    {
                        b.remove(id());
                    }
                }
                m = MutationValue.batch(time, b.build(), refusedBy, causes);
                break;
            case BAN:
            case UNBAN:
                m = MutationValue.ban(time, ban(kind == MutationKind.BAN), kind == MutationKind.UNBAN);
                break;
            default:
                m = new MutationValue(kind, time, null, null, 0, null, null, null, null);
                break;
        }
        return new Written(sequence, time, m, outcome(time));
    }

    /** @return an upsert of a small record with a refusal: a short last record for byte-by-byte tests. */
    Written smallUpsert()
    {
        sequence++;
        final MutationValue m = MutationValue.upsert(clock, smallRecord(), "critical-1", AbortCause.VETO);
        return new Written(sequence, clock, m, outcome(clock));
    }

    CommitResult outcome(final long time)
    {
        final OutcomeCode code = OutcomeCode.values()[random.nextInt(OutcomeCode.values().length)];
        final String reason = random.nextInt(3) == 0 ? null : pickString("STALE", "CAPACITY", "validator-set",
            "my-rule_" + random.nextInt(1000), "");
        final AbortCause cause = random.nextInt(3) == 0 ? null : cause();
        final int failedOp = random.nextInt(3) == 0 ? -1 : random.nextInt(1024);
        return Outcomes.of(code, reason, cause, failedOp, pick(0, time, MAX));
    }

    PeerRecord record()
    {
        final NodeId id = id();
        final PeerRecord.Builder b = PeerRecord.builder(id)
            .did(did())
            .device(random.nextInt(10) == 0 ? text(64, "-_") : text(1 + random.nextInt(12), "-_"))
            .publicKey(key(random.nextInt(20) == 0 ? Limits.MAX_PUBLIC_KEY_BYTES : 1 + random.nextInt(64)))
            .version(longValue())
            .lastSeen(longValue())
            .tier(Tier.values()[random.nextInt(Tier.values().length)])
            .trust(unit())
            .nodeType(NodeType.values()[random.nextInt(NodeType.values().length)])
            .votingPower(longValue())
            .authenticated(random.nextBoolean())
            .quantumSecure(random.nextBoolean())
            .pinned(random.nextBoolean())
            .discovery(Discovery.values()[random.nextInt(Discovery.values().length)])
            .hopCount(random.nextInt(4) == 0 ? 255 : random.nextInt(256))
            .routeQuality(unit());
        final int endpoints = random.nextInt(8) == 0 ? Limits.MAX_ENDPOINTS : random.nextInt(5);
        for (int i = 0; i < endpoints; i++)
        {
            b.endpoint(endpoint(i));
        }
        if (random.nextBoolean())
        {
            NodeId hop = id();
            while (hop.equals(id))
            {
                hop = id();
            }
            b.nextHop(hop);
        }
        return b.build();
    }

    /** A record of modest size, for the largest batches. */
    private PeerRecord smallRecord()
    {
        return PeerRecord.builder(id()).did(did()).device("d").publicKey(key(8)).version(longValue())
            .lastSeen(longValue()).endpoint(endpoint(random.nextInt(100))).build();
    }

    Endpoint endpoint(final int i)
    {
        final Protocol protocol = Protocol.values()[(i + random.nextInt(8)) % Protocol.values().length];
        final String address;
        switch (random.nextInt(7))
        {
            case 0:
                address = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + i +
                    ":" + (1 + random.nextInt(65535));
                break;
            case 1:
                address = "[2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::" + i + "]:" +
                    (1 + random.nextInt(65535));
                break;
            case 2:
                address = "/ip4/10.0." + random.nextInt(256) + "." + i + "/tcp/4001";
                break;
            case 3:
                address = "/ip6/fe80::" + Integer.toHexString(i + 1) + "/udp/9000/quic";
                break;
            case 4:
                address = String.format("AA:BB:CC:DD:%02X:%02X", random.nextInt(256), i);
                break;
            case 5:
                final StringBuilder sb = new StringBuilder(255);
                for (int c = 0; c < 255; c++)
                {
                    sb.append((char)(0x20 + random.nextInt(0x5F)));
                }
                sb.setCharAt(0, (char)('!' + i % 94));
                address = sb.toString();
                break;
            default:
                address = "node" + i + ".example.org:" + (1 + random.nextInt(65535));
                break;
        }
        return Endpoint.of(address, protocol, longValue(), unit());
    }

    NodeId id()
    {
        switch (random.nextInt(8))
        {
            case 0:
                return NodeId.of(0, 0, 0, random.nextInt(2));
            case 1:
                return NodeId.of(-1L, -1L, -1L, -1L - random.nextInt(2));
            default:
                return NodeId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
        }
    }

    private Ban ban(final boolean withUntil)
    {
        final long until = withUntil && random.nextBoolean() ? longValue() : Ban.FOREVER;
        switch (random.nextInt(3))
        {
            case 0:
                return Ban.of(BanKind.NODE, id().toHex(), until);
            case 1:
                return Ban.of(BanKind.DID, did(), until);
            default:
                return random.nextBoolean() ?
                    Ban.of(BanKind.SUBNET, "10." + random.nextInt(256) + "." + random.nextInt(256) + ".0/24", until) :
                    Ban.of(BanKind.SUBNET, "2001:db8:" + Integer.toHexString(1 + random.nextInt(65535)) + "::/48", until);
        }
    }

    private String did()
    {
        if (random.nextInt(10) == 0)
        {
            final String head = "did:key:";
            return head + text(256 - head.length(), "._%-");
        }
        return "did:" + pickString("key", "web", "peer", "x9") + ":" + text(1 + random.nextInt(30), "._%-") +
            (random.nextBoolean() ? ":" + text(1 + random.nextInt(5), "") : "");
    }

    private PublicKey key(final int bytes)
    {
        final byte[] key = new byte[bytes];
        random.nextBytes(key);
        return PublicKey.fromBytes("key", key);
    }

    private String observerName()
    {
        return random.nextInt(5) == 0 ? "validator-set" : "observer-" + text(1 + random.nextInt(40), " .:/");
    }

    private AbortCause cause()
    {
        return AbortCause.values()[random.nextInt(AbortCause.values().length)];
    }

    private long longValue()
    {
        return pick(0, MAX, random.nextLong() & MAX);
    }

    private double unit()
    {
        switch (random.nextInt(5))
        {
            case 0:
                return 0.0;
            case 1:
                return 1.0;
            case 2:
                return Double.MIN_VALUE;
            default:
                return random.nextDouble();
        }
    }

    private long pick(final long a, final long b, final long c)
    {
        final int r = random.nextInt(6);
        return r == 0 ? a : r == 1 ? b : c;
    }

    private String pickString(final String... options)
    {
        return options[random.nextInt(options.length)];
    }

    private String text(final int length, final String extra)
    {
        final String alphabet = ALNUM + extra;
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(alphabet.charAt(random.nextInt(i == 0 ? ALNUM.length() : alphabet.length())));
        }
        return sb.toString();
    }

    // -------------------------------------------------------------------------------------------------------

    static JournalWriter.Context context(final Path dir, final long segmentLength)
    {
        return context(dir, segmentLength, JournalDescriptor.MAJOR_VERSION);
    }

    /** @param majorVersion the layout new segments are written in (a test of version 1 asks for it). */
    static JournalWriter.Context context(final Path dir, final long segmentLength, final int majorVersion)
    {
        return new JournalWriter.Context().directory(dir).segmentLength(segmentLength).forcePolicy(ForcePolicy.NEVER)
            .majorVersion(majorVersion);
    }

    static void write(final Path dir, final long segmentLength, final List<Written> ops)
    {
        write(dir, segmentLength, ops, JournalDescriptor.MAJOR_VERSION);
    }

    static void write(final Path dir, final long segmentLength, final List<Written> ops, final int majorVersion)
    {
        try (JournalWriter writer = JournalWriter.open(context(dir, segmentLength, majorVersion)))
        {
            for (int i = 0; i < ops.size(); i++)
            {
                final Written w = ops.get(i);
                writer.append(w.sequence, w.time, w.mutation, w.outcome);
                if (i % 7 == 6)
                {
                    writer.endOfBatch();
                }
            }
        }
    }

    /** Reads the whole journal, asserting that it is intact and holds exactly {@code ops}. */
    static JournalReader readAll(final Path dir, final List<Written> ops)
    {
        final JournalReader reader = JournalReader.open(dir);
        for (int i = 0; i < ops.size(); i++)
        {
            final JournalEntry e = reader.next();
            assertNotNull(e, "entry " + i);
            assertSame(ops.get(i), e);
        }
        assertEquals(null, reader.next());
        reader.close();
        return reader;
    }

    /** Asserts that an entry holds every field of the op written. */
    static void assertSame(final Written w, final JournalEntry e)
    {
        final String at = "sequence " + w.sequence;
        assertEquals(w.sequence, e.sequence(), at);
        assertEquals(w.time, e.time(), at);
        final MutationValue r = e.mutation();
        final MutationValue m = w.mutation;
        assertEquals(m.kind(), r.kind(), at);
        assertEquals(w.time, r.time(), at);
        switch (m.kind())
        {
            case UPSERT:
                assertRecord(m.record(), r.record(), at);
                assertEquals(m.refusedBy(0), r.refusedBy(0), at);
                assertEquals(m.refusalCause(0), r.refusalCause(0), at);
                break;
            case REMOVE:
                assertEquals(m.id(), r.id(), at);
                break;
            case TOUCH:
                assertEquals(m.id(), r.id(), at);
                assertEquals(m.lastSeen(), r.lastSeen(), at);
                break;
            case BATCH:
                assertEquals(m.batch().size(), r.batch().size(), at);
                for (int i = 0; i < m.batch().size(); i++)
                {
                    assertEquals(m.batch().isUpsert(i), r.batch().isUpsert(i), at);
                    if (m.batch().isUpsert(i))
                    {
                        assertRecord(m.batch().record(i), r.batch().record(i), at + " op " + i);
                    }
                    else
                    {
                        assertEquals(m.batch().removeId(i), r.batch().removeId(i), at);
                    }
                    assertEquals(m.refusedBy(i), r.refusedBy(i), at + " op " + i);
                    assertEquals(m.refusalCause(i), r.refusalCause(i), at + " op " + i);
                }
                break;
            case BAN:
            case UNBAN:
                assertEquals(m.ban().kind(), r.ban().kind(), at);
                assertEquals(m.ban().value(), r.ban().value(), at);
                assertEquals(m.ban().until(), r.ban().until(), at);
                assertEquals(m.ban().key(), r.ban().key(), at);
                break;
            default:
                break;
        }
        final Outcome o = e.outcome();
        assertEquals(w.sequence, o.sequence(), at);
        assertTrue(o.sameAs(w.outcome), at + ": " + o + " vs " + w.outcome);
        assertEquals(w.outcome.code(), o.code(), at);
        assertEquals(w.outcome.reason(), o.reason(), at);
        assertEquals(w.outcome.cause(), o.cause(), at);
        assertEquals(w.outcome.failedOp(), o.failedOp(), at);
        assertEquals(w.outcome.time(), o.time(), at);
    }

    static void assertRecord(final PeerRecord expected, final PeerRecord actual, final String at)
    {
        assertTrue(expected.sameFields(actual), at + ": " + expected + " vs " + actual);
        assertEquals(expected, actual, at);
        assertEquals(expected.endpoints(), actual.endpoints(), at);
        assertEquals(expected.nextHop(), actual.nextHop(), at);
        assertEquals(expected.publicKey(), actual.publicKey(), at);
        assertEquals(expected.subnetCount(), actual.subnetCount(), at);
    }
}
