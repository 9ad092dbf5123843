package io.peerlane.journal;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run of the real rules, journaled, then replayed from the journal into a fresh state: every recorded
 * outcome comes back and the final registry is the same, because the recorded vote refusals are applied
 * as they were.
 */
class JournalReplayTest
{
    @TempDir
    Path dir;

    @Test
    void replayingAJournalReproducesEveryOutcomeAndTheState()
    {
        final long seed = System.nanoTime();
        System.out.println("JournalReplayTest seed " + seed);
        final Random random = new Random(seed);
        final RegistrySettings settings = RegistrySettings.builder().maxPeers(25).maxDevicesPerDid(3)
            .maxPeersPerSubnet(4).peerTtlMs(60_000).tombstoneTtlMs(30_000).maxTombstones(10).maxBans(5).build();
        final RegistryState recorded = new RegistryState(settings, List.of());
        final NodeId[] ids = new NodeId[40];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = NodeId.of(i, random.nextLong(), 0, i);
        }

        final List<CommitResult> outcomes = new ArrayList<>();
        final Set<OutcomeCode> seen = EnumSet.noneOf(OutcomeCode.class);
        long time = 1_000;
        try (JournalWriter writer = JournalWriter.open(OpGenerator.context(dir, 16 * 1024)))
        {
            for (long seq = 0; seq < 3_000; seq++)
            {
                time += random.nextInt(3) == 0 ? random.nextInt(5_000) : 0;
                final Mutation m = mutation(random, ids, time);
                final CommitResult out = new CommitResult();
                recorded.commit(m, seq, out);
                final CommitResult copy = new CommitResult();
                copy.copyFrom(out);
                outcomes.add(copy);
                seen.add(out.code());
                writer.append(seq, out.time(), m, out);
                if (random.nextInt(8) == 0)
                {
                    writer.endOfBatch();
                }
            }
        }
        assertTrue(seen.containsAll(EnumSet.of(OutcomeCode.ADDED, OutcomeCode.UPDATED, OutcomeCode.ABORTED,
            OutcomeCode.BATCH_FAILED, OutcomeCode.BATCH_COMMITTED, OutcomeCode.REMOVED, OutcomeCode.TOUCHED,
            OutcomeCode.BAN_SET, OutcomeCode.STALE)), "seed " + seed + " saw " + seen);

        final RegistryState replayed = new RegistryState(settings, List.of());
        int index = 0;
        try (JournalReader reader = JournalReader.open(dir))
        {
            for (JournalEntry e = reader.next(); null != e; e = reader.next())
            {
                final CommitResult out = new CommitResult();
                replayed.commit(e.mutation(), e.sequence(), out);
                assertTrue(e.outcome().sameAs(out), "seed " + seed + " #" + e.sequence() + ": recorded " +
                    e.outcome() + ", replayed " + out);
                assertTrue(e.outcome().sameAs(outcomes.get(index)), "seed " + seed + " #" + e.sequence());
                index++;
            }
        }
        assertEquals(outcomes.size(), index);
        assertEquals(recorded.view().sortedById(), replayed.view().sortedById(), "seed " + seed);
        assertEquals(recorded.bans().toString(), replayed.bans().toString());
    }

    private static Mutation mutation(final Random random, final NodeId[] ids, final long time)
    {
        final int r = random.nextInt(100);
        if (r < 45)
        {
            final PeerRecord record = record(random, ids);
            if (random.nextInt(6) == 0)
            {
                final String observer = "critical-" + random.nextInt(3);
                return MutationValue.upsert(time, record, observer, AbortCause.values()[random.nextInt(3)]);
            }
            return MutationValue.upsert(time, record);
        }
        if (r < 55)
        {
            return MutationValue.remove(time, ids[random.nextInt(ids.length)]);
        }
        if (r < 65)
        {
            final NodeId id = ids[random.nextInt(ids.length)];
            return MutationValue.touch(time, id, time + random.nextInt(10_000) - 5_000);
        }
        if (r < 85)
        {
            final Batch.Builder b = Batch.builder();
            final int size = 1 + random.nextInt(5);
            final String[] refusedBy = new String[size];
            for (int i = 0; i < size; i++)
            {
                if (random.nextInt(4) == 0)
                {
                    b.remove(ids[random.nextInt(ids.length)]);
                }
                else
                {
                    b.upsert(record(random, ids));
                    if (random.nextInt(10) == 0)
                    {
                        refusedBy[i] = "critical-" + random.nextInt(3);
                    }
                }
            }
            return MutationValue.batch(time, b.build(), refusedBy);
        }
        if (r < 90)
        {
            final boolean lift = !random.nextBoolean();
            final Ban ban = random.nextBoolean() ? Ban.of(BanKind.SUBNET, "10.0." + random.nextInt(4) + ".0/24",
                !lift && random.nextBoolean() ? time + 20_000 : Ban.FOREVER) :
                Ban.of(BanKind.NODE, ids[random.nextInt(ids.length)].toHex());
            return MutationValue.ban(time, ban, lift);
        }
        return MutationValue.tick(time);
    }

    private static PeerRecord record(final Random random, final NodeId[] ids)
    {
        final int i = random.nextInt(ids.length);
        final PeerRecord.Builder b = PeerRecord.builder(ids[i]).did("did:key:p" + (i % 12)).device("dev" + i)
            .publicKeyHex(random.nextInt(30) == 0 ? "ff" : String.format("%02x", i)).version(random.nextInt(12))
            .lastSeen(random.nextInt(100_000)).tier(Tier.values()[random.nextInt(Tier.values().length)])
            .pinned(random.nextInt(10) == 0);
        if (random.nextBoolean())
        {
            b.endpoint(Endpoint.of("10.0." + random.nextInt(6) + "." + i + ":4001", Protocol.TCP, 5, 0.5));
        }
        return b.build();
    }
}
