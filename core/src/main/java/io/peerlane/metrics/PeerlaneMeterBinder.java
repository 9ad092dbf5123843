package io.peerlane.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.agrona.concurrent.status.CountersReader;

import java.util.Objects;

/**
 * Exposes an engine's counters ({@code engine.counters()}) to Micrometer: each monotonic counter as a
 * {@link FunctionCounter}, each gauge as a {@link Gauge}, named by {@link CounterKind#metricName()} and tagged
 * with its one bounded tag (stage, outcome, reason or observer) plus the binder's common tags.
 * <p>
 * A scrape reads each value with one volatile load from the counters' buffer: no lock, nothing the engine's
 * threads ever wait for (unlike a gauge that calls into a structure guarded by a monitor the writer needs).
 * The meters are those allocated when {@link #bindTo} runs: bind after the engine has started and its
 * observers are registered; an observer registered later is bound by calling {@code bindTo} again (meters
 * already there are kept). Micrometer is an optional dependency of peerlane-core: add
 * {@code io.micrometer:micrometer-core} to use this class.
 */
public final class PeerlaneMeterBinder implements MeterBinder
{
    private final EngineCounters counters;
    private final Tags commonTags;

    /**
     * @param counters the engine's counters, {@code engine.counters()}.
     * @param tags     tags added to every meter (say, the engine's name), as key, value pairs.
     */
    public PeerlaneMeterBinder(final EngineCounters counters, final String... tags)
    {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.commonTags = Tags.of(tags);
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final CountersReader reader = counters.reader();
        for (final EngineCounters.Entry entry : counters.entries())
        {
            final CounterKind kind = entry.kind();
            final Tags tags = null == kind.tagKey() || null == entry.tag() ?
                commonTags : commonTags.and(Tag.of(kind.tagKey(), entry.tag()));
            final int id = entry.id();
            if (kind.monotonic())
            {
                FunctionCounter.builder(kind.metricName(), reader, r -> r.getCounterValue(id))
                    .tags(tags)
                    .register(registry);
            }
            else
            {
                Gauge.builder(kind.metricName(), reader, r -> r.getCounterValue(id))
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            }
        }
    }
}
