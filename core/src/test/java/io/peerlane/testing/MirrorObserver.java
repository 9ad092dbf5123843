package io.peerlane.testing;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.ChangeType;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Change;
import io.peerlane.state.RegistryView;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Rebuilds the registry from its snapshot and the events after it, and checks that event numbers run on
 * from the snapshot with no gap and no duplicate.
 */
public class MirrorObserver implements PeerObserver
{
    private final TreeMap<NodeId, PeerRecord> peers = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private volatile long lastSeq = -1;
    private volatile int snapshots;
    private volatile int overruns;

    @Override
    public synchronized void onSnapshot(final RegistryView snapshot)
    {
        peers.clear();
        snapshot.forEach(r -> peers.put(r.id(), r));
        lastSeq = snapshot.eventSeq();
        snapshots++;
    }

    @Override
    public synchronized void onOverrun(final long lastSeenSeq)
    {
        overruns++;
    }

    @Override
    public synchronized void onEvent(final RegistryEvent event)
    {
        if (lastSeq < 0)
        {
            problems.add("event " + event.seq() + " before any snapshot");
        }
        else if (event.seq() != lastSeq + 1)
        {
            problems.add("event " + event.seq() + " after " + lastSeq);
        }
        lastSeq = event.seq();
        for (int i = 0; i < event.changeCount(); i++)
        {
            final Change c = event.change(i);
            if (c.type() == ChangeType.REMOVED)
            {
                if (null == peers.remove(c.id()))
                {
                    problems.add("event " + event.seq() + " removes unknown " + c.id());
                }
            }
            else
            {
                if (c.type() == ChangeType.ADDED && peers.containsKey(c.id()))
                {
                    problems.add("event " + event.seq() + " adds known " + c.id());
                }
                peers.put(c.id(), c.record());
            }
        }
    }

    /** @return seq of the last event applied (or of the snapshot). */
    public long lastSeq()
    {
        return lastSeq;
    }

    /** @return snapshots received. */
    public int snapshots()
    {
        return snapshots;
    }

    /** @return overruns reported. */
    public int overruns()
    {
        return overruns;
    }

    /** @return continuity problems seen. */
    public synchronized List<String> problems()
    {
        return new ArrayList<>(problems);
    }

    /** @return the rebuilt registry, in id order. */
    public synchronized List<PeerRecord> peers()
    {
        return new ArrayList<>(peers.values());
    }
}
