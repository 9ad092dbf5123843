package io.peerlane.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.agrona.concurrent.status.CountersReader;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exposes an engine's counters ({@code engine.counters()}) to Micrometer: each monotonic counter as a
 * {@link FunctionCounter}, each gauge as a {@link Gauge}, named by {@link CounterKind#metricName()} and tagged
 * with its one bounded tag (stage, outcome, reason or observer) plus the binder's common tags.
 * <p>
 * A scrape reads each value with one volatile load from the counters' buffer: no lock, nothing the engine's
 * threads ever wait for (unlike a gauge that calls into a structure guarded by a monitor the writer needs).
 * The meters are those allocated when {@link #bindTo} runs: bind after the engine has started and its
 * observers are registered; an observer registered later is bound by calling {@code bindTo} again (meters
 * already there are kept). One binder may be bound to several registries: each gets every meter. An unregistered observer's meters read NaN once its counters are freed; one registered
 * again under the same name gets its new counters at the next {@code bindTo}. Micrometer is an optional dependency of peerlane-core: add
 * {@code io.micrometer:micrometer-core} to use this class.
 */
public final class PeerlaneMeterBinder implements MeterBinder
{
    private final EngineCounters counters;
    private final Tags commonTags;
    /**
     * Per registry (weakly held: a registry dropped by its owner is not kept alive here), the registration id of
     * the counter bound under each metric name and tags. Bookkeeping is per registry so that binding this binder
     * to a second registry registers every meter there too.
     */
    private final java.util.Map<MeterRegistry, java.util.Map<String, Long>> boundByRegistry =
        new java.util.WeakHashMap<>();

    /**
     * @param counters the engine's counters, {@code engine.counters()}.
     * @param tags     tags added to every meter (say, the engine's name), as key, value pairs.
     */
    public PeerlaneMeterBinder(final EngineCounters counters, final String... tags)
    {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.commonTags = Tags.of(tags);
    }

    /** The counter's value while it is the one bound (allocated, same registration) before and after the read. */
    private static double valueOf(final CountersReader reader, final int id, final long registrationId)
    {
        if (reader.getCounterState(id) != CountersReader.RECORD_ALLOCATED ||
            reader.getCounterRegistrationId(id) != registrationId)
        {
            return Double.NaN;
        }
        final long value = reader.getCounterValue(id);
        return reader.getCounterState(id) == CountersReader.RECORD_ALLOCATED &&
            reader.getCounterRegistrationId(id) == registrationId ? value : Double.NaN;
    }

    @Override
    public synchronized void bindTo(final MeterRegistry registry)
    {
        Objects.requireNonNull(registry, "registry");
        final java.util.Map<String, Long> boundRegistrations =
            boundByRegistry.computeIfAbsent(registry, r -> new java.util.HashMap<>());
        final CountersReader reader = counters.reader();
        for (final EngineCounters.Entry entry : counters.entries())
        {
            final CounterKind kind = entry.kind();
            final Tags tags = null == kind.tagKey() || null == entry.tag() ?
                commonTags : commonTags.and(Tag.of(kind.tagKey(), entry.tag()));
            final int id = entry.id();
            final long registrationId = entry.registrationId();
            final String key = kind.metricName() + tags;
            final Long bound = boundRegistrations.get(key);
            if (null != bound && bound == registrationId)
            {
                continue;
            }
            if (null != bound)
            {
                // The same name and tags on a newer counter (an observer registered again under its name).
                final io.micrometer.core.instrument.Meter stale = registry.find(kind.metricName()).tags(tags).meter();
                if (null != stale)
                {
                    registry.remove(stale);
                }
            }
            boundRegistrations.put(key, registrationId);
            // A counter freed since (an unregistered observer's) reads NaN, never the value of its slot's next owner.
            final ToDoubleFunction<CountersReader> value = r -> valueOf(r, id, registrationId);
            if (kind.monotonic())
            {
                FunctionCounter.builder(kind.metricName(), reader, value)
                    .tags(tags)
                    .register(registry);
            }
            else
            {
                Gauge.builder(kind.metricName(), reader, value)
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            }
        }
    }
}
