package io.peerlane.tools.workload;

import io.peerlane.tools.ToolException;

/**
 * What a {@link WorkloadGenerator} makes: how many peers and ops, the mix of op kinds, batch sizes, the share of
 * validators, churn and the time the ops span. Immutable; {@link #parseMix} and {@link #parseBatchSize} read
 * the command-line forms.
 * <p>
 * Two shapes. A <em>stream</em> ({@code producers} 0, what {@code generate} writes) makes ops as real producers
 * send them, refusals and misses included. A <em>committed</em> workload ({@code producers} at least 1, what the
 * benchmark runs) first loads every peer once (the population, {@code peers} ops), then makes {@code ops} ops
 * each of which commits exactly one change, dealt to the producers so that op {@code i} touches only the slots
 * of producer {@code i % producers}; its op {@code i} has event time {@link #START_MS} plus {@code i}.
 */
public final class WorkloadSpec
{
    /** Event time of the first op: 2023-11-14T22:13:20Z, a fixed epoch so that output depends on the seed only. */
    public static final long START_MS = 1_700_000_000_000L;
    /** Default mix. */
    public static final String MIX_DEFAULT = "upsert=40,update=30,remove=5,batch=5,touch=20";

    /** Op kinds in the order of {@link #weights()}. */
    static final String[] KINDS = {"upsert", "update", "remove", "batch", "touch"};

    final long seed;
    final int peers;
    final long ops;
    final double[] weights;
    final int batchMin;
    final int batchMax;
    final double validators;
    final double churn;
    final long spanMs;
    final int producers;
    final int subnets;

    /**
     * @param seed       the seed: the same seed and spec give the same ops.
     * @param peers      slots in the peer pool, at least 1.
     * @param ops        ops to make, at least 1.
     * @param weights    relative weights of upsert, update, remove, batch, touch.
     * @param batchMin   fewest ops in a batch, 1 to 1024.
     * @param batchMax   most ops in a batch, batchMin to 1024.
     * @param validators share of slots that are validators, in [0, 1].
     * @param churn      chance that a removed slot comes back as a new identity, in [0, 1].
     * @param spanMs     event time from the first op to the last, at least 0.
     */
    public WorkloadSpec(
        final long seed,
        final int peers,
        final long ops,
        final double[] weights,
        final int batchMin,
        final int batchMax,
        final double validators,
        final double churn,
        final long spanMs)
    {
        check(peers >= 1 && peers <= (1 << 24), "--peers " + peers + ": must be in [1, 16777216]");
        check(ops >= 1, "--ops " + ops + ": must be at least 1");
        check(batchMin >= 1 && batchMax <= 1024 && batchMin <= batchMax,
            "--batch-size " + batchMin + ".." + batchMax + ": must be MIN..MAX with 1 <= MIN <= MAX <= 1024");
        check(validators >= 0 && validators <= 1, "--validators " + validators + ": must be in [0, 1]");
        check(churn >= 0 && churn <= 1, "--churn " + churn + ": must be in [0, 1]");
        check(spanMs >= 0 && spanMs < (1L << 50), "--span-ms " + spanMs + ": must be in [0, 2^50)");
        this.seed = seed;
        this.peers = peers;
        this.ops = ops;
        this.weights = weights.clone();
        this.batchMin = batchMin;
        this.batchMax = batchMax;
        this.validators = validators;
        this.churn = churn;
        this.spanMs = spanMs;
        this.producers = 0;
        this.subnets = 0;
    }

    /**
     * A committed workload, as the benchmark runs it: no churn, one millisecond of event time per op.
     *
     * @param seed       the seed: the same seed and spec give the same ops.
     * @param peers      the population, loaded before the measured ops, and the size of the id space.
     * @param ops        measured ops, at least 1.
     * @param producers  producer threads the ops and slots are dealt to, in [1, peers].
     * @param weights    relative weights of upsert (a new peer: re-adds a removed one), update, remove, batch, touch.
     * @param batchMin   fewest ops in a batch, 1 to 1024.
     * @param batchMax   most ops in a batch, batchMin to 1024.
     * @param validators share of slots that are validators, in [0, 1].
     * @param subnets    distinct IPv4 /24 subnets the endpoints spread over, 1 to 65536.
     * @return the spec.
     */
    public static WorkloadSpec committed(
        final long seed,
        final int peers,
        final int ops,
        final int producers,
        final double[] weights,
        final int batchMin,
        final int batchMax,
        final double validators,
        final int subnets)
    {
        final WorkloadSpec stream = new WorkloadSpec(seed, peers, ops, weights, batchMin, batchMax, validators, 0, ops);
        check(producers >= 1 && producers <= peers, "--producers " + producers + ": must be in [1, --peers]");
        check(subnets >= 1 && subnets <= 65536, "--subnets " + subnets + ": must be in [1, 65536]");
        return new WorkloadSpec(stream, producers, subnets);
    }

    private WorkloadSpec(final WorkloadSpec stream, final int producers, final int subnets)
    {
        this.seed = stream.seed;
        this.peers = stream.peers;
        this.ops = stream.ops;
        this.weights = stream.weights;
        this.batchMin = stream.batchMin;
        this.batchMax = stream.batchMax;
        this.validators = stream.validators;
        this.churn = stream.churn;
        this.spanMs = stream.spanMs;
        this.producers = producers;
        this.subnets = subnets;
    }

    /** @return the slots in the peer pool: for a committed workload, the population. */
    public int peers()
    {
        return peers;
    }

    /** @return the ops to make: for a committed workload, the measured ops after the population. */
    public long ops()
    {
        return ops;
    }

    /** @return the producers a committed workload is dealt to, or 0 for a stream. */
    public int producers()
    {
        return producers;
    }

    /** @return whether this is a committed workload: a population, then ops that each commit one change. */
    public boolean committed()
    {
        return producers > 0;
    }

    /** @return the weights of upsert, update, remove, batch, touch. */
    public double[] weights()
    {
        return weights.clone();
    }

    /**
     * @param text such as {@code upsert=50,update=30,remove=5,batch=5,touch=10}; kinds not named weigh 0.
     * @return the weights in the order of {@link #KINDS}.
     * @throws ToolException a usage error naming the bad part.
     */
    public static double[] parseMix(final String text)
    {
        final double[] weights = new double[KINDS.length];
        double sum = 0;
        for (final String part : text.split(","))
        {
            final int eq = part.indexOf('=');
            final String name = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            int kind = -1;
            for (int i = 0; i < KINDS.length; i++)
            {
                if (KINDS[i].equals(name))
                {
                    kind = i;
                }
            }
            check(eq > 0 && kind >= 0, "--mix " + text + ": '" + part + "' is not KIND=WEIGHT with KIND one of " +
                String.join(", ", KINDS));
            final double w;
            try
            {
                w = Double.parseDouble(part.substring(eq + 1).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw ToolException.usage("--mix " + text + ": '" + part + "' has no number");
            }
            check(w >= 0 && Double.isFinite(w), "--mix " + text + ": weight of " + name + " must be >= 0");
            weights[kind] = w;
            sum += w;
        }
        check(sum > 0, "--mix " + text + ": the weights add up to 0");
        return weights;
    }

    /**
     * @param text {@code MIN..MAX} or a single size.
     * @return {min, max}.
     * @throws ToolException a usage error.
     */
    public static int[] parseBatchSize(final String text)
    {
        try
        {
            final int dots = text.indexOf("..");
            if (dots < 0)
            {
                final int n = Integer.parseInt(text.trim());
                return new int[]{n, n};
            }
            return new int[]{Integer.parseInt(text.substring(0, dots).trim()),
                Integer.parseInt(text.substring(dots + 2).trim())};
        }
        catch (final NumberFormatException ex)
        {
            throw ToolException.usage("--batch-size " + text + ": must be MIN..MAX, such as 2..16");
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder s = new StringBuilder("seed ").append(seed).append(", ");
        if (committed())
        {
            s.append(peers).append(" peers loaded first, then ").append(ops).append(" ops, ").append(producers)
                .append(" producers, mix");
        }
        else
        {
            s.append(peers).append(" peers, ").append(ops).append(" ops, mix");
        }
        for (int i = 0; i < KINDS.length; i++)
        {
            s.append(' ').append(KINDS[i]).append('=').append(weights[i] == Math.rint(weights[i]) ?
                Long.toString((long)weights[i]) : Double.toString(weights[i]));
        }
        s.append(" (batches of ").append(batchMin).append('-').append(batchMax).append(" ops), validators ")
            .append(validators);
        return committed() ? s.append(", ").append(subnets).append(" /24 subnets").toString() :
            s.append(", churn ").append(churn).append(", over ").append(spanMs).append(" ms").toString();
    }

    private static void check(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw ToolException.usage(message);
        }
    }
}
