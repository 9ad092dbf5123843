package io.peerlane.engine;

import io.peerlane.journal.ForcePolicy;
import io.peerlane.journal.JournalWriter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The engine's threads beside the pipeline, each an Agrona {@link Agent} on its own {@link AgentRunner}: the
 * metrics sampler (lags, gauges, percentiles), the {@link TickAgent} when ticks are configured, and the
 * {@link JournalTick} under {@link ForcePolicy#EVERY_N_MS}. The tickers only publish into the ring, so they
 * stop first at a close; the sampler stops last, for one sample of the stopped stages.
 */
final class SideAgents
{
    private final EngineContext ctx;
    private final RingPublisher publisher;
    private final EngineMetrics metrics;
    private final StageErrors errors;
    private AgentRunner sampler;
    private AgentRunner ticker;
    private AgentRunner journalTicker;

    SideAgents(final EngineContext ctx, final RingPublisher publisher, final EngineMetrics metrics,
        final StageErrors errors)
    {
        this.ctx = ctx;
        this.publisher = publisher;
        this.metrics = metrics;
        this.errors = errors;
    }

    /** Starts the sampler, and the tickers that are configured. */
    void start(final boolean journalled)
    {
        sampler = start(new SleepingMillisIdleStrategy(25), metrics, "peerlane-metrics");
        if (ctx.tickIntervalMs() > 0)
        {
            ticker = new AgentRunner(new SleepingMillisIdleStrategy(Math.max(1, ctx.tickIntervalMs() / 4)),
                errors::record, null, new TickAgent(publisher, ctx.clock(), ctx.tickIntervalMs()));
            AgentRunner.startOnThread(ticker);
        }
        final JournalWriter.Context journalCtx = ctx.journal();
        if (journalled && journalCtx.forcePolicy() == ForcePolicy.EVERY_N_MS && journalCtx.forceIntervalMs() > 0)
        {
            // The writer checks its interval only at a batch end: on an idle engine a tick makes one.
            final long intervalMs = journalCtx.forceIntervalMs();
            final long idleMs = Math.max(1, Math.min(intervalMs / 4, 100));
            journalTicker = start(new SleepingMillisIdleStrategy(idleMs), new JournalTick(publisher, intervalMs),
                "peerlane-journal-tick");
        }
    }

    private AgentRunner start(final IdleStrategy idle, final Agent agent, final String name)
    {
        final AgentRunner runner = new AgentRunner(idle, errors::record, null, agent);
        AgentRunner.startOnThread(runner, r ->
        {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        return runner;
    }

    /** Stops the tickers, first thing at a close: nothing more is published. */
    void closeTickers()
    {
        if (null != ticker)
        {
            ticker.close();
        }
        if (null != journalTicker)
        {
            journalTicker.close();
        }
    }

    /** Stops the sampler, once the stages have stopped. */
    void closeSampler()
    {
        if (null != sampler)
        {
            sampler.close();
        }
    }
}
