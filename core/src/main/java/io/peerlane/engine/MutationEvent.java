package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.CommitResult;

/**
 * One preallocated slot of the ring. A producer copies its mutation in (references to immutable records,
 * never a copy of their fields) through one of the fill methods below, one per kind, each of which stores
 * every input field (the ones its kind has not as null) so nothing of the slot's last use is left; the
 * {@link RingPublisher} calls them through a {@link SlotFill}. The prepare stage writes the critical votes
 * ({@link #refusedOp}, {@link #refusalCause}), the commit stage writes {@link #voters} and the outcome and
 * changes into {@link #result}, and the publish and journal stages read them. Nothing here is allocated per
 * mutation.
 * <p>
 * The references that change with nearly every event (the record, the id, the batch, and the records of the
 * result's first changes) are not fields of the slot but entries of ring-wide arrays ({@link SlotReferences}),
 * at this slot's {@code index}, and the kind is kept as an ordinal: a reference store into a long-lived
 * object is a GC write barrier, and packed in arrays consecutive slots' stores share a card (class note there).
 */
final class MutationEvent implements Mutation
{
    /** A mutation of the registry. */
    static final byte DATA = 0;
    /**
     * A slot claimed but not to be applied (the engine's clock threw while it was filled, or the engine closed
     * meanwhile): published anyway, so the ring never waits for it, and skipped by every stage.
     */
    static final byte CANCELLED = 1;
    /** The closing marker: close() waits until every stage has passed it. */
    static final byte CLOSE = 2;
    /**
     * A control event (see {@link #control}): an observer registration, removal or resync
     * ({@link RosterChange}), a {@link SnapshotRequest}, or a {@link JournalTick} for the journal stage. Each
     * stage calls the event's own method for it ({@link ControlEvent}).
     */
    static final byte CONTROL = 3;

    static final int NO_REFUSAL = Integer.MAX_VALUE;

    private static final MutationKind[] KINDS = MutationKind.values();
    private static final byte NO_KIND = -1;

    byte type;
    /** The kind's ordinal, not the constant: a reference store into the long-lived slot is a GC write barrier. */
    private byte kind = NO_KIND;
    long time;
    long lastSeen;
    Ban ban;
    OutcomeWaiter waiter;
    long waiterToken;
    ControlEvent control;

    /** Per critical observer (by vote index): the first upsert op it refused, or {@link #NO_REFUSAL}. */
    final int[] refusedOp;
    final AbortCause[] refusalCause;
    /**
     * Critical observers in registration order, as the commit stage's roster stood when it decided this slot:
     * written by the commit stage just before it decides the slot, and read through {@link #refusedBy} by the
     * rules (which name the refusing observer in the outcome), the journal stage (which records the refusal)
     * and the outcome listener. Prepare lanes keep their own roster and write only {@link #refusedOp} and
     * {@link #refusalCause}; a lane the commit stage runs inline writes them on the commit thread.
     */
    ObserverHandle[] voters = ObserverHandle.NONE;

    boolean recordedVotes;
    int recordedOp;
    String recordedName;
    AbortCause recordedCause;

    final CommitResult result;

    /** The ring's arrays that hold this slot's record and id, at {@link #index}: see {@link SlotReferences}. */
    private final SlotReferences references;
    private final int index;

    MutationEvent(final int maxObservers, final SlotReferences references, final int index)
    {
        this.references = references;
        this.index = index;
        this.result = new CommitResult(references.changeRecords, index);
        refusedOp = new int[maxObservers];
        refusalCause = new AbortCause[maxObservers];
    }

    void upsert(final PeerRecord record)
    {
        data(MutationKind.UPSERT, record, null, 0, null, null);
    }

    void remove(final NodeId id)
    {
        data(MutationKind.REMOVE, null, id, 0, null, null);
    }

    void touch(final NodeId id, final long lastSeen)
    {
        data(MutationKind.TOUCH, null, id, lastSeen, null, null);
    }

    void batch(final Batch batch)
    {
        data(MutationKind.BATCH, null, null, 0, batch, null);
    }

    void tick()
    {
        data(MutationKind.TICK, null, null, 0, null, null);
    }

    void ban(final Ban ban)
    {
        data(MutationKind.BAN, null, null, 0, null, ban);
    }

    void unban(final Ban ban)
    {
        data(MutationKind.UNBAN, null, null, 0, null, ban);
    }

    /** Any mutation (one read from a trace or a journal), with its recorded votes when the replay applies them. */
    void copy(final MutationCopy m)
    {
        data(m.kind, m.record, m.id, m.lastSeen, m.batch, m.ban);
        if (m.recordedVotes)
        {
            recordedVotes = true;
            recordedOp = m.recordedOp;
            recordedName = m.recordedName;
            recordedCause = m.recordedCause;
        }
    }

    /** A control event: no mutation; each stage calls the event's own method. */
    void control(final ControlEvent control)
    {
        data(null, null, null, 0, null, null);
        type = CONTROL;
        this.control = control;
    }

    /** The engine's last event: close() waits until every stage has passed it. */
    void close()
    {
        type = CLOSE;
        waiter = null;
    }

    /** Skipped by every stage: the slot was claimed but its mutation must not be applied. */
    void cancel()
    {
        type = CANCELLED;
        waiter = null;
        control = null;
    }

    private void data(
        final MutationKind kind, final PeerRecord record, final NodeId id, final long lastSeen, final Batch batch,
        final Ban ban)
    {
        type = DATA;
        this.kind = null == kind ? NO_KIND : (byte)kind.ordinal();
        references.records[index] = record;
        references.ids[index] = id;
        this.lastSeen = lastSeen;
        references.batches[index] = batch;
        this.ban = ban;
        control = null;
        recordedVotes = false;
    }

    @Override
    public MutationKind kind()
    {
        return NO_KIND == kind ? null : KINDS[kind];
    }

    @Override
    public long time()
    {
        return time;
    }

    @Override
    public PeerRecord record()
    {
        return references.records[index];
    }

    @Override
    public NodeId id()
    {
        return references.ids[index];
    }

    @Override
    public long lastSeen()
    {
        return lastSeen;
    }

    @Override
    public Batch batch()
    {
        return references.batches[index];
    }

    @Override
    public Ban ban()
    {
        return ban;
    }

    @Override
    public String refusedBy(final int op)
    {
        if (recordedVotes)
        {
            return recordedOp == op ? recordedName : null;
        }
        final ObserverHandle[] voters = this.voters;
        for (final ObserverHandle voter : voters)
        {
            if (refusedOp[voter.voteIndex] == op)
            {
                return voter.name;
            }
        }
        return null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        if (recordedVotes)
        {
            return recordedOp == op ? recordedCause : null;
        }
        final ObserverHandle[] voters = this.voters;
        for (final ObserverHandle voter : voters)
        {
            if (refusedOp[voter.voteIndex] == op)
            {
                return refusalCause[voter.voteIndex];
            }
        }
        return null;
    }
}
