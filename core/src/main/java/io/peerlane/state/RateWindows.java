package io.peerlane.state;

/**
 * TRACE.md's rate windows on event time: one global window per second ({@code floor(t/1000)}) and one per
 * DID per minute ({@code floor(t/60000)}), each admitting while its count is below the limit. A window that
 * closes is reset, not kept, so memory is bounded by the DIDs seen in one minute. Counts change only
 * through {@link RegistryState}, which logs them for a batch's undo.
 */
final class RateWindows
{
    private long second = Long.MIN_VALUE;
    private long secondCount;
    private long minute = Long.MIN_VALUE;
    private final CountIndex<String> didCounts = new CountIndex<>(KeyHashers.STRING);

    /** Step 1: moves the windows to the event time. */
    void roll(final long t)
    {
        final long s = Math.floorDiv(t, 1000L);
        if (s != second)
        {
            second = s;
            secondCount = 0;
        }
        final long m = Math.floorDiv(t, 60_000L);
        if (m != minute)
        {
            minute = m;
            didCounts.clear();
        }
    }

    long globalCount()
    {
        return secondCount;
    }

    void globalCount(final long count)
    {
        secondCount = count;
    }

    int didCount(final String did)
    {
        return didCounts.get(did);
    }

    void didCount(final String did, final int count)
    {
        didCounts.set(did, count);
    }

    int didWindows()
    {
        return didCounts.size();
    }

    // Snapshots.

    long second()
    {
        return second;
    }

    long minute()
    {
        return minute;
    }

    void restore(final long second, final long secondCount, final long minute)
    {
        this.second = second;
        this.secondCount = secondCount;
        this.minute = minute;
    }

    void forEachDid(final java.util.function.ObjIntConsumer<String> visitor)
    {
        didCounts.forEach(visitor);
    }
}
