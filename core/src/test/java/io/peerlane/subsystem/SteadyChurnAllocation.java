package io.peerlane.subsystem;

import io.peerlane.observer.PeerObserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared body of the per-subsystem allocation tests: fill an observer to the churn's live population, warm
 * it up over whole cycles (so the JIT has compiled the event path and every pool and map has grown to its
 * steady size), then count the bytes this thread allocates while it delivers at least
 * {@link #MEASURED_RESULTS} more committed events, a whole number of cycles.
 */
public final class SteadyChurnAllocation
{
    /** Live peers of the churn. */
    public static final int LIVE = 1000;
    /** Ids that come and go. */
    public static final int IDS = 3000;
    /** Random ops per cycle. */
    public static final int CHURN_OPS = 12_000;
    /** Whole cycles delivered before measuring. */
    public static final int WARM_UP_CYCLES = 4;
    /** At least this many committed events are measured. */
    public static final int MEASURED_RESULTS = 100_000;
    /** The bound: less than one byte per committed event on average. */
    public static final double MAX_BYTES_PER_EVENT = 1.0;

    private SteadyChurnAllocation()
    {
    }

    /**
     * @param name name of the test, printed with the seed.
     * @return the churn, generated from a printed seed ({@code -Dpeerlane.seed} replays one).
     */
    public static SteadyChurn churn(final String name)
    {
        final long seed = Long.getLong("peerlane.seed", System.nanoTime());
        System.out.println(name + " seed=" + seed);
        return SteadyChurn.generate(seed, LIVE, IDS, CHURN_OPS);
    }

    /**
     * Fills, warms up and measures; fails when the event path allocated {@link #MAX_BYTES_PER_EVENT} or
     * more per committed event on average.
     *
     * @param name     name of the test, for the message.
     * @param churn    the churn.
     * @param observer the subsystem's observer, empty.
     * @return bytes allocated per committed event during the measurement.
     */
    public static double assertSteadyChurnAllocatesNothing(
        final String name, final SteadyChurn churn, final PeerObserver observer)
    {
        churn.fill(observer);
        final int cycle = churn.cycleLength();
        churn.deliver(observer, (long)WARM_UP_CYCLES * cycle);
        final long cycles = (MEASURED_RESULTS + cycle - 1) / cycle;
        final long events = cycles * cycle;
        final long cost = AllocationMeter.readingCost();

        final long before = AllocationMeter.allocatedBytes();
        churn.deliver(observer, events);
        final long after = AllocationMeter.allocatedBytes();

        final long bytes = after - before - cost;
        final double perEvent = (double)bytes / events;
        System.out.printf("%s: %d bytes over %d committed events (%d cycles), %.4f bytes/event%n",
            name, bytes, events, cycles, perEvent);
        assertTrue(perEvent < MAX_BYTES_PER_EVENT, name + " allocated " + bytes + " bytes over " + events +
            " steady-churn events: " + perEvent + " bytes/event, expected less than " + MAX_BYTES_PER_EVENT);
        return perEvent;
    }
}
