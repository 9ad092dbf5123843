package io.peerlane.admission;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/** A mutable op for driving {@code RegistryState} directly or {@code engine.publish}: no votes refused. */
final class Op implements Mutation
{
    MutationKind kind;
    long time;
    PeerRecord record;
    NodeId id;
    long lastSeen;
    Batch batch;
    Ban ban;

    Op set(final MutationKind kind, final long time)
    {
        this.kind = kind;
        this.time = time;
        record = null;
        id = null;
        lastSeen = 0;
        batch = null;
        ban = null;
        return this;
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
        return null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return null;
    }
}
