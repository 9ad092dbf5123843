package io.peerlane.engine;

import io.peerlane.observer.ObserverStats;
import io.peerlane.state.RegistryState;

/**
 * The engine's health report for people ({@link PeerlaneEngine#healthReport()}): each stage with its
 * sequence and the observer it is in, each observer with its counters and state, the outcome counts, and
 * every loud condition (a failed journal, a writer left open, a close that gave up, errors in stages). Built
 * on demand from counters and activities that the stages publish anyway; it takes no stage's time.
 */
final class HealthReport
{
    private final EngineContext ctx;
    private final RegistryState registry;
    private final StageGraph graph;
    private final RingPublisher publisher;
    private final ObserverRoster roster;
    private final EngineCloser closer;
    private final EngineMetrics metrics;
    private final StageErrors errors;

    HealthReport(
        final EngineContext ctx,
        final RegistryState registry,
        final StageGraph graph,
        final RingPublisher publisher,
        final ObserverRoster roster,
        final EngineCloser closer,
        final EngineMetrics metrics,
        final StageErrors errors)
    {
        this.ctx = ctx;
        this.registry = registry;
        this.graph = graph;
        this.publisher = publisher;
        this.roster = roster;
        this.closer = closer;
        this.metrics = metrics;
        this.errors = errors;
    }

    String render()
    {
        final long now = System.nanoTime();
        final StringBuilder sb = new StringBuilder(512);
        sb.append("peerlane engine: ").append(ctx.topology()).append(", ring ").append(ctx.ringSize())
            .append(", wait ").append(ctx.waitStrategy())
            .append(publisher.closed ? ", CLOSED" : publisher.started ? ", running" : ", not started").append('\n');
        sb.append("  cursor ").append(publisher.cursor()).append(", committed view at sequence ")
            .append(registry.publishedSequence()).append(", ").append(registry.publishedSize()).append(" live peers\n");
        for (final StageActivity stage : graph.distinctStages())
        {
            sb.append("  stage ").append(stage.describe(now)).append('\n');
        }
        for (final ObserverStats s : roster.observerStats())
        {
            sb.append("  observer ").append(s).append('\n');
        }
        metrics.describe(sb);
        sb.append("  reasons ").append(registry.stats().reasons()).append('\n');
        final JournalStage journal = graph.journal;
        if (null != journal && null != journal.failure())
        {
            sb.append("  JOURNAL FAILED (").append(ctx.journalFailurePolicy()).append("): ")
                .append(journal.failure().getMessage()).append('\n');
        }
        if (closer.journalLeftOpen())
        {
            sb.append("  JOURNAL WRITER LEFT OPEN at close: the journal's thread did not stop within closeTimeout ")
                .append(ctx.closeTimeout()).append("; it closes the writer (force, cut, unmap) when it stops\n");
        }
        for (final ObserverHandle handle : closer.closeShortfall())
        {
            final long undelivered = handle.undeliveredAtClose();
            if (undelivered > 0)
            {
                sb.append("  CLOSE TIMEOUT: observer '").append(handle.name).append("' ").append(handle.role)
                    .append(" was not given ").append(undelivered).append(" events up to event seq ")
                    .append(handle.owedUpTo()).append(" (given up to ").append(handle.lastEventSeq.get())
                    .append(") within closeTimeout ").append(ctx.closeTimeout()).append('\n');
            }
        }
        if (errors.count() > 0)
        {
            sb.append("  ERRORS in stages: ").append(errors.count()).append(", last: ").append(errors.last())
                .append('\n');
        }
        return sb.toString();
    }
}
