package io.peerlane.bench;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.peer.NodeId;
import io.peerlane.subsystem.kademlia.KademliaObserver;
import io.peerlane.subsystem.mesh.MeshObserver;
import io.peerlane.subsystem.validator.ValidatorSetObserver;

import java.util.ArrayList;
import java.util.List;

/**
 * The observers every contender delivers to, by name: {@code noop} (three observers that do nothing),
 * {@code synthetic:N:NANOS} (N observers that each busy-work for NANOS ns per event) and {@code subsystems}
 * (the built-in Kademlia table, mesh topology and validator set). Each contender gets fresh instances for
 * each run from the same spec, so no contender inherits another's state.
 */
public final class ObserverSets
{
    /** The spec used when none is given. */
    public static final String DEFAULT_SPEC = "subsystems";

    /** The local node id the benchmark's Kademlia table is built around. */
    static final NodeId LOCAL_ID = NodeId.of(0x0123_4567_89AB_CDEFL, 0x0F1E_2D3C_4B5A_6978L, 7, 11);

    private static final int NOOP_COUNT = 3;

    private final String spec;
    private final int count;
    private final long nanos;
    private final boolean subsystems;

    private ObserverSets(final String spec, final int count, final long nanos, final boolean subsystems)
    {
        this.spec = spec;
        this.count = count;
        this.nanos = nanos;
        this.subsystems = subsystems;
    }

    /**
     * @param spec {@code noop}, {@code synthetic:N:NANOS} or {@code subsystems}.
     * @return the factory.
     * @throws IllegalArgumentException naming what is wrong with the spec.
     */
    public static ObserverSets parse(final String spec)
    {
        if ("noop".equals(spec))
        {
            return new ObserverSets(spec, NOOP_COUNT, 0, false);
        }
        if ("subsystems".equals(spec))
        {
            return new ObserverSets(spec, 0, 0, true);
        }
        if (null != spec && spec.startsWith("synthetic:"))
        {
            final String[] parts = spec.split(":", -1);
            if (parts.length == 3)
            {
                try
                {
                    final int n = Integer.parseInt(parts[1]);
                    final long ns = Long.parseLong(parts[2]);
                    if (n >= 1 && n <= 40 && ns >= 0 && ns <= 10_000_000)
                    {
                        return new ObserverSets(spec, n, ns, false);
                    }
                }
                catch (final NumberFormatException ignore)
                {
                    // Reported below with the accepted forms.
                }
            }
            throw new IllegalArgumentException("observers: '" + spec +
                "' must be synthetic:N:NANOS with N in [1, 40] observers and NANOS in [0, 10000000] ns of work per event");
        }
        throw new IllegalArgumentException("observers: '" + spec + "' must be one of noop, synthetic:N:NANOS, subsystems");
    }

    /** @return the spec as given. */
    public String spec()
    {
        return spec;
    }

    /**
     * Fresh observer instances for one run of one contender.
     *
     * @return the observers, in delivery order.
     */
    public List<PeerObserver> create()
    {
        if (subsystems)
        {
            return List.of(new KademliaObserver(LOCAL_ID), new MeshObserver(), new ValidatorSetObserver());
        }
        final List<PeerObserver> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            out.add(nanos == 0 ? new NoopObserver() : new BusyObserver(nanos));
        }
        return out;
    }

    @Override
    public String toString()
    {
        return subsystems ? "subsystems" : nanos == 0 ? count + " no-op observers" :
            count + " synthetic observers of " + nanos + " ns each";
    }

    /** Does nothing but read the event, so delivery itself is what is measured. */
    static final class NoopObserver implements PeerObserver
    {
        long lastSeq;

        @Override
        public void onEvent(final RegistryEvent event)
        {
            lastSeq = event.seq();
        }
    }

    /** Stands for a subsystem that takes a known time per event: spins on the clock, never sleeps. */
    static final class BusyObserver implements PeerObserver
    {
        private final long nanos;
        long lastSeq;

        BusyObserver(final long nanos)
        {
            this.nanos = nanos;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            final long end = System.nanoTime() + nanos;
            while (System.nanoTime() - end < 0)
            {
                Thread.onSpinWait();
            }
            lastSeq = event.seq();
        }
    }
}
