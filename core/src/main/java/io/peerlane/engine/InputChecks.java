package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.Limits;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

import java.time.Duration;
import java.util.Arrays;

/**
 * Validation at the API boundary, before anything enters the ring: a bad input throws
 * {@link InvalidInputException} naming the field, the value and the limit, and no slot is claimed.
 */
final class InputChecks
{
    private InputChecks()
    {
    }

    static PeerRecord checkRecord(final PeerRecord record)
    {
        if (null == record)
        {
            throw new InvalidInputException("peer", null, "is required");
        }
        return record;
    }

    static NodeId checkId(final NodeId id)
    {
        if (null == id)
        {
            throw new InvalidInputException("id", null, "is required");
        }
        return id;
    }

    static long checkLastSeen(final long lastSeen)
    {
        return Limits.checkSafe("lastSeen", lastSeen);
    }

    static long checkTime(final long time)
    {
        return Limits.checkSafe("t", time);
    }

    static Batch checkBatch(final Batch batch)
    {
        if (null == batch)
        {
            throw new InvalidInputException("ops", null, "is required: a batch of 1 to 1024 ops");
        }
        return batch;
    }

    static Ban checkBan(final Ban ban)
    {
        if (null == ban)
        {
            throw new InvalidInputException("ban", null, "is required");
        }
        return ban;
    }

    static Ban checkBanUntil(final Ban ban, final long timeMs)
    {
        if (ban.until() != Ban.FOREVER && ban.until() <= timeMs)
        {
            throw new InvalidInputException("until", ban.until(), "must be greater than the event time " + timeMs);
        }
        return ban;
    }

    static long checkTimeout(final Duration timeout)
    {
        if (null == timeout || timeout.isNegative())
        {
            throw new InvalidInputException("timeout", timeout, "must be a duration >= 0");
        }
        return timeout.toNanos();
    }

    /** @return the op's kind, once the op and its kind are there. */
    static MutationKind checkKind(final Mutation m)
    {
        if (null == m)
        {
            throw new InvalidInputException("mutation", null, "is required");
        }
        final MutationKind kind = m.kind();
        if (null == kind)
        {
            throw new InvalidInputException("op", null,
                "is required: one of " + Arrays.toString(MutationKind.values()));
        }
        return kind;
    }

    /** Checks the inputs the op's kind needs, as the kind's own publish method does. */
    static void checkInputs(
        final MutationKind kind,
        final long time,
        final PeerRecord record,
        final NodeId id,
        final long lastSeen,
        final Batch batch,
        final Ban ban)
    {
        switch (kind)
        {
            case UPSERT:
                checkRecord(record);
                break;
            case REMOVE:
                checkId(id);
                break;
            case TOUCH:
                checkId(id);
                checkLastSeen(lastSeen);
                break;
            case BATCH:
                checkBatch(batch);
                break;
            case BAN:
                checkBanUntil(checkBan(ban), time);
                break;
            case UNBAN:
                checkBan(ban);
                break;
            default:
                break;
        }
    }
}
