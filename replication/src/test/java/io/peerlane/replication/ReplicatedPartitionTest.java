package io.peerlane.replication;

import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.testing.Await;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A minority partitioned from a three-replica group, in both directions, while its process keeps running
 * ({@link RaftPartition}: Ratis's server-side RPC hooks refuse every append, vote and snapshot request across
 * the cut). The cut-off replica acknowledges no mutation: as the old leader it steps down and fails what it
 * had taken with {@link UnknownOutcomeException}, then refuses with {@link NotLeaderException}; as a follower
 * it refuses at once. The majority keeps or elects a leader and commits more. After the cut heals, the
 * minority replica reaches the majority's digest, which equals a sequential model fed the log; its applied log
 * is the majority's, op for op, and holds none of the ops it was given while cut off. Seeded
 * ({@code -Dpeerlane.seed=...}); each op's event time is unique, so it names the op in the log. The snapshot
 * threshold is high, so the healed replica catches up from the log and its applied log can be compared whole.
 */
class ReplicatedPartitionTest
{
    enum Isolated
    {
        /** The hard case: the cut-off replica was the leader, with ops in flight. */
        LEADER,
        /** A follower is cut off; the leader keeps its majority. */
        FOLLOWER
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Isolated.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPartitionedMinorityAcknowledgesNothingAndRejoinsWithTheMajoritysState(final Isolated which) throws Exception
    {
        run(which, Long.getLong("peerlane.seed", System.nanoTime()));
    }

    /** The same, ten times, both cases in turn, new seeds: {@code mvn -Pstress ... -Dtest=ReplicatedPartitionTest}. */
    @Tag("stress")
    @RepeatedTest(10)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void repeatedly(final RepetitionInfo repetition) throws Exception
    {
        run(Isolated.values()[repetition.getCurrentRepetition() % 2], System.nanoTime());
    }

    private void run(final Isolated which, final long seed) throws Exception
    {
        System.out.println("ReplicatedPartitionTest " + which + " seed " + seed);
        final long started = System.nanoTime();
        final Random random = new Random(seed);
        final AtomicLong clock = new AtomicLong(1_000_000);
        final AtomicLong versions = new AtomicLong();
        final Set<Long> acked = new HashSet<>();
        try (LoopbackCluster cluster = new LoopbackCluster(dir, 3, 1_000_000).startAll();
             RaftPartition partition = new RaftPartition().install())
        {
            final int leader = cluster.awaitLeader(15);
            produce(cluster.replica(leader), random, clock, versions, 300, acked);

            final int cut = which == Isolated.LEADER ? leader : (leader + 1 + random.nextInt(2)) % 3;
            final ReplicatedRegistry isolated = cluster.replica(cut);
            partition.isolate(isolated.id());

            // Ops given to the cut-off replica: the old leader takes them into its log, but must never acknowledge one.
            final List<CompletableFuture<OutcomeCode>> cutOff = new ArrayList<>();
            final Set<Long> cutOffTimes = new HashSet<>();
            for (int i = 0; i < 50; i++)
            {
                final Mutation op = ReplicatedFailoverTest.nextOp(random, clock.incrementAndGet(), versions);
                cutOffTimes.add(op.time());
                cutOff.add(isolated.submit(op));
            }

            final int majority = awaitLeaderExcept(cluster, cut, 20);
            if (which == Isolated.FOLLOWER)
            {
                assertEquals(leader, majority, "the majority changed leader when a follower was cut off");
            }
            Await.until("the cut-off replica to stop leading", 20, () -> !isolated.isLeader(),
                () -> "still leader: " + isolated.isLeader());
            produce(cluster.replica(majority), random, clock, versions, 300, acked);
            // A cut-off follower's election timer fires: it asks for votes, and nobody hears it.
            Await.until("the cut-off replica to ask for votes", 20, () -> partition.refusedVotes() > 0,
                () -> partition.refused() + " requests refused, none a vote");

            // While cut off, it refuses at once, naming no leader or a stale one: it has no quorum.
            for (int i = 0; i < 20; i++)
            {
                final Mutation op = ReplicatedFailoverTest.nextOp(random, clock.incrementAndGet(), versions);
                cutOffTimes.add(op.time());
                final CompletableFuture<OutcomeCode> f = isolated.submit(op);
                final ExecutionException ex = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                assertInstanceOf(NotLeaderException.class, ex.getCause(), "a cut-off replica must refuse");
                cutOff.add(f);
            }
            assertFalse(isolated.isLeader(), "the cut-off replica became leader");
            Await.until("the cut-off replica to settle what it took", 20,
                () -> cutOff.stream().allMatch(CompletableFuture::isDone), () -> pendingCount(cutOff) + " pending");
            int unknown = 0;
            for (final CompletableFuture<OutcomeCode> f : cutOff)
            {
                assertTrue(f.isCompletedExceptionally(), "a mutation on the cut-off replica was acknowledged");
                final Throwable cause = assertThrows(ExecutionException.class, f::get).getCause();
                assertTrue(cause instanceof NotLeaderException || cause instanceof UnknownOutcomeException,
                    () -> "unexpected refusal " + cause);
                unknown += cause instanceof UnknownOutcomeException ? 1 : 0;
            }
            final long refused = partition.refused();
            assertTrue(refused > 0, "the partition refused no request");

            partition.heal();
            produce(cluster.replica(awaitLeaderExcept(cluster, -1, 20)), random, clock, versions, 100, acked);
            Await.until("all three replicas to apply the same log", 30, () -> converged(cluster),
                () -> cluster.replica(0).lastAppliedIndex() + " / " + cluster.replica(1).lastAppliedIndex() + " / " +
                    cluster.replica(2).lastAppliedIndex());

            final int other = (cut + 1) % 3;
            final List<MutationValue> log = cluster.applied(other);
            assertEquals(times(cluster.applied(other)), times(cluster.applied((cut + 2) % 3)),
                "the majority applied different logs");
            assertEquals(times(log), times(cluster.applied(cut)), "the healed replica's log differs from the majority's");
            final Set<Long> logged = new HashSet<>();
            for (final MutationValue m : log)
            {
                assertTrue(logged.add(m.time()), "op at time " + m.time() + " applied twice");
                assertFalse(cutOffTimes.contains(m.time()), "an op given to the cut-off replica was committed");
            }
            for (final Long time : acked)
            {
                assertTrue(logged.contains(time), "acknowledged op at time " + time + " is not in the log");
            }
            final String model = ReplicatedFailoverTest.modelDigest(log);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(model, cluster.replica(i).digest(), "r" + i + " differs from the model");
            }
            System.out.printf("ReplicatedPartitionTest %s seed %d: cut r%d (leader was r%d, then r%d), %d acked, " +
                    "%d refused on the cut-off replica (%d unknown outcome), %d requests refused across the cut " +
                    "(%d votes), " +
                    "%d logged, %.1f s%n", which, seed, cut, leader, majority, acked.size(), cutOff.size(), unknown,
                refused, partition.refusedVotes(), log.size(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** Submits {@code n} ops, 32 outstanding, each acknowledged within 10 s. */
    private static void produce(
        final ReplicatedRegistry leader,
        final Random random,
        final AtomicLong clock,
        final AtomicLong versions,
        final int n,
        final Set<Long> acked) throws Exception
    {
        final List<CompletableFuture<OutcomeCode>> window = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final Mutation op = ReplicatedFailoverTest.nextOp(random, clock.incrementAndGet(), versions);
            window.add(leader.submit(op));
            times.add(op.time());
            if (window.size() == 32 || i == n - 1)
            {
                for (int w = 0; w < window.size(); w++)
                {
                    assertNotNull(window.get(w).get(10, TimeUnit.SECONDS));
                    acked.add(times.get(w));
                }
                window.clear();
                times.clear();
            }
        }
    }

    private static int awaitLeaderExcept(final LoopbackCluster cluster, final int except, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() - deadline < 0)
        {
            for (int i = 0; i < cluster.size(); i++)
            {
                if (i != except && cluster.replica(i).isLeaderReady())
                {
                    return i;
                }
            }
            LockSupport.parkNanos(10_000_000);
        }
        throw new AssertionError("no ready leader but r" + except + " within " + seconds + " s");
    }

    private static boolean converged(final LoopbackCluster cluster)
    {
        final long index = cluster.replica(0).lastAppliedIndex();
        final String digest = cluster.replica(0).digest();
        for (int i = 1; i < cluster.size(); i++)
        {
            if (cluster.replica(i).lastAppliedIndex() != index || !cluster.replica(i).digest().equals(digest))
            {
                return false;
            }
        }
        return true;
    }

    private static long pendingCount(final List<CompletableFuture<OutcomeCode>> futures)
    {
        return futures.stream().filter(f -> !f.isDone()).count();
    }

    private static List<Long> times(final List<MutationValue> log)
    {
        final List<Long> times = new ArrayList<>(log.size());
        for (final MutationValue m : log)
        {
            times.add(m.time());
        }
        return times;
    }
}
