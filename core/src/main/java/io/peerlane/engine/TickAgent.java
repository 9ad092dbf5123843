package io.peerlane.engine;

import org.agrona.concurrent.Agent;

import java.util.function.LongSupplier;

/**
 * Publishes a tick at a fixed interval of the engine's clock, so that expiry advances on an idle node.
 * Time enters the registry only through events; a tick skipped because the ring is full is harmless,
 * since the next op carries the time forward anyway.
 */
final class TickAgent implements Agent
{
    private final RingPublisher publisher;
    private final LongSupplier clock;
    private final long intervalMs;
    private long nextTickMs;

    TickAgent(final RingPublisher publisher, final LongSupplier clock, final long intervalMs)
    {
        this.publisher = publisher;
        this.clock = clock;
        this.intervalMs = intervalMs;
        this.nextTickMs = clock.getAsLong() + intervalMs;
    }

    @Override
    public int doWork()
    {
        final long now = clock.getAsLong();
        if (now < nextTickMs || publisher.isClosed())
        {
            return 0;
        }
        nextTickMs = now + intervalMs;
        try
        {
            publisher.tryTick();
        }
        catch (final EngineClosedException ignore)
        {
            // Closing: the ticker is being stopped too.
        }
        return 1;
    }

    @Override
    public String roleName()
    {
        return "peerlane-ticker";
    }
}
