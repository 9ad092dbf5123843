package io.peerlane.engine;

import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.ObserverStats;
import io.peerlane.observer.PeerObserver;
import io.peerlane.state.RegistryState;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;


/**
 * The engine's list of registered observers, for producers' threads: names, vote indexes, lane places and
 * each observer's own threads (a best-effort relay, a vote runner), under one lock that the stages' own work
 * never takes (a callback that registers or unregisters takes it only for the roster update, never while it
 * waits for the ring).
 * The stages keep their own lists, changed only by the {@link RosterChange} each registration and removal
 * sends through the ring, so the cut is at one sequence in every stage; this roster only decides what goes
 * into the ring and waits, off the stage threads, for the cut.
 * <p>
 * An observer is placed on the least loaded lane: a critical one on a prepare lane (the lane the compact or
 * commit stage runs inline when there are no prepare handlers), every one on a publish lane.
 */
final class ObserverRoster
{
    /** The roster's lock; also the engine's lifecycle lock (start, close). Never held while waiting for the ring. */
    final Object lock = new Object();
    private final Map<String, ObserverHandle> observers = new LinkedHashMap<>();
    private final boolean[] voteIndexInUse;
    private final int[] prepareLaneLoad;
    private final int[] publishLaneLoad;
    /** Relays whose thread has not stopped yet, registered or not; close() waits for them. */
    private final Set<BestEffortRelay> relays = ConcurrentHashMap.newKeySet();
    private final int maxObservers;
    private final int ringSize;
    private final boolean pipelined;
    private final Duration closeTimeout;
    private final RegistryState registry;
    private final StageGraph graph;
    private final RingPublisher publisher;
    private final StageThreads threads;
    private final EngineMetrics metrics;
    private final StageErrors errors;

    ObserverRoster(
        final EngineContext ctx,
        final RegistryState registry,
        final StageGraph graph,
        final RingPublisher publisher,
        final StageThreads threads,
        final EngineMetrics metrics,
        final StageErrors errors)
    {
        this.maxObservers = ctx.maxObservers();
        this.ringSize = ctx.ringSize();
        this.pipelined = ctx.topology() == Topology.PIPELINED;
        this.closeTimeout = ctx.closeTimeout();
        this.registry = registry;
        this.graph = graph;
        this.publisher = publisher;
        this.threads = threads;
        this.metrics = metrics;
        this.errors = errors;
        voteIndexInUse = new boolean[maxObservers];
        prepareLaneLoad = new int[graph.prepareLanes.length];
        publishLaneLoad = new int[graph.publishLanes.length];
    }

    /** See {@link PeerlaneEngine#register(String, ObserverRole, PeerObserver, ObserverOptions)}. */
    void register(
        final String name, final ObserverRole role, final PeerObserver observer, final ObserverOptions options)
    {
        if (null == name || name.isEmpty() || name.length() > 128)
        {
            throw new IllegalArgumentException("name: value " + name + " must be 1 to 128 characters");
        }
        if (null == role || null == observer || null == options)
        {
            throw new IllegalArgumentException("observer '" + name + "': role, observer and options are required");
        }
        final ObserverHandle handle = add(name, role, observer, options);
        final OutcomeWaiter waiter = publisher.waiterOrNull();
        try
        {
            publisher.publishControl(new RosterChange(RosterChange.Kind.REGISTER, handle), RingPublisher.BLOCK, 0,
                waiter);
        }
        catch (final RuntimeException ex)
        {
            // Not in the ring: no stage will ever see it.
            synchronized (lock)
            {
                handle.state = ObserverHandle.State.UNREGISTERED;   // its counters may go back
                release(handle);
            }
            if (null != handle.relay)
            {
                handle.relay.abandon();
            }
            if (null != handle.voteRunner)
            {
                handle.voteRunner.close();
            }
            throw ex;
        }
        if (null != waiter)
        {
            // From an observer callback there is none: the cut is taken after the callback returns.
            publisher.await(waiter, OutcomeWaiter.NO_DEADLINE);
        }
    }

    private ObserverHandle add(final String name, final ObserverRole role, final PeerObserver observer,
        final ObserverOptions options)
    {
        synchronized (lock)
        {
            if (observers.containsKey(name))
            {
                throw new IllegalArgumentException("name: value \"" + name + "\" is already registered");
            }
            if (observers.size() >= maxObservers)
            {
                throw new IllegalArgumentException("observer \"" + name + "\": " + observers.size() +
                    " observers are registered, the limit (maxObservers) is " + maxObservers);
            }
            int voteIndex = 0;
            while (voteIndexInUse[voteIndex])
            {
                voteIndex++;
            }
            voteIndexInUse[voteIndex] = true;
            final int prepareLane = role == ObserverRole.CRITICAL ? leastLoaded(prepareLaneLoad) : -1;
            final int publishLane = leastLoaded(publishLaneLoad);
            final ObserverHandle handle = new ObserverHandle(name, role, observer, voteIndex,
                options.voteDeadlineNanos(), options.quarantineAfter(), prepareLane, publishLane, metrics.counters);
            if (role == ObserverRole.BEST_EFFORT)
            {
                handle.relay = new BestEffortRelay(handle, ringSize, errors, this::tryPublishResync,
                    this::relayStopped);
                relays.add(handle.relay);
                handle.relay.start(threads::newRelayThread);
            }
            else if (role == ObserverRole.CRITICAL && options.voteDeadlineNanos() > 0 &&
                pipelined)
            {
                // Its lane (or the commit stage, voting inline) gives up at the deadline and goes on.
                handle.voteRunner = new VoteRunner(handle, threads::newObserverThread);
            }
            if (prepareLane >= 0)
            {
                prepareLaneLoad[prepareLane]++;
            }
            publishLaneLoad[publishLane]++;
            observers.put(name, handle);
            metrics.added(handle);
            return handle;
        }
    }

    /** See {@link PeerlaneEngine#unregister(String)}. */
    long unregister(final String name)
    {
        final ObserverHandle handle;
        synchronized (lock)
        {
            handle = observers.get(name);
            if (null == handle || handle.unregistering)
            {
                return PeerlaneEngine.NOT_REGISTERED;
            }
            handle.unregistering = true;
        }
        final long deadline = System.nanoTime() + closeTimeout.toNanos();
        final RosterChange change = new RosterChange(RosterChange.Kind.UNREGISTER, handle);
        final OutcomeWaiter waiter = publisher.waiterOrNull();
        try
        {
            publisher.publishControl(change, RingPublisher.BLOCK, 0, waiter);
        }
        catch (final RuntimeException ex)
        {
            synchronized (lock)
            {
                handle.unregistering = false;
            }
            throw ex;
        }
        synchronized (lock)
        {
            // In the ring now: each stage drops it at the cut. Its vote index may be reused at once, since
            // a later registration comes after the cut in every stage.
            release(handle);
        }
        if (null == waiter)
        {
            return PeerlaneEngine.CUT_PENDING;
        }
        if (!publisher.await(waiter, deadline))
        {
            final String behind = graph.stageBehind();
            throw new PublishTimeoutException("unregister '" + name + "': the cut was not taken within " +
                closeTimeout + "; " + behind + " is behind; it is unregistered when that stage gets there",
                behind);
        }
        final long cut = change.snapshot.eventSeq();
        awaitCutDelivered(handle, cut, deadline);
        return cut;
    }

    /** Waits until the observer has been given everything before its cut: by its publish lane, or its relay. */
    private void awaitCutDelivered(final ObserverHandle handle, final long cut, final long deadline)
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        while (!handle.cutDelivered)
        {
            final BestEffortRelay relay = handle.relay;
            if (graph.isHalted() && (null == relay || relay.stopped()) && !handle.cutDelivered)
            {
                throw new EngineClosedException("engine closed before '" + handle.name +
                    "' was given its events up to the cut at event seq " + cut + "; it had been given up to " +
                    handle.lastEventSeq.get());
            }
            if (System.nanoTime() - deadline > 0)
            {
                final String behind = null == relay ? graph.stageBehind() : "best-effort observer '" + handle.name +
                    "' at event seq " + handle.lastEventSeq.get();
                throw new PublishTimeoutException("unregister '" + handle.name + "': not given its events up to " +
                    "the cut at event seq " + cut + " within " + closeTimeout + "; " + behind +
                    " is behind; it is given nothing after the cut", behind);
            }
            idle.idle();
        }
    }

    /** Frees a removed observer's name, vote index and lane places; under the roster lock. */
    private void release(final ObserverHandle handle)
    {
        observers.remove(handle.name, handle);
        metrics.removed(handle);
        voteIndexInUse[handle.voteIndex] = false;
        if (handle.prepareLane >= 0)
        {
            prepareLaneLoad[handle.prepareLane]--;
        }
        publishLaneLoad[handle.publishLane]--;
    }

    /** See {@link PeerlaneEngine#observerStats(String)}. */
    ObserverStats observerStats(final String name)
    {
        final ObserverHandle handle;
        synchronized (lock)
        {
            handle = observers.get(name);
        }
        return null == handle ? null : handle.stats(registry.publishedEventSeq());
    }

    /** See {@link PeerlaneEngine#observerStats()}. */
    List<ObserverStats> observerStats()
    {
        final List<ObserverHandle> handles;
        synchronized (lock)
        {
            handles = new ArrayList<>(observers.values());
        }
        final long eventSeq = registry.publishedEventSeq();
        final List<ObserverStats> out = new ArrayList<>(handles.size());
        for (final ObserverHandle h : handles)
        {
            out.add(h.stats(eventSeq));
        }
        return out;
    }

    /** See {@link PeerlaneEngine#readmit(String)}. */
    boolean readmit(final String name)
    {
        synchronized (lock)
        {
            final ObserverHandle handle = observers.get(name);
            if (null == handle || handle.state != ObserverHandle.State.QUARANTINED)
            {
                return false;
            }
            handle.failures.set(0);
            handle.deadlineMisses.set(0);
            handle.quarantineEvent(false);   // before the state, as a quarantine's (ObserverHandle.countFault)
            handle.state = ObserverHandle.State.ACTIVE;
            return true;
        }
    }

    /** @return the relays whose thread has not stopped yet. */
    Set<BestEffortRelay> relays()
    {
        return relays;
    }

    /** For close(), once the stages have stopped: the vote runners' threads may go. */
    void closeVoteRunners()
    {
        synchronized (lock)
        {
            for (final ObserverHandle handle : observers.values())
            {
                if (null != handle.voteRunner)
                {
                    handle.voteRunner.close();
                }
            }
        }
    }

    /** For a best-effort relay's thread: asks for its re-synchronisation through the ring, if there is room. */
    private boolean tryPublishResync(final ObserverHandle handle)
    {
        return publisher.tryPublishControl(new RosterChange(RosterChange.Kind.RESYNC, handle));
    }

    /** On the relay's own thread, after its last callback. */
    private void relayStopped(final BestEffortRelay relay)
    {
        relays.remove(relay);
        threads.relayStopped();
    }

    private static int leastLoaded(final int[] load)
    {
        int best = 0;
        for (int i = 1; i < load.length; i++)
        {
            if (load[i] < load[best])
            {
                best = i;
            }
        }
        return best;
    }
}
