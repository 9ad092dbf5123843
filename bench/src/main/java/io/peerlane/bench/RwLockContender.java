package io.peerlane.bench;

import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryReader;
import io.peerlane.state.RegistryState;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The design Peerlane replaces, at its best: one mutable registry behind a {@link ReentrantReadWriteLock}.
 * The write path takes the write lock, applies the same rules ({@link RegistryState}) to the one copy, then
 * calls every observer in turn while still holding the lock, so one slow observer holds up every producer
 * and every reader. Readers take the read lock and read that same copy through {@link RegistryReader}:
 * it never asks for a view ({@code readView()} copies the live peers), so the writer pays only for the rules
 * and the state's flat tables, the same as Peerlane's commit stage.
 * <p>
 * It gets the same observers as every other contender: fresh instances from the run's
 * {@link ObserverSets} followed by the latency probe ({@link ContenderSetup#observersWithProbe()}),
 * delivered line by line in commit order as Peerlane's publish stage delivers them.
 */
final class RwLockContender implements Contender
{
    private final ReentrantReadWriteLock.ReadLock readLock;
    private final ReentrantReadWriteLock.WriteLock writeLock;
    private final RegistryState state;
    private final RegistryReader reader;
    private final CommitResult result = new CommitResult();
    private final ObserverDelivery delivery;
    private final LatencyProbe probe;
    private long sequence;

    RwLockContender(final ContenderSetup setup)
    {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        readLock = lock.readLock();
        writeLock = lock.writeLock();
        state = new RegistryState(setup.workload.settings(), List.of());
        reader = state;
        delivery = new ObserverDelivery(setup.observersWithProbe());
        probe = setup.probe;
    }

    @Override
    public void publish(final MutationValue op, final int producer)
    {
        writeLock.lock();
        try
        {
            state.commit(op, sequence++, result);
            probe.committed(Workload.indexOf(op), result);
            delivery.deliver(result);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * A reader's lookup, under the read lock.
     *
     * @param id a node id.
     * @return the live record, or null.
     */
    PeerRecord get(final NodeId id)
    {
        readLock.lock();
        try
        {
            return reader.get(id);
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** @return the number of live peers, read under the read lock. */
    int size()
    {
        readLock.lock();
        try
        {
            return reader.size();
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** @return the one registry, for tests that check nothing is ever published from it. */
    RegistryState state()
    {
        return state;
    }

    @Override
    public void close()
    {
    }
}
