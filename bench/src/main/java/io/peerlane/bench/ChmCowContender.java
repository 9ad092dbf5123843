package io.peerlane.bench;

import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The naive design: a {@link ConcurrentHashMap} of peers and listeners in a {@link CopyOnWriteArrayList},
 * called on the producer's thread after each put. It applies no rules (no versions, no atomic batches, no
 * single order across producers), so it does less work than the others; the events it hands its listeners
 * are the ones the workload check recorded, built before timing. The population's events are not kept
 * with the workload (they would cost a few hundred bytes per peer): {@link #load} makes each one with a
 * scratch {@link RegistryState}, untimed, and drops that state once the population is in.
 */
final class ChmCowContender implements Contender
{
    private final ConcurrentHashMap<NodeId, PeerRecord> peers;
    private final CopyOnWriteArrayList<PeerObserver> listeners = new CopyOnWriteArrayList<>();
    private final RegistryEvent[] events;
    private final Workload workload;
    private final LatencyProbe probe;
    private RegistryState loader;
    private CommitResult loaded;

    ChmCowContender(final ContenderSetup setup)
    {
        workload = setup.workload;
        probe = setup.probe;
        // Not presized: a table sized to the population before loading would hide its cost from B/peer.
        peers = new ConcurrentHashMap<>();
        for (final PeerObserver observer : setup.observersWithProbe())
        {
            listeners.add(observer);
        }
        events = new RegistryEvent[workload.producers()];
        for (int i = 0; i < events.length; i++)
        {
            events[i] = new RegistryEvent();
        }
    }

    @Override
    public void load(final MutationValue op, final int producer)
    {
        if (null == loader)
        {
            loader = new RegistryState(workload.settings(), List.of());
            loaded = new CommitResult();
        }
        loader.commit(op, Workload.indexOf(op), loaded);
        apply(op, producer, loaded);
    }

    @Override
    public void loaded()
    {
        loader = null;
        loaded = null;
    }

    @Override
    public void publish(final MutationValue op, final int producer)
    {
        apply(op, producer, workload.result(Workload.indexOf(op)));
    }

    private void apply(final MutationValue op, final int producer, final CommitResult result)
    {
        for (int i = 0; i < result.changeCount(); i++)
        {
            final PeerRecord record = result.change(i).record();
            if (result.change(i).type() == ChangeType.REMOVED)
            {
                peers.remove(record.id());
            }
            else
            {
                peers.put(record.id(), record);
            }
        }
        probe.committed(Workload.indexOf(op), result);
        final RegistryEvent event = events[producer].wrap(result, 0);
        for (final PeerObserver listener : listeners)
        {
            try
            {
                listener.onEvent(event);
            }
            catch (final RuntimeException ex)
            {
                // The naive design logs and goes on; there is nothing to log to here.
            }
        }
    }

    @Override
    public void close()
    {
    }
}
