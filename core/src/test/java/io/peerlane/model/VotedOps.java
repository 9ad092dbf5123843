package io.peerlane.model;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationKind;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.PeerRecord;

/**
 * Input ops for tests whose critical votes are decided when they are made, by a {@link Vote} function of the
 * record, so that the model and the code under test read the same refusals. The ops are plain
 * {@link MutationValue}s; {@link #describe} prints one as a TRACE.md input line for failure messages.
 */
public final class VotedOps
{
    /** A critical vote on one record: the refusing observer and why, or null when every vote accepts. */
    @FunctionalInterface
    public interface Vote
    {
        /**
         * @param record the upserted record.
         * @return the refusal, or null.
         */
        Refusal on(PeerRecord record);
    }

    /** A refusal by the named critical observer. */
    public record Refusal(String observer, AbortCause cause)
    {
    }

    /** Votes that accept everything. */
    public static final Vote ACCEPT_ALL = record -> null;

    private VotedOps()
    {
    }

    /** @param t time. @param r record. @param vote critical votes. @return an upsert. */
    public static MutationValue upsert(final long t, final PeerRecord r, final Vote vote)
    {
        final Refusal refusal = vote.on(r);
        return null == refusal ? MutationValue.upsert(t, r) :
            MutationValue.upsert(t, r, refusal.observer(), refusal.cause());
    }

    /** @param t time. @param b the ops. @param vote critical votes. @return a batch. */
    public static MutationValue batch(final long t, final Batch b, final Vote vote)
    {
        final String[] refusedBy = new String[b.size()];
        final AbortCause[] causes = new AbortCause[b.size()];
        for (int i = 0; i < b.size(); i++)
        {
            final Refusal refusal = b.isUpsert(i) ? vote.on(b.record(i)) : null;
            if (null != refusal)
            {
                refusedBy[i] = refusal.observer();
                causes[i] = refusal.cause();
            }
        }
        return MutationValue.batch(t, b, refusedBy, causes);
    }

    /**
     * @param op an op.
     * @return the op as a TRACE.md input line (records without {@code firstSeen}) and its refusals, for failure
     *         messages.
     */
    public static String describe(final Mutation op)
    {
        final MutationKind kind = op.kind();
        final CanonicalJson j = new CanonicalJson().open().key("op").string(kind.name().toLowerCase()).key("t").number(op.time());
        int ops = 0;
        switch (kind)
        {
            case UPSERT:
                j.key("peer").raw(inputRecord(op.record()));
                ops = 1;
                break;
            case REMOVE:
                j.key("id").string(op.id().toHex());
                break;
            case TOUCH:
                j.key("id").string(op.id().toHex()).key("lastSeen").number(op.lastSeen());
                break;
            case BATCH:
                final Batch batch = op.batch();
                j.key("ops").openArray();
                for (int i = 0; i < batch.size(); i++)
                {
                    if (batch.isUpsert(i))
                    {
                        j.open().key("op").string("upsert").key("peer").raw(inputRecord(batch.record(i))).close();
                    }
                    else
                    {
                        j.open().key("op").string("remove").key("id").string(batch.removeId(i).toHex()).close();
                    }
                }
                j.closeArray();
                ops = batch.size();
                break;
            case BAN:
            case UNBAN:
                final Ban ban = op.ban();
                j.key("kind").string(ban.kind().name().toLowerCase()).key("value").string(ban.value());
                if (kind == MutationKind.BAN && ban.until() != Ban.FOREVER)
                {
                    j.key("until").number(ban.until());
                }
                break;
            default:
                break;
        }
        j.close();
        final StringBuilder votes = new StringBuilder();
        for (int i = 0; i < ops; i++)
        {
            if (null != op.refusedBy(i))
            {
                votes.append(" [vote ").append(i).append(": ").append(op.refusedBy(i)).append(' ')
                    .append(op.refusalCause(i)).append(']');
            }
        }
        return j + votes.toString();
    }

    private static String inputRecord(final PeerRecord r)
    {
        final String line = RecordLines.stateLine(r, r.lastSeen(), 0);
        return line.substring(0, line.lastIndexOf(",\"firstSeen\":")) + "}";
    }
}
