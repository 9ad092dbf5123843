package io.peerlane.subsystem.mesh;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.state.Change;
import io.peerlane.state.RegistryView;

/**
 * Keeps a {@link MeshTopology} equal to the registry's live records: every added, updated or touched
 * record replaces the peer's, every removal removes it. A touch changes no link, so it never makes the
 * topology rebuild its routes.
 * <p>
 * {@link #onEvent} walks the event's changes by index and hands each record or id to the topology, whose
 * writes allocate nothing; only {@link #onSnapshot}, a resynchronisation, allocates.
 */
public final class MeshObserver implements PeerObserver
{
    /** The name this observer registers under by default. */
    public static final String NAME = "mesh";

    private final MeshTopology topology = new MeshTopology();

    /** @return the topology, for queries from any thread. */
    public MeshTopology topology()
    {
        return topology;
    }

    @Override
    public void onSnapshot(final RegistryView snapshot)
    {
        topology.clear();
        snapshot.forEach(topology::put);
    }

    @Override
    public void onEvent(final RegistryEvent event)
    {
        for (int i = 0, n = event.changeCount(); i < n; i++)
        {
            final Change c = event.change(i);
            if (c.type() == ChangeType.REMOVED)
            {
                topology.remove(c.id());
            }
            else
            {
                topology.put(c.record());
            }
        }
    }

    @Override
    public String toString()
    {
        return NAME + " " + topology.size() + " peers";
    }
}
