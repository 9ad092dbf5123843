package io.peerlane.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Made-up results for report tests: every contender, a few runs, skewed latencies. */
final class SampleResults
{
    private SampleResults()
    {
    }

    static List<ContenderResult> all(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<ContenderResult> out = new ArrayList<>();
        double scale = 1;
        for (final ContenderKind kind : ContenderKind.values())
        {
            final List<RunResult> runs = new ArrayList<>();
            for (int r = 0; r < 3; r++)
            {
                final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
                for (final Metric metric : Metric.values())
                {
                    if (metric == Metric.OBSERVER && !kind.delivers())
                    {
                        continue;
                    }
                    final Histogram h = new Histogram(1, LatencyProbe.HIGHEST_NANOS, 3);
                    for (int i = 0; i < 5000; i++)
                    {
                        final double tail = random.nextDouble() < 0.01 ? 50 : 1;
                        h.recordValue((long)(scale * tail * (500 + random.nextInt(5000))));
                    }
                    histograms.put(metric, h);
                }
                final long nanos = (long)(scale * (1e8 + random.nextInt(10_000_000)));
                runs.add(new RunResult(100_000, nanos, 2 * nanos, 1 + random.nextInt(20), 10 + random.nextInt(200),
                    (long)(scale * 100_000 * (100 + random.nextInt(200))), 200 + random.nextInt(400), histograms, 0));
            }
            out.add(new ContenderResult(kind.cliName(), kind.description() + " <&\"'>", runs));
            scale *= 1.7;
        }
        return out;
    }
}
