package io.peerlane.bench;

/**
 * What a synthetic workload is made of. Immutable; the same spec and seed always give the same ops.
 * {@code peers} peers are loaded first (the population); the mix of the measured ops is in parts (not
 * necessarily summing to 100): new peers (re-adding removed ones), updates, touches, removes, batches.
 */
public final class WorkloadSpec
{
    final long seed;
    final int peers;
    final int ops;
    final int producers;
    final int newParts;
    final int updateParts;
    final int touchParts;
    final int removeParts;
    final int batchParts;
    final int maxBatchOps;
    final double validatorFraction;
    final int subnets;

    /**
     * @param seed              the random seed.
     * @param peers             the population, loaded before the measured ops, and the size of the id space.
     * @param ops               number of measured ops.
     * @param producers         producer threads; ids and ops are partitioned among them.
     * @param mix               parts of new, update, touch, remove and batch ops, in that order.
     * @param maxBatchOps       largest batch, at least 2.
     * @param validatorFraction fraction of peers that are validators, in [0, 1].
     * @param subnets           number of distinct IPv4 /24 subnets the endpoints spread over.
     */
    public WorkloadSpec(
        final long seed,
        final int peers,
        final int ops,
        final int producers,
        final int[] mix,
        final int maxBatchOps,
        final double validatorFraction,
        final int subnets)
    {
        this.seed = seed;
        this.peers = peers;
        this.ops = ops;
        this.producers = producers;
        this.newParts = mix[0];
        this.updateParts = mix[1];
        this.touchParts = mix[2];
        this.removeParts = mix[3];
        this.batchParts = mix[4];
        this.maxBatchOps = maxBatchOps;
        this.validatorFraction = validatorFraction;
        this.subnets = subnets;
    }

    /** @return the number of ops. */
    public int ops()
    {
        return ops;
    }

    /** @return the number of producers. */
    public int producers()
    {
        return producers;
    }

    @Override
    public String toString()
    {
        return "seed " + seed + ", " + peers + " peers loaded first, then " + ops + " ops, " + producers + " producers, mix new=" +
            newParts + " update=" + updateParts + " touch=" + touchParts + " remove=" + removeParts + " batch=" +
            batchParts + " (2-" + maxBatchOps + " ops), validators " + validatorFraction + ", " + subnets + " /24 subnets";
    }
}
