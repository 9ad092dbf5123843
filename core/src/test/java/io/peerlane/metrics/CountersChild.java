package io.peerlane.metrics;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.observer.Vote;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.PeerRecord;
import io.peerlane.testing.Peers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The engine process of {@link CountersChildJvmTest}: runs a seeded load through an engine whose counters are in
 * the directory it is given, says {@code LIVE} half way and waits for a line, then finishes, closes the engine and
 * prints what its own outcome listener and observers saw, and waits for a line before it exits.
 */
public final class CountersChild
{
    private CountersChild()
    {
    }

    /** @param args the counters directory, the op count, the seed. @throws Exception on failure. */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int ops = Integer.parseInt(args[1]);
        final Random random = new Random(Long.parseLong(args[2]));
        final AtomicLongArray outcomes = new AtomicLongArray(OutcomeCode.values().length);
        final AtomicLong events = new AtomicLong();
        final AtomicLong votes = new AtomicLong();
        final AtomicLong vetoes = new AtomicLong();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final EngineContext ctx = new EngineContext()
            .topology(Topology.valueOf(args[3]))
            .ringSize(256)
            .countersDirectory(dir)
            .outcomeListener((sequence, mutation, result) -> outcomes.incrementAndGet(result.code().ordinal()))
            .observer("counted", ObserverRole.STANDARD, (RegistryEvent e) -> events.incrementAndGet())
            .observer("gate", ObserverRole.CRITICAL, new PeerObserver()
            {
                @Override
                public Vote vote(final PeerRecord proposed)
                {
                    votes.incrementAndGet();
                    if (proposed.trust() < 0.2)
                    {
                        vetoes.incrementAndGet();
                        return Vote.REJECT;
                    }
                    return Vote.ACCEPT;
                }

                @Override
                public void onEvent(final RegistryEvent event)
                {
                }
            });
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        final long[] versions = new long[64];
        for (int i = 0; i < ops; i++)
        {
            final int n = random.nextInt(versions.length);
            final int kind = random.nextInt(10);
            if (kind == 0)
            {
                engine.remove(i, Peers.id(n));
            }
            else
            {
                // A repeated version now and then makes STALE; a low trust is vetoed by "gate".
                final long version = kind == 1 ? versions[n] : ++versions[n];
                final double trust = kind == 2 ? 0.1 : 0.5;
                engine.upsert(i, Peers.peer(n, version, i).trust(trust).build());
            }
            if (i == ops / 2)
            {
                engine.upsertAndWait(i, Peers.peer(1000, 1, i).build(), Duration.ofSeconds(30));
                System.out.println("LIVE");
                System.out.flush();
                in.readLine();
            }
        }
        engine.close();
        for (final OutcomeCode code : OutcomeCode.values())
        {
            System.out.println("OUTCOME " + code.name() + " " + outcomes.get(code.ordinal()));
        }
        System.out.println("OBSERVER counted events " + events.get());
        System.out.println("OBSERVER gate votes " + votes.get());
        System.out.println("OBSERVER gate vetoes " + vetoes.get());
        System.out.println("DONE");
        System.out.flush();
        in.readLine();
    }
}
