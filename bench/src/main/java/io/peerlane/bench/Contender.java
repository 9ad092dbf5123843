package io.peerlane.bench;

import io.peerlane.mutation.MutationValue;

/**
 * One design under test, opened fresh for each run. The harness first loads the workload's population
 * ({@link #load}, untimed, from one thread), then producers call {@link #publish} from their own threads;
 * the harness times each call (the producer's hold-up) and waits on the {@link LatencyProbe} until every op
 * is committed and delivered before it calls {@link #close()}.
 */
interface Contender extends AutoCloseable
{
    /**
     * Hands one op to the design, blocking as the design does when it is full.
     *
     * @param op       the op.
     * @param producer the calling producer's index, from 0.
     */
    void publish(MutationValue op, int producer);

    /**
     * Untimed: hands one op of the population to the design. It must reach the design's state and its
     * observers as a measured op would; by default it is published like one.
     *
     * @param op       an op of the population.
     * @param producer the producer that owns it.
     */
    default void load(final MutationValue op, final int producer)
    {
        publish(op, producer);
    }

    /** Called once the whole population is committed and delivered, before the heap is measured. */
    default void loaded()
    {
    }

    /** Stops the design's threads, if it has any. */
    @Override
    void close();
}
