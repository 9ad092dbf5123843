package io.peerlane.replication;

import io.peerlane.mutation.MutationValue;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.Vote;
import io.peerlane.registry.RegistrySettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Three (or n) replicas in this JVM on loopback ports, each with its own storage, stopped and restarted by index. */
final class LoopbackCluster implements AutoCloseable
{
    static final RegistrySettings SETTINGS = RegistrySettings.builder().maxPeers(150).maxDevicesPerDid(3).build();

    /** Refuses some records at random: a vote that is not deterministic, so replicas must not re-run it. */
    static final PeerObserver COIN_VOTE = new PeerObserver()
    {
        @Override
        public Vote vote(final io.peerlane.peer.PeerRecord proposed)
        {
            return proposed.id().word(3) % 11 == 0 && ThreadLocalRandom.current().nextBoolean() ? Vote.REJECT : Vote.ACCEPT;
        }

        @Override
        public void onEvent(final io.peerlane.observer.RegistryEvent event)
        {
        }
    };

    private final Path dir;
    private final int[] ports;
    private final UUID group = UUID.randomUUID();
    private final ReplicatedRegistry[] replicas;
    private final List<List<MutationValue>> applied = new ArrayList<>();
    private final long snapshotThreshold;

    LoopbackCluster(final Path dir, final int n, final long snapshotThreshold)
    {
        this.dir = dir;
        this.snapshotThreshold = snapshotThreshold;
        ports = new int[n];
        replicas = new ReplicatedRegistry[n];
        for (int i = 0; i < n; i++)
        {
            ports[i] = freePort();
            applied.add(Collections.synchronizedList(new ArrayList<>()));
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    LoopbackCluster startAll()
    {
        for (int i = 0; i < replicas.length; i++)
        {
            start(i);
        }
        return this;
    }

    void start(final int i)
    {
        final List<MutationValue> log = applied.get(i);
        log.clear();
        final ReplicaContext ctx = new ReplicaContext().id("r" + i).groupId(group)
            .storageDirectory(dir.resolve("r" + i)).settings(SETTINGS).ringSize(1024)
            .snapshotThreshold(snapshotThreshold).electionTimeout(Duration.ofMillis(400))
            .vote("coin", COIN_VOTE)
            .appliedListener((index, ops) -> Collections.addAll(log, ops));
        for (int p = 0; p < ports.length; p++)
        {
            ctx.peer("r" + p, new InetSocketAddress("127.0.0.1", ports[p]));
        }
        replicas[i] = ReplicatedRegistry.launch(ctx);
    }

    void stop(final int i)
    {
        final ReplicatedRegistry r = replicas[i];
        replicas[i] = null;
        if (null != r)
        {
            r.close();
        }
    }

    ReplicatedRegistry replica(final int i)
    {
        return replicas[i];
    }

    int size()
    {
        return replicas.length;
    }

    /** @return the log replica {@code i} applied since it (re)started, in order. */
    List<MutationValue> applied(final int i)
    {
        synchronized (applied.get(i))
        {
            return new ArrayList<>(applied.get(i));
        }
    }

    /** @return the index of a ready leader, awaited up to the deadline. */
    int awaitLeader(final int seconds)
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            for (int i = 0; i < replicas.length; i++)
            {
                final ReplicatedRegistry r = replicas[i];
                if (null != r && r.isLeaderReady())
                {
                    return i;
                }
            }
            LockSupport.parkNanos(10_000_000);
        }
        throw new AssertionError("no leader within " + seconds + " s");
    }

    /** @return the index of the replica named {@code id}, or -1. */
    int indexOf(final String id)
    {
        for (int i = 0; i < replicas.length; i++)
        {
            if (("r" + i).equals(id))
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close()
    {
        for (int i = 0; i < replicas.length; i++)
        {
            try
            {
                stop(i);
            }
            catch (final RuntimeException ex)
            {
                System.out.println("closing r" + i + ": " + ex);
            }
        }
    }
}
