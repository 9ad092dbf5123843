package io.peerlane.bench;

import io.peerlane.journal.JournalEntry;
import io.peerlane.journal.JournalReader;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import io.peerlane.tools.journal.JournalStart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recorded journal as the bench's workload, so every contender runs the peer mutations a real node saw.
 * <p>
 * The harness needs what {@link Workload#generate} guarantees: op {@code i} belongs to producer
 * {@code i % producers}, and every op commits exactly one event whatever the interleaving of producers, in
 * every contender. A journal gives that after three steps, each counted in {@link #summary()}:
 * <ol>
 *   <li>Only peer mutations are kept (upsert, remove, touch, batch); ticks and bans are not ops the baselines
 *       take. A batch whose ids belong to more than one producer is dropped: two producers could reorder it
 *       against their own ops.</li>
 *   <li>The ops are committed in journal order by one {@link RegistryState} under settings that make an
 *       outcome depend on its own ids' history only (capacity and tombstones above the ids there are, no
 *       device, subnet or rate limit, no expiry); an op that commits nothing there (stale, refused) is
 *       dropped, so it cannot hold the harness waiting for an event.</li>
 *   <li>The ops are dealt to producers by id (an id's ops keep their order), and interleaved so that op
 *       {@code i} is producer {@code i % producers}'s; each producer gets as many as the shortest share, the
 *       rest are dropped.</li>
 * </ol>
 * Each op's event time becomes {@link Workload#BASE_TIME_MS} plus its index, as for generated ops (nothing
 * expires), and so does the {@code lastSeen} of the records it carries. There is no untimed population: every run starts from an empty registry.
 */
final class JournalWorkload
{
    private final Workload workload;
    private final String summary;

    private JournalWorkload(final Workload workload, final String summary)
    {
        this.workload = workload;
        this.summary = summary;
    }

    /** @return the workload. */
    Workload workload()
    {
        return workload;
    }

    /** @return one line: what was read, what was kept and why the rest was dropped. */
    String summary()
    {
        return summary;
    }

    /**
     * @param directory   the journal.
     * @param producers   producers the ops are dealt to.
     * @param keepResults keep each op's commit result (the chm-cow baseline hands them to its listeners).
     * @return the workload.
     * @throws IllegalArgumentException naming the journal when it does not start at its beginning, or keeps no op.
     */
    static JournalWorkload read(final Path directory, final int producers, final boolean keepResults)
    {
        final List<RecordedOp> kept = new ArrayList<>();
        final Set<NodeId> ids = new HashSet<>();
        long records = 0;
        long otherKinds = 0;
        long crossBatches = 0;
        try (JournalReader reader = JournalReader.open(directory))
        {
            JournalEntry entry;
            boolean first = true;
            while (null != (entry = reader.next()))
            {
                if (first)
                {
                    final String gap = JournalStart.gap(directory, reader);
                    if (null != gap)
                    {
                        throw new IllegalArgumentException(gap);
                    }
                    first = false;
                }
                records++;
                final MutationValue m = entry.mutation();
                final MutationKind kind = m.kind();
                if (kind == MutationKind.UPSERT)
                {
                    kept.add(new RecordedOp(kind, m.record().id(), m.record(), null, null));
                }
                else if (kind == MutationKind.REMOVE || kind == MutationKind.TOUCH)
                {
                    kept.add(new RecordedOp(kind, m.id(), null, m.id(), null));
                }
                else if (kind == MutationKind.BATCH)
                {
                    final Batch batch = m.batch();
                    final int owner = owner(batch.idOf(0), producers);
                    boolean one = true;
                    for (int i = 1; i < batch.size() && one; i++)
                    {
                        one = owner(batch.idOf(i), producers) == owner;
                    }
                    if (!one)
                    {
                        crossBatches++;
                        continue;
                    }
                    kept.add(new RecordedOp(kind, batch.idOf(0), null, null, batch));
                    for (int i = 0; i < batch.size(); i++)
                    {
                        ids.add(batch.idOf(i));
                    }
                    continue;
                }
                else
                {
                    otherKinds++;
                    continue;
                }
                ids.add(kept.get(kept.size() - 1).owner);
            }
        }
        final RegistrySettings settings = settingsFor(ids.size());

        // Step 2: what commits exactly one event in journal order does so in any interleaving that keeps each
        // id's order, because under these settings an outcome depends on its own ids' history only.
        final RegistryState order = new RegistryState(settings, List.of());
        final CommitResult scratch = new CommitResult();
        final List<List<RecordedOp>> shares = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            shares.add(new ArrayList<>());
        }
        long noEvent = 0;
        int index = 0;
        for (final RecordedOp op : kept)
        {
            order.commit(op.asOp(index), index, scratch);
            index++;
            if (scratch.lineCount() == 0)
            {
                noEvent++;
                continue;
            }
            if (!Workload.commitsOneLine(scratch))
            {
                throw new IllegalArgumentException(directory + ": a recorded " + op.kind + " gives " + scratch +
                    " with " + scratch.lineCount() + " event lines; the bench needs one event per op");
            }
            shares.get(owner(op.owner, producers)).add(op);
        }
        int shortest = Integer.MAX_VALUE;
        for (final List<RecordedOp> share : shares)
        {
            shortest = Math.min(shortest, share.size());
        }
        final int total = shortest * producers;
        if (total < producers)
        {
            throw new IllegalArgumentException(directory + ": holds no peer mutation that commits an event for " +
                "every one of " + producers + " producers (" + records + " records read)");
        }
        final MutationValue[] ops = new MutationValue[total];
        for (int i = 0; i < total; i++)
        {
            ops[i] = shares.get(i % producers).get(i / producers).asOp(i);
        }

        // Step 3 kept each id's order, so every op still commits one event; check it, as the generator does.
        final RegistryState check = new RegistryState(settings, List.of());
        final CommitResult[] results = keepResults ? new CommitResult[total] : null;
        CommitResult result = new CommitResult();
        for (int i = 0; i < total; i++)
        {
            if (keepResults)
            {
                result = new CommitResult();
                results[i] = result;
            }
            check.commit(ops[i], i, result);
            if (!Workload.commitsOneLine(result))
            {
                throw new IllegalStateException("journal workload check: op " + ops[i] + " gave " + result);
            }
        }
        final String summary = String.format(java.util.Locale.ROOT,
            "journal %s: %,d records, %,d ops kept for %d producers; dropped: %,d ticks and bans, %,d batches " +
                "across producers, %,d that commit no event (stale or refused), %,d past the shortest producer's share",
            directory, records, total, producers, otherKinds, crossBatches, noEvent,
            kept.size() - noEvent - total);
        return new JournalWorkload(new Workload("the journal " + directory, 0, producers, ops, settings, results), summary);
    }

    /** Settings under which an outcome depends on its own ids' history only. */
    static RegistrySettings settingsFor(final long ids)
    {
        final long room = Math.max(RegistrySettings.MAX_PEERS_DEFAULT, ids);
        return RegistrySettings.builder()
            .maxPeers(room)
            .maxTombstones(Math.max(RegistrySettings.MAX_TOMBSTONES_DEFAULT, ids))
            .maxDevicesPerDid(room)
            .maxPeersPerSubnet(0)
            .globalRateLimitPerSec(0)
            .didRateLimitPerMin(0)
            .peerTtlMs(0)
            .tombstoneTtlMs(0)
            .build();
    }

    private static int owner(final NodeId id, final int producers)
    {
        return Math.floorMod(id.hashCode(), producers);
    }

    /** One kept op, before it gets its index in the workload. */
    private static final class RecordedOp
    {
        final MutationKind kind;
        final NodeId owner;
        final io.peerlane.peer.PeerRecord record;
        final NodeId id;
        final Batch batch;

        RecordedOp(final MutationKind kind, final NodeId owner, final io.peerlane.peer.PeerRecord record,
            final NodeId id, final Batch batch)
        {
            this.kind = kind;
            this.owner = owner;
            this.record = record;
            this.id = id;
            this.batch = batch;
        }

        /**
         * The op at its index in the workload, its records' {@code lastSeen} moved to the op's new event time, so
         * that time runs forward with the index for every id (a touch then always moves a live peer's liveness,
         * in any order that keeps each id's ops in order).
         */
        MutationValue asOp(final int index)
        {
            final long t = Workload.BASE_TIME_MS + index;
            if (null != record)
            {
                return Workload.op(index, kind, retime(record, t), id, null);
            }
            if (null != batch)
            {
                final Batch.Builder b = Batch.builder();
                for (int i = 0; i < batch.size(); i++)
                {
                    if (batch.isUpsert(i))
                    {
                        b.upsert(retime(batch.record(i), t));
                    }
                    else
                    {
                        b.remove(batch.removeId(i));
                    }
                }
                return Workload.op(index, kind, null, id, b.build());
            }
            return Workload.op(index, kind, null, id, null);
        }

        private static io.peerlane.peer.PeerRecord retime(final io.peerlane.peer.PeerRecord r, final long t)
        {
            return r.toBuilder().lastSeen(t).build();
        }
    }
}
