package io.peerlane.admission;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.testing.Await;

import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine whose outcome listener keeps a copy of every decision by ring sequence, so a test can publish
 * any op with an explicit event time and read back its outcome and its changes. Waits fail loudly with the
 * engine's health report.
 */
final class Harness implements AutoCloseable
{
    final PeerlaneEngine engine;
    private final ConcurrentHashMap<Long, Committed> decided = new ConcurrentHashMap<>();

    private Harness(final EngineContext ctx)
    {
        engine = PeerlaneEngine.launch(ctx.outcomeListener((seq, m, r) -> decided.put(seq, Committed.of(r))));
    }

    static Harness compact(final RegistrySettings settings, final AdmissionRule... rules)
    {
        return start(new EngineContext().topology(Topology.COMPACT), settings, rules);
    }

    static Harness start(final EngineContext ctx, final RegistrySettings settings, final AdmissionRule... rules)
    {
        ctx.ringSize(1024).settings(settings);
        for (final AdmissionRule rule : rules)
        {
            ctx.admissionRule(rule);
        }
        return new Harness(ctx);
    }

    Committed upsert(final long t, final PeerRecord r)
    {
        return await(engine.upsert(t, r));
    }

    Committed remove(final long t, final NodeId id)
    {
        return await(engine.remove(t, id));
    }

    Committed touch(final long t, final NodeId id, final long lastSeen)
    {
        return await(engine.touch(t, id, lastSeen));
    }

    Committed batch(final long t, final Batch b)
    {
        return await(engine.batch(t, b));
    }

    Committed tick(final long t)
    {
        return await(engine.tick(t));
    }

    Committed ban(final long t, final Ban b)
    {
        return await(engine.ban(t, b));
    }

    Committed unban(final long t, final Ban b)
    {
        return await(engine.unban(t, b));
    }

    /**
     * @param sequence a published op's ring sequence.
     * @return its decision, once made.
     */
    Committed await(final long sequence)
    {
        Await.until("the outcome of sequence " + sequence, 20, () -> decided.containsKey(sequence),
            engine::healthReport);
        return decided.remove(sequence);
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
