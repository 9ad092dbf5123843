package io.peerlane.bench.jmh;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.subsystem.kademlia.AddResult;
import io.peerlane.subsystem.kademlia.KademliaTable;
import io.peerlane.subsystem.kademlia.MarkResult;
import io.peerlane.subsystem.validator.ValidatorChangeSet;
import io.peerlane.subsystem.validator.ValidatorSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The subsystems' own API in steady state, as a node drives them (the observers' event path is
 * {@link SubsystemChurnBenchmark}). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be 0 B/op.
 * <ul>
 * <li>{@code kademliaAdd}: {@link KademliaTable#add} of the next of 8,192 prebuilt records (two records,
 * with different addresses in 128 IPv4 /24s, for 4,096 random ids) into a default table (k = 20, diversity limits
 * on)
 * that has already seen them all: members refreshed or moved between networks, full buckets caching
 * newcomers and naming candidates, diversity refusals, bounded caches dropping their oldest.</li>
 * <li>{@code kademliaClosest}: {@link KademliaTable#closest(NodeId, PeerRecord[])} of the 20 members closest
 * to the next of 1,024 random targets, into a reused array.</li>
 * <li>{@code kademliaEviction}: one round of the ping policy: add the next pool record; if its bucket was full
 * and names a candidate, {@link KademliaTable#markDead} it (the newcomer takes its place; the evicted peer
 * comes back later in the cycle).</li>
 * <li>{@code validatorApply}: {@link ValidatorSet#apply} of the next of 1,024 prebuilt change sets of 8
 * entries against 128 validators (power changes and removals, then the change set that restores them).</li>
 * </ul>
 * Setup checks that each cycle does what it says (the results seen, the validator set back where it began).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Thread)
public class SubsystemOpsBenchmark
{
    private static final long SEED = 42;
    private static final int IDS = 4096;
    private static final int RECORDS = 2 * IDS;
    private static final int TARGETS = 1024;
    private static final int VALIDATORS = 128;
    private static final int CHANGE_SETS = 1024;
    private static final int CHANGES = 8;

    private PeerRecord[] records;
    private NodeId[] targets;
    private KademliaTable table;
    private KademliaTable evictionTable;
    private final PeerRecord[] closest = new PeerRecord[20];
    private ValidatorSet validators;
    private ValidatorChangeSet[] changeSets;
    private int nextRecord;
    private int nextEviction;
    private int nextTarget;
    private int nextChangeSet;

    @Setup(Level.Trial)
    public void setUp()
    {
        final Random random = new Random(SEED);
        final NodeId local = randomId(random);
        final NodeId[] ids = new NodeId[IDS];
        for (int i = 0; i < IDS; i++)
        {
            ids[i] = randomId(random);
        }
        records = new PeerRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++)
        {
            final int who = random.nextInt(IDS);
            records[i] = PeerRecord.builder(ids[who])
                .did("did:bench:k" + who).device("d").publicKey(PublicKey.fromHex("publicKey", String.format("%08x", who)))
                .version(1 + i).lastSeen(i)
                .endpoint(Endpoint.of("10." + random.nextInt(4) + "." + random.nextInt(32) + "." + (1 + random.nextInt(200)) +
                    ":4000", Protocol.TCP, 5, 0.9))
                .build();
        }
        targets = new NodeId[TARGETS];
        for (int i = 0; i < TARGETS; i++)
        {
            targets[i] = randomId(random);
        }
        table = new KademliaTable(local);
        evictionTable = new KademliaTable(local);
        final int[] results = new int[AddResult.values().length];
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < RECORDS; i++)
            {
                results[kademliaAdd().ordinal()]++;
                kademliaEviction();
            }
        }
        for (final AddResult r : List.of(AddResult.ADDED, AddResult.UPDATED, AddResult.CACHED,
            AddResult.REFUSED_BUCKET_DIVERSITY))
        {
            if (0 == results[r.ordinal()])
            {
                throw new IllegalStateException("the add cycle never gave " + r + ": " + java.util.Arrays.toString(results));
            }
        }
        int evicted = 0;
        for (int i = 0; i < RECORDS; i++)
        {
            evicted += kademliaEviction() == MarkResult.REPLACED ? 1 : 0;
        }
        if (0 == evicted || kademliaClosest() != closest.length)
        {
            throw new IllegalStateException("the eviction cycle replaced " + evicted + " members");
        }

        validators = new ValidatorSet();
        final PublicKey[] keys = new PublicKey[VALIDATORS];
        final ValidatorChangeSet initial = new ValidatorChangeSet(VALIDATORS);
        for (int i = 0; i < VALIDATORS; i++)
        {
            keys[i] = PublicKey.fromHex("publicKey", String.format("%04x", i));
            initial.set(ids[i], keys[i], 1 + i);
        }
        validators.apply(initial);
        final ValidatorSet start = new ValidatorSet();
        start.apply(initial);
        changeSets = new ValidatorChangeSet[CHANGE_SETS];
        for (int m = 0; m < CHANGE_SETS; m += 2)
        {
            // A step that removes some validators of a window and changes the others, then one that restores it.
            final ValidatorChangeSet step = new ValidatorChangeSet(CHANGES);
            final ValidatorChangeSet restore = new ValidatorChangeSet(CHANGES);
            for (int j = 0; j < CHANGES; j++)
            {
                final int v = (m / 2 * CHANGES + j) % VALIDATORS;
                step.set(ids[v], null, j % 3 == 0 ? 0 : 1 + v + m);
                restore.set(ids[v], keys[v], 1 + v);
            }
            changeSets[m] = step;
            changeSets[m + 1] = restore;
        }
        for (int i = 0; i < CHANGE_SETS; i++)
        {
            if (!validatorApply())
            {
                throw new IllegalStateException("change set " + i + " changed nothing");
            }
        }
        if (!validators.equals(start))
        {
            throw new IllegalStateException("the change-set cycle does not bring the validators back");
        }
    }

    @Benchmark
    public AddResult kademliaAdd()
    {
        final PeerRecord r = records[nextRecord];
        nextRecord = (nextRecord + 1) & (RECORDS - 1);
        return table.add(r);
    }

    @Benchmark
    public int kademliaClosest()
    {
        final NodeId target = targets[nextTarget];
        nextTarget = (nextTarget + 1) & (TARGETS - 1);
        return table.closest(target, closest);
    }

    @Benchmark
    public MarkResult kademliaEviction()
    {
        final PeerRecord r = records[nextEviction];
        nextEviction = (nextEviction + 1) & (RECORDS - 1);
        if (evictionTable.add(r) == AddResult.CACHED)
        {
            final PeerRecord candidate = evictionTable.pendingCandidate(evictionTable.bucketIndex(r.id()));
            if (null != candidate)
            {
                return evictionTable.markDead(candidate.id());
            }
        }
        return MarkResult.KEPT;
    }

    @Benchmark
    public boolean validatorApply()
    {
        final ValidatorChangeSet changes = changeSets[nextChangeSet];
        nextChangeSet = (nextChangeSet + 1) & (CHANGE_SETS - 1);
        return validators.apply(changes);
    }

    private static NodeId randomId(final Random random)
    {
        return NodeId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }
}
