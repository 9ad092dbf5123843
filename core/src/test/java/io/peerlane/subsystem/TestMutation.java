package io.peerlane.subsystem;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/** A plain mutation for driving {@link io.peerlane.state.RegistryState} directly, as the commit stage would. */
final class TestMutation implements Mutation
{
    private final MutationKind kind;
    private final long time;
    private final PeerRecord record;
    private final NodeId id;
    private final long lastSeen;
    private final Batch batch;
    private final Ban ban;
    private final String[] refusedBy;

    private TestMutation(
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban,
        final String[] refusedBy)
    {
        this.kind = kind;
        this.time = time;
        this.record = record;
        this.id = id;
        this.lastSeen = lastSeen;
        this.batch = batch;
        this.ban = ban;
        this.refusedBy = refusedBy;
    }

    static TestMutation upsert(final long t, final PeerRecord r, final String refusedBy)
    {
        return new TestMutation(MutationKind.UPSERT, t, r, null, 0, null, null, new String[]{ refusedBy });
    }

    static TestMutation remove(final long t, final NodeId id)
    {
        return new TestMutation(MutationKind.REMOVE, t, null, id, 0, null, null, new String[1]);
    }

    static TestMutation touch(final long t, final NodeId id, final long lastSeen)
    {
        return new TestMutation(MutationKind.TOUCH, t, null, id, lastSeen, null, null, new String[1]);
    }

    static TestMutation batch(final long t, final Batch batch, final String[] refusedBy)
    {
        return new TestMutation(MutationKind.BATCH, t, null, null, 0, batch, null, refusedBy);
    }

    static TestMutation tick(final long t)
    {
        return new TestMutation(MutationKind.TICK, t, null, null, 0, null, null, new String[1]);
    }

    static TestMutation ban(final long t, final Ban ban, final boolean lift)
    {
        return new TestMutation(lift ? MutationKind.UNBAN : MutationKind.BAN, t, null, null, 0, null, ban, new String[1]);
    }

    @Override
    public MutationKind kind()
    {
        return kind;
    }

    @Override
    public long time()
    {
        return time;
    }

    @Override
    public PeerRecord record()
    {
        return record;
    }

    @Override
    public NodeId id()
    {
        return id;
    }

    @Override
    public long lastSeen()
    {
        return lastSeen;
    }

    @Override
    public Batch batch()
    {
        return batch;
    }

    @Override
    public Ban ban()
    {
        return ban;
    }

    @Override
    public String refusedBy(final int op)
    {
        return refusedBy[op];
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return null == refusedBy[op] ? null : AbortCause.VETO;
    }
}
