package io.peerlane.bench.jmh;

import io.peerlane.subsystem.SteadyChurn;

import io.peerlane.subsystem.kademlia.KademliaInvariants;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.mesh.MeshTopology;
import io.peerlane.subsystem.validator.ValidatorSet;
import io.peerlane.subsystem.validator.ValidatorSetObserver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Each built-in subsystem's event path under a steady churn at constant population: one op delivers the
 * next committed event of a prebuilt cycle ({@link SteadyChurn}: adds of reused and long-unused ids,
 * updates of the version only and of every field, touches, removes, batches; {@code live} peers out of
 * three times as many ids: 1,000, whose indexes fit a core's L2 cache, or 10,000, whose do not) to the
 * subsystem's observer. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be 0 B/op, which is what
 * the zero-garbage event path promises; the core allocation tests check the same
 * without JMH. Setup runs each subsystem through one whole cycle and checks it against the registry's live
 * records, so the cycle measured is one the subsystem really follows (the check allocates, so it stays out
 * of the measured iterations: JMH would count a trial teardown's allocation in the last iteration).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@State(Scope.Thread)
public class SubsystemChurnBenchmark
{
    private static final long SEED = 42;
    /** Live peers; the churn cycles over three times as many ids, twelve random ops per live peer at most. */
    @Param({"1000", "10000"})
    public int live;

    private SteadyChurn kademliaChurn;
    private SteadyChurn meshChurn;
    private SteadyChurn validatorChurn;
    private KademliaObserver kademlia;
    private MeshObserver mesh;
    private ValidatorSetObserver validators;

    @Setup(Level.Trial)
    public void setUp()
    {
        // One churn per subsystem, so that each benchmark walks its own cursor through the same cycle.
        final int ids = 3 * live;
        final int churnOps = Math.min(12 * live, 200_000);
        kademliaChurn = SteadyChurn.generate(SEED, live, ids, churnOps);
        meshChurn = SteadyChurn.generate(SEED, live, ids, churnOps);
        validatorChurn = SteadyChurn.generate(SEED, live, ids, churnOps);
        kademlia = new KademliaObserver(kademliaChurn.localId());
        mesh = new MeshObserver();
        validators = new ValidatorSetObserver();
        kademliaChurn.fill(kademlia);
        meshChurn.fill(mesh);
        validatorChurn.fill(validators);
        kademliaChurn.deliver(kademlia, kademliaChurn.cycleLength());
        meshChurn.deliver(mesh, meshChurn.cycleLength());
        validatorChurn.deliver(validators, validatorChurn.cycleLength());
        checkTheSubsystemsFollowTheChurn();
    }

    @Benchmark
    public void kademlia()
    {
        kademliaChurn.deliver(kademlia, 1);
    }

    @Benchmark
    public void mesh()
    {
        meshChurn.deliver(mesh, 1);
    }

    @Benchmark
    public void validatorSet()
    {
        validatorChurn.deliver(validators, 1);
    }

    private void checkTheSubsystemsFollowTheChurn()
    {
        final List<String> violations = KademliaInvariants.check(kademlia.table(), kademliaChurn.liveAtCycleEnd());
        if (!violations.isEmpty())
        {
            throw new IllegalStateException("kademlia table does not follow the churn: " + violations);
        }
        if (!MeshTopology.rebuild(meshChurn.liveAtCycleEnd()).equals(mesh.topology()))
        {
            throw new IllegalStateException("mesh topology does not follow the churn");
        }
        if (!ValidatorSet.rebuild(validatorChurn.liveAtCycleEnd()).equals(validators.validators()))
        {
            throw new IllegalStateException("validator set does not follow the churn");
        }
    }
}
