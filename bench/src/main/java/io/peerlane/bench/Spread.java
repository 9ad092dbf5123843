package io.peerlane.bench;

import java.util.Arrays;

/** The median and the range of a figure over repeated runs: what the reports print instead of a mean. */
public final class Spread
{
    private final double median;
    private final double min;
    private final double max;

    private Spread(final double median, final double min, final double max)
    {
        this.median = median;
        this.min = min;
        this.max = max;
    }

    /**
     * @param values one value per run, at least one.
     * @return their median, min and max.
     */
    public static Spread of(final double... values)
    {
        if (values.length == 0)
        {
            throw new IllegalArgumentException("spread of no values");
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        final double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Spread(median, sorted[0], sorted[sorted.length - 1]);
    }

    /** @return the median. */
    public double median()
    {
        return median;
    }

    /** @return the smallest value. */
    public double min()
    {
        return min;
    }

    /** @return the largest value. */
    public double max()
    {
        return max;
    }
}
