package io.peerlane.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** One binder bound to two registries: each gets every meter, and binding again changes neither. */
class MeterBinderRegistriesTest
{
    @Test
    void oneBinderBindsEveryMeterToEachRegistry()
    {
        final EngineCounters counters = EngineCounters.inMemory(8);
        final AtomicCounter events = counters.newCounter(CounterKind.OBSERVER_EVENTS, "audit");
        final AtomicCounter lag = counters.newCounter(CounterKind.OBSERVER_LAG, "audit");
        events.setRelease(7);
        lag.setRelease(3);
        final PeerlaneMeterBinder binder = new PeerlaneMeterBinder(counters, "engine", "e1");
        final SimpleMeterRegistry first = new SimpleMeterRegistry();
        final SimpleMeterRegistry second = new SimpleMeterRegistry();
        binder.bindTo(first);
        binder.bindTo(second);
        binder.bindTo(first);
        for (final SimpleMeterRegistry registry : new SimpleMeterRegistry[] {first, second})
        {
            assertEquals(2, registry.getMeters().size(), "meters in each registry");
            final FunctionCounter counter = registry.find(CounterKind.OBSERVER_EVENTS.metricName())
                .tag("observer", "audit").tag("engine", "e1").functionCounter();
            assertNotNull(counter, "the events counter is registered in each registry");
            assertEquals(7.0, counter.count());
            final Gauge gauge = registry.find(CounterKind.OBSERVER_LAG.metricName())
                .tag("observer", "audit").gauge();
            assertNotNull(gauge, "the lag gauge is registered in each registry");
            assertEquals(3.0, gauge.value());
        }
    }
}
