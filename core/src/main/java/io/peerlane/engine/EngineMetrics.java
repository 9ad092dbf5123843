package io.peerlane.engine;

import com.lmax.disruptor.RingBuffer;
import io.peerlane.metrics.CounterKind;
import io.peerlane.metrics.EngineCounters;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The engine's counters and their writers. Each counter has one writer, except an observer's failures and
 * deadline misses, which its prepare lane, publish lane and vote runner may all count and {@code readmit()}
 * resets: those are incremented atomically, on the fault path only. The writers: the commit stage (outcomes, refusals,
 * live peers, tombstones, bans), an observer's lanes or relay (its counts, in {@link ObserverHandle}), the
 * journal stage (records, bytes, force time, errors), and this agent, the sampler, for what no stage owns:
 * each stage's events and lag behind the ring's cursor (read from the Disruptor's sequences), the ring's free
 * slots, each observer's state, lag and callback time percentiles (folded from its recorders), and the
 * heartbeat readers in other processes check.
 * <p>
 * The sampler runs every {@value #SAMPLE_INTERVAL_MS} ms (percentiles every {@value #PERCENTILE_INTERVAL_MS} ms) on a thread of its own and takes no lock a stage thread takes: it reads
 * the roster from a copy-on-write array the roster's writers replace, and the recorders' monitors are taken
 * only by readers of stats. A stage's hot path writes its counters with a plain read and a release store.
 */
final class EngineMetrics implements Agent
{
    /** Gauges and the heartbeat: often, so that rates over a second are not skewed by a whole sample. */
    static final long SAMPLE_INTERVAL_MS = 100;
    /** Callback time percentiles. */
    static final long PERCENTILE_INTERVAL_MS = 1_000;

    final EngineCounters counters;
    private final AtomicCounter[] outcomes = new AtomicCounter[OutcomeCode.values().length];
    private final AtomicCounter[] refusals = new AtomicCounter[Refusal.values().length];
    final AtomicCounter listenerFailures;
    private final AtomicCounter peersLive;
    private final AtomicCounter tombstones;
    private final AtomicCounter bans;
    private final AtomicCounter ringCapacity;
    private final AtomicCounter ringRemaining;
    private final AtomicCounter stageErrorCount;
    final AtomicCounter journalRecords;
    final AtomicCounter journalBytes;
    final AtomicCounter journalForceNanos;
    final AtomicCounter journalErrors;
    private StageActivity[] stages = new StageActivity[0];
    private AtomicCounter[] stageEvents = new AtomicCounter[0];
    private AtomicCounter[] stageLag = new AtomicCounter[0];
    private volatile ObserverHandle[] roster = ObserverHandle.NONE;
    private final ConcurrentLinkedQueue<ObserverHandle> retired = new ConcurrentLinkedQueue<>();
    private RingBuffer<MutationEvent> ring;
    private RegistryState registry;
    private StageErrors stageErrors;
    private long lastSampleMs;
    private long lastPercentilesMs;

    EngineMetrics(final EngineCounters counters, final boolean journal)
    {
        this.counters = counters;
        for (final OutcomeCode code : OutcomeCode.values())
        {
            outcomes[code.ordinal()] = counters.newCounter(CounterKind.OUTCOMES, code.name());
        }
        for (final Refusal refusal : Refusal.values())
        {
            refusals[refusal.ordinal()] = counters.newCounter(CounterKind.REFUSALS, refusal.name());
        }
        listenerFailures = counters.newCounter(CounterKind.LISTENER_FAILURES, null);
        peersLive = counters.newCounter(CounterKind.PEERS_LIVE, null);
        tombstones = counters.newCounter(CounterKind.TOMBSTONES, null);
        bans = counters.newCounter(CounterKind.BANS, null);
        ringCapacity = counters.newCounter(CounterKind.RING_CAPACITY, null);
        ringRemaining = counters.newCounter(CounterKind.RING_REMAINING, null);
        stageErrorCount = counters.newCounter(CounterKind.STAGE_ERRORS, null);
        journalRecords = journal ? counters.newCounter(CounterKind.JOURNAL_RECORDS, null) : null;
        journalBytes = journal ? counters.newCounter(CounterKind.JOURNAL_BYTES, null) : null;
        journalForceNanos = journal ? counters.newCounter(CounterKind.JOURNAL_FORCE_NS, null) : null;
        journalErrors = journal ? counters.newCounter(CounterKind.JOURNAL_ERRORS, null) : null;
    }

    /** Counters an engine needs for this many observers and stages, with room for observers being replaced. */
    static int capacity(final int maxObservers, final int stageCount)
    {
        return 64 + 2 * stageCount + 2 * maxObservers * ObserverHandle.COUNTERS;
    }

    /** Wiring, once, before the engine starts. */
    void wire(
        final RingBuffer<MutationEvent> ring,
        final RegistryState registry,
        final StageErrors stageErrors,
        final List<StageActivity> stageList)
    {
        this.ring = ring;
        this.registry = registry;
        this.stageErrors = stageErrors;
        stages = stageList.toArray(new StageActivity[0]);
        stageEvents = new AtomicCounter[stages.length];
        stageLag = new AtomicCounter[stages.length];
        for (int i = 0; i < stages.length; i++)
        {
            stageEvents[i] = counters.newCounter(CounterKind.STAGE_EVENTS, stages[i].stageName);
            stageLag[i] = counters.newCounter(CounterKind.STAGE_LAG, stages[i].stageName);
        }
        ringCapacity.setRelease(ring.getBufferSize());
        ringRemaining.setRelease(ring.remainingCapacity());
    }

    // The commit stage's part.

    /** On the commit thread, for every decided mutation: allocation-free, no lock, release stores only. */
    void outcome(final CommitResult result)
    {
        outcomes[result.code().ordinal()].incrementRelease();
        if (result.code() == OutcomeCode.REJECTED || result.code() == OutcomeCode.BATCH_FAILED)
        {
            final Refusal refusal = result.refusal();
            if (null != refusal)
            {
                refusals[refusal.ordinal()].incrementRelease();
            }
        }
    }

    /** On the commit thread, at the end of each run of events. */
    void registrySize()
    {
        peersLive.setRelease(registry.size());
        tombstones.setRelease(registry.tombstoneCount());
        bans.setRelease(registry.banCount());
    }

    long outcomes(final OutcomeCode code)
    {
        return outcomes[code.ordinal()].get();
    }

    long refusals(final Refusal refusal)
    {
        return refusals[refusal.ordinal()].get();
    }

    /**
     * The health report's counter lines: the ring, the registry's sizes, the outcomes (from these counters,
     * so they agree with the stat tool and Micrometer) and the journal's counters.
     */
    void describe(final StringBuilder sb)
    {
        sb.append("  ring ").append(ringRemaining.get()).append(" of ").append(ringCapacity.get())
            .append(" free at the last sample; ").append(peersLive.get()).append(" live peers, ")
            .append(tombstones.get()).append(" tombstones, ").append(bans.get()).append(" bans at the last run\n");
        sb.append("  outcomes {");
        boolean first = true;
        for (final OutcomeCode code : OutcomeCode.values())
        {
            final long n = outcomes[code.ordinal()].get();
            if (n != 0)
            {
                sb.append(first ? "" : ", ").append(code.name()).append('=').append(n);
                first = false;
            }
        }
        sb.append("}\n");
        if (null != journalRecords)
        {
            sb.append("  journal ").append(journalRecords.get()).append(" records, ").append(journalBytes.get())
                .append(" bytes, ").append(journalForceNanos.get() / 1_000_000).append(" ms forcing, ")
                .append(journalErrors.get()).append(" errors\n");
        }
        if (listenerFailures.get() > 0)
        {
            sb.append("  outcome listener failures ").append(listenerFailures.get()).append('\n');
        }
        if (null != counters.file())
        {
            sb.append("  counters ").append(counters.file()).append('\n');
        }
    }

    // The roster's writers (under the engine's roster lock).

    void added(final ObserverHandle handle)
    {
        final ObserverHandle[] now = roster;
        final ObserverHandle[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = handle;
        roster = next;
    }

    void removed(final ObserverHandle handle)
    {
        final List<ObserverHandle> next = new ArrayList<>(Arrays.asList(roster));
        if (next.remove(handle))
        {
            roster = next.toArray(ObserverHandle.NONE);
            retired.add(handle);
        }
    }

    // The sampler.

    @Override
    public int doWork()
    {
        final long now = System.currentTimeMillis();
        if (now - lastSampleMs < SAMPLE_INTERVAL_MS)
        {
            return 0;
        }
        lastSampleMs = now;
        final boolean percentiles = now - lastPercentilesMs >= PERCENTILE_INTERVAL_MS;
        if (percentiles)
        {
            lastPercentilesMs = now;
        }
        sample(percentiles);
        return 1;
    }

    /**
     * One sample of everything the sampler owns; by the sampler's thread, or by close() once it stopped. Allocates
     * nothing (the roster is an array, the histograms are recycled), so it adds no garbage to a measured run.
     */
    void sample(final boolean percentiles)
    {
        final long cursor = ring.getCursor();
        for (int i = 0; i < stages.length; i++)
        {
            final long sequence = stages[i].sequenceValue();
            stageEvents[i].setRelease(sequence + 1);
            stageLag[i].setRelease(Math.max(0, cursor - sequence));
        }
        ringRemaining.setRelease(ring.remainingCapacity());
        stageErrorCount.setRelease(stageErrors.count());
        final long eventSeq = registry.publishedEventSeq();
        for (final ObserverHandle handle : roster)
        {
            handle.sample(eventSeq, percentiles);
        }
        // An unregistered observer's counters go back once nothing of it runs: its lanes stop at the cut, its
        // relay once it has stopped. A sample later, so that readers listing it see its last values once.
        for (int n = retired.isEmpty() ? 0 : retired.size(); n > 0; n--)
        {
            final ObserverHandle handle = retired.poll();
            if (null == handle)
            {
                break;
            }
            if ((handle.cutDelivered || handle.state == ObserverHandle.State.UNREGISTERED) &&
                (null == handle.relay || handle.relay.stopped()))
            {
                handle.sample(eventSeq, true);
                handle.freeCounters();
            }
            else
            {
                retired.add(handle);
            }
        }
        counters.heartbeat(System.currentTimeMillis());
    }

    @Override
    public String roleName()
    {
        return "peerlane-metrics";
    }
}
