package io.peerlane.mutation;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable batch of 1 to 1024 upserts and removes applied all or nothing, seen by observers as one
 * event and by readers at once.
 */
public final class Batch
{
    private final Object[] ops;

    private Batch(final Object[] ops)
    {
        this.ops = ops;
    }

    /** @return a builder. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return number of ops. */
    public int size()
    {
        return ops.length;
    }

    /**
     * @param i op index.
     * @return whether the op is an upsert (otherwise a remove).
     */
    public boolean isUpsert(final int i)
    {
        return ops[i] instanceof PeerRecord;
    }

    /**
     * @param i op index of an upsert.
     * @return its record.
     */
    public PeerRecord record(final int i)
    {
        return (PeerRecord)ops[i];
    }

    /**
     * @param i op index of a remove.
     * @return its id.
     */
    public NodeId removeId(final int i)
    {
        return (NodeId)ops[i];
    }

    /**
     * @param i op index.
     * @return the id the op changes.
     */
    public NodeId idOf(final int i)
    {
        return ops[i] instanceof PeerRecord ? ((PeerRecord)ops[i]).id() : (NodeId)ops[i];
    }

    /** Collects ops; {@link #build()} checks the count. */
    public static final class Builder
    {
        private final List<Object> ops = new ArrayList<>();

        private Builder()
        {
        }

        /** @param record a validated record. @return this. */
        public Builder upsert(final PeerRecord record)
        {
            if (null == record)
            {
                throw new InvalidInputException("ops[" + ops.size() + "].peer", null, "is required");
            }
            ops.add(record);
            return this;
        }

        /** @param id the peer to remove. @return this. */
        public Builder remove(final NodeId id)
        {
            if (null == id)
            {
                throw new InvalidInputException("ops[" + ops.size() + "].id", null, "is required");
            }
            ops.add(id);
            return this;
        }

        /** @return ops added so far. */
        public int size()
        {
            return ops.size();
        }

        /**
         * @return the batch.
         * @throws InvalidInputException when it holds no op or more than 1024.
         */
        public Batch build()
        {
            if (ops.isEmpty() || ops.size() > Limits.MAX_BATCH_OPS)
            {
                throw new InvalidInputException("ops", ops.size() + " ops", "must hold 1 to 1024 ops");
            }
            return new Batch(ops.toArray());
        }
    }
}
