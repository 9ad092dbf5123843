package io.peerlane.replication;

import io.peerlane.digest.StateDigest;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.NodeId;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.testing.Await;
import io.peerlane.testing.Peers;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three replicas on loopback under four producers: the leader is stopped, a new one is elected, no
 * acknowledged op is lost, the survivors' digests are equal to each other and to a sequential
 * {@link RegistryState} fed the log they applied; the stopped replica restarts from its snapshot plus the log
 * and reaches the same digest. Each op's event time is unique, so it names the op in the log.
 */
class ReplicatedFailoverTest
{
    private static final int PRODUCERS = 4;
    private static final int IDS = 200;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stoppingTheLeaderLosesNoAcknowledgedOpAndTheReplicasAgree() throws Exception
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println("ReplicatedFailoverTest seed " + seed);
        final long started = System.nanoTime();
        try (LoopbackCluster cluster = new LoopbackCluster(dir, 3, 20).startAll())
        {
            final int leader = cluster.awaitLeader(15);
            final AtomicInteger leaderHint = new AtomicInteger(leader);
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicLong clock = new AtomicLong(1_000_000);
            final AtomicLong versions = new AtomicLong();
            final Set<Long> acked = ConcurrentHashMap.newKeySet();
            final AtomicInteger unknown = new AtomicInteger();
            final List<Thread> producers = new ArrayList<>();
            final List<Throwable> failures = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++)
            {
                final Random random = new Random(seed + p);
                final Thread t = new Thread(() ->
                {
                    try
                    {
                        produce(cluster, random, leaderHint, running, clock, versions, acked, unknown);
                    }
                    catch (final Throwable ex)
                    {
                        synchronized (failures)
                        {
                            failures.add(ex);
                        }
                    }
                }, "producer-" + p);
                t.start();
                producers.add(t);
            }

            Await.until("600 acknowledged ops", 20, () -> acked.size() >= 600, () -> acked.size() + " acked");
            Await.until("a snapshot on the leader", 20, () -> cluster.replica(leader).snapshotsTaken() > 0,
                () -> "none");
            final int before = acked.size();
            cluster.stop(leader);
            final int next = cluster.awaitLeader(20);
            assertNotEquals(leader, next);
            Await.until("400 more acknowledged ops after the failover", 20, () -> acked.size() >= before + 400,
                () -> acked.size() + " acked");
            running.set(false);
            for (final Thread t : producers)
            {
                t.join(10_000);
                assertFalse(t.isAlive(), t.getName() + " did not stop");
            }
            assertTrue(failures.isEmpty(), () -> "producers failed: " + failures);

            final int a = (leader + 1) % 3;
            final int b = (leader + 2) % 3;
            final ReplicatedRegistry ra = cluster.replica(a);
            final ReplicatedRegistry rb = cluster.replica(b);
            Await.until("the survivors to apply the same log", 20,
                () -> ra.lastAppliedIndex() == rb.lastAppliedIndex() && ra.digest().equals(rb.digest()),
                () -> ra.lastAppliedIndex() + " vs " + rb.lastAppliedIndex());
            final List<MutationValue> log = cluster.applied(a);
            assertEquals(times(log), times(cluster.applied(b)), "the survivors applied different logs");

            final Set<Long> logged = new HashSet<>();
            for (final MutationValue m : log)
            {
                assertTrue(logged.add(m.time()), "op at time " + m.time() + " applied twice");
            }
            for (final Long time : acked)
            {
                assertTrue(logged.contains(time), "acknowledged op at time " + time + " is not in the log");
            }
            final String model = modelDigest(log);
            Await.until("the survivors' engines to reach the model's digest", 20,
                () -> model.equals(ra.digest()) && model.equals(rb.digest()), () -> ra.digest() + " vs " + model);

            cluster.start(leader);
            final ReplicatedRegistry back = cluster.replica(leader);
            Await.until("the restarted replica to catch up", 30, () -> model.equals(safeDigest(back)),
                () -> "applied " + back.lastAppliedIndex() + " of " + ra.lastAppliedIndex());
            assertTrue(back.snapshotsLoaded() > 0, "the restarted replica loaded no snapshot");
            System.out.printf("ReplicatedFailoverTest seed %d: %d acked, %d unknown, %d logged, leader r%d -> r%d, " +
                "restart from snapshot at index %d, %.1f s%n", seed, acked.size(), unknown.get(), log.size(), leader,
                next, back.restoredIndex(), (System.nanoTime() - started) / 1e9);
        }
    }

    private static void produce(
        final LoopbackCluster cluster,
        final Random random,
        final AtomicInteger leaderHint,
        final AtomicBoolean running,
        final AtomicLong clock,
        final AtomicLong versions,
        final Set<Long> acked,
        final AtomicInteger unknown) throws InterruptedException
    {
        while (running.get())
        {
            final int target = leaderHint.get();
            final ReplicatedRegistry replica = cluster.replica(target);
            if (null == replica)
            {
                leaderHint.compareAndSet(target, (target + 1) % cluster.size());
                continue;
            }
            final Mutation op = nextOp(random, clock.incrementAndGet(), versions);
            try
            {
                final OutcomeCode code = replica.submit(op).get(10, TimeUnit.SECONDS);
                assertNotNull(code);
                acked.add(op.time());
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof NotLeaderException)
                {
                    final String id = ((NotLeaderException)ex.getCause()).leaderId();
                    final int hinted = null == id ? (target + 1) % cluster.size() : cluster.indexOf(id);
                    leaderHint.compareAndSet(target, hinted);
                    LockSupport.parkNanos(5_000_000);   // an election is short; do not hammer a follower
                }
                else if (ex.getCause() instanceof UnknownOutcomeException)
                {
                    unknown.incrementAndGet();
                    leaderHint.compareAndSet(target, (target + 1) % cluster.size());
                }
                else
                {
                    throw new AssertionError("op at " + op.time() + " failed", ex.getCause());
                }
            }
            catch (final TimeoutException ex)
            {
                unknown.incrementAndGet();   // a leader that lost its majority: try the next replica
                leaderHint.compareAndSet(target, (target + 1) % cluster.size());
            }
        }
    }

    static Mutation nextOp(final Random random, final long time, final AtomicLong versions)
    {
        final int n = random.nextInt(IDS);
        final NodeId id = Peers.id(n);
        final int dice = random.nextInt(100);
        if (dice < 70)
        {
            return MutationValue.upsert(time, Peers.peer(n, versions.incrementAndGet(), time).build(), null);
        }
        if (dice < 85)
        {
            return MutationValue.remove(time, id);
        }
        if (dice < 97)
        {
            return MutationValue.touch(time, id, time);
        }
        return MutationValue.tick(time);
    }

    static String modelDigest(final List<MutationValue> log)
    {
        final RegistryState model = new RegistryState(LoopbackCluster.SETTINGS, List.of());
        final CommitResult result = new CommitResult();
        long sequence = 0;
        for (final MutationValue m : log)
        {
            model.commit(m, sequence++, result);
        }
        return StateDigest.of(model.view());
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

    private static String safeDigest(final ReplicatedRegistry r)
    {
        try
        {
            return r.digest();
        }
        catch (final IllegalStateException ex)
        {
            return "loading";
        }
    }
}
