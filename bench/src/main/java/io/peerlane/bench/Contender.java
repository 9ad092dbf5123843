package io.peerlane.bench;

/**
 * One design under test, opened fresh for each run. Producers call {@link #publish} from their own
 * threads; the harness times each call (the producer's hold-up) and waits on the {@link LatencyProbe}
 * until every op is committed and delivered before it calls {@link #close()}.
 */
interface Contender extends AutoCloseable
{
    /**
     * Hands one op to the design, blocking as the design does when it is full.
     *
     * @param op       the op.
     * @param producer the calling producer's index, from 0.
     */
    void publish(WorkloadOp op, int producer);

    /** Stops the design's threads, if it has any. */
    @Override
    void close();
}
