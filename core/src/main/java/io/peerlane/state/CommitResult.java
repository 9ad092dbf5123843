package io.peerlane.state;

import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.outcome.Refusal;
import io.peerlane.outcome.RemoveCause;
import io.peerlane.peer.PeerRecord;

import java.util.Arrays;


/**
 * What the commit stage decided for one input op: the outcome, and the event lines it committed. Owned by
 * a ring slot and reused, so deciding an outcome allocates nothing.
 * <p>
 * Event lines: every change before {@link #batchStart()} is a line of its own (expiries, ban removals,
 * an eviction, the op's own change); a committed batch adds one last line holding the changes from
 * {@link #batchStart()} on.
 */
public final class CommitResult
{
    private static final OutcomeCode[] CODES = OutcomeCode.values();
    private static final AbortCause[] CAUSES = AbortCause.values();
    private static final byte NONE = -1;

    // The code and cause are kept as ordinals, and the reason is written only when it changed: a reference
    // store into this long-lived object is a GC write barrier (see the second constructor).
    private byte code = NONE;
    private String reason;
    private byte cause = NONE;
    private int failedOp;
    private long time;
    private long firstEventSeq;
    private Change[] changes = new Change[SHARED_CHANGES];
    private int changeCount;
    private int batchStart = -1;

    /** How many changes of a result keep their records in the shared array (see the second constructor). */
    public static final int SHARED_CHANGES = 4;

    /** Makes an empty result. */
    public CommitResult()
    {
        this(new PeerRecord[SHARED_CHANGES], 0);
    }

    /**
     * Makes an empty result whose first {@link #SHARED_CHANGES} changes keep their records in
     * {@code records[index * SHARED_CHANGES]} onwards, an array shared by results that many long-lived owners
     * reuse, such as the ring's slots.
     * <p>
     * Why: a change's record is the reference that changes with almost every op, and under G1 each reference
     * store into an old object dirties the 512-byte card that holds it. One field per change, spread over
     * thousands of slots, dirtied a fresh card per op, which the concurrent refinement threads then queued and
     * scanned (half a core at 250 k ops/s on 2 cores); one array shared by all of them, indexed in the slots'
     * order, puts 32 consecutive slots on one card, still dirty when the next store lands, so almost none is
     * queued. A result with more changes (a long batch) keeps the rest in fields of its own.
     *
     * @param records the array shared by the results, at least {@code (index + 1) * SHARED_CHANGES} long.
     * @param index   this result's place among them.
     */
    public CommitResult(final PeerRecord[] records, final int index)
    {
        if (index < 0 || (long)(index + 1) * SHARED_CHANGES > records.length)
        {
            throw new IllegalArgumentException("index: " + index + " needs records of length " +
                ((long)(index + 1) * SHARED_CHANGES) + ", got " + records.length);
        }
        for (int i = 0; i < changes.length; i++)
        {
            changes[i] = new Change(records, index * SHARED_CHANGES + i);
        }
    }

    /** Starts a result; every op then sets code, reason and cause through {@link #outcome}. */
    void reset(final long time)
    {
        this.failedOp = -1;
        this.time = time;
        this.changeCount = 0;
        this.batchStart = -1;
    }

    void outcome(final OutcomeCode code, final String reason, final AbortCause cause)
    {
        this.code = null == code ? NONE : (byte)code.ordinal();
        if (this.reason != reason)
        {
            this.reason = reason;
        }
        this.cause = null == cause ? NONE : (byte)cause.ordinal();
    }

    void failedOp(final int failedOp)
    {
        this.failedOp = failedOp;
    }

    void add(
        final ChangeType type, final PeerRecord record, final long previousVersion, final RemoveCause cause,
        final long lastSeen)
    {
        if (changeCount == changes.length)
        {
            final int old = changes.length;
            changes = Arrays.copyOf(changes, old * 2);
            for (int i = old; i < changes.length; i++)
            {
                changes[i] = new Change();
            }
        }
        changes[changeCount++].set(type, record, previousVersion, cause, lastSeen);
    }

    void openBatch()
    {
        batchStart = changeCount;
    }

    void dropBatch()
    {
        changeCount = batchStart;
        batchStart = -1;
    }

    void firstEventSeq(final long seq)
    {
        this.firstEventSeq = seq;
    }

    /**
     * Copies another result, for a journal or test that keeps it past the slot's reuse.
     * <p>
     * Public because its callers are outside this package: the engine's best-effort relay keeps a copy of each
     * result for its own thread, and tests and benchmarks keep results past the slot's reuse.
     *
     * @param other the result to copy.
     */
    public void copyFrom(final CommitResult other)
    {
        reset(other.time);
        outcome(other.code(), other.reason, other.cause());
        failedOp = other.failedOp;
        firstEventSeq = other.firstEventSeq;
        for (int i = 0; i < other.changeCount; i++)
        {
            final Change c = other.changes[i];
            add(c.type(), c.record(), c.previousVersion(), c.cause(), c.lastSeen());
        }
        batchStart = other.batchStart;
    }

    /** @return the outcome. */
    public OutcomeCode code()
    {
        return NONE == code ? null : CODES[code];
    }

    /** @return the reason of REJECTED, ABORTED (the observer) and BATCH_FAILED; null otherwise. */
    public String reason()
    {
        return reason;
    }

    /**
     * @return the registry's own refusal behind a REJECTED outcome, or behind the op that failed a batch;
     * null for a user rule's code, an observer's refusal and every other outcome.
     */
    public Refusal refusal()
    {
        final OutcomeCode code = code();
        return code == OutcomeCode.REJECTED || code == OutcomeCode.BATCH_FAILED ? Refusal.of(reason) : null;
    }

    /** @return the cause of an ABORTED outcome or of a batch that failed on one; null otherwise. */
    public AbortCause cause()
    {
        return NONE == cause ? null : CAUSES[cause];
    }

    /** @return the index of the op that failed a batch, -1 otherwise. */
    public int failedOp()
    {
        return failedOp;
    }

    /** @return the event time the commit stage used. */
    public long time()
    {
        return time;
    }

    /** @return the seq of the first event line, if any. */
    public long firstEventSeq()
    {
        return firstEventSeq;
    }

    /** @return number of event lines. */
    public int lineCount()
    {
        return batchStart < 0 ? changeCount : batchStart + 1;
    }

    /** @return number of changes in all lines. */
    public int changeCount()
    {
        return changeCount;
    }

    /**
     * @param i change index.
     * @return the change.
     */
    public Change change(final int i)
    {
        return changes[i];
    }

    /** @return index of the first change of the committed batch's line, -1 when there is none. */
    public int batchStart()
    {
        return batchStart;
    }

    @Override
    public String toString()
    {
        return code() + (null == reason ? "" : " " + reason) + (NONE == cause ? "" : " " + cause()) +
            (failedOp < 0 ? "" : " op " + failedOp);
    }
}
