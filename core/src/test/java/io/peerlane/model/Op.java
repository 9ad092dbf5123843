package io.peerlane.model;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.AbortCause;
import io.peerlane.state.Ban;
import io.peerlane.state.Batch;
import io.peerlane.state.Mutation;
import io.peerlane.state.MutationKind;

/**
 * An immutable input op for tests: a plain {@link Mutation} whose critical votes were decided when it was
 * made (by a {@link Vote} function of the record), so that the model and the code under test read the same
 * refusals.
 */
public final class Op implements Mutation
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

    private final MutationKind kind;
    private final long time;
    private final PeerRecord record;
    private final NodeId id;
    private final long lastSeen;
    private final Batch batch;
    private final Ban ban;
    private final Refusal[] refusals;

    private Op(
        final MutationKind kind, final long time, final PeerRecord record, final NodeId id, final long lastSeen,
        final Batch batch, final Ban ban, final Vote vote)
    {
        this.kind = kind;
        this.time = time;
        this.record = record;
        this.id = id;
        this.lastSeen = lastSeen;
        this.batch = batch;
        this.ban = ban;
        if (kind == MutationKind.UPSERT)
        {
            refusals = new Refusal[]{ vote.on(record) };
        }
        else if (kind == MutationKind.BATCH)
        {
            refusals = new Refusal[batch.size()];
            for (int i = 0; i < batch.size(); i++)
            {
                refusals[i] = batch.isUpsert(i) ? vote.on(batch.record(i)) : null;
            }
        }
        else
        {
            refusals = new Refusal[0];
        }
    }

    /** @param t time. @param r record. @param vote critical votes. @return an upsert. */
    public static Op upsert(final long t, final PeerRecord r, final Vote vote)
    {
        return new Op(MutationKind.UPSERT, t, r, null, 0, null, null, vote);
    }

    /** @param t time. @param id the peer. @return a remove. */
    public static Op remove(final long t, final NodeId id)
    {
        return new Op(MutationKind.REMOVE, t, null, id, 0, null, null, ACCEPT_ALL);
    }

    /** @param t time. @param id the peer. @param lastSeen liveness time. @return a touch. */
    public static Op touch(final long t, final NodeId id, final long lastSeen)
    {
        return new Op(MutationKind.TOUCH, t, null, id, lastSeen, null, null, ACCEPT_ALL);
    }

    /** @param t time. @param b the ops. @param vote critical votes. @return a batch. */
    public static Op batch(final long t, final Batch b, final Vote vote)
    {
        return new Op(MutationKind.BATCH, t, null, null, 0, b, null, vote);
    }

    /** @param t time. @return a tick. */
    public static Op tick(final long t)
    {
        return new Op(MutationKind.TICK, t, null, null, 0, null, null, ACCEPT_ALL);
    }

    /** @param t time. @param b the ban. @return a ban. */
    public static Op ban(final long t, final Ban b)
    {
        return new Op(MutationKind.BAN, t, null, null, 0, null, b, ACCEPT_ALL);
    }

    /** @param t time. @param b what to lift. @return an unban. */
    public static Op unban(final long t, final Ban b)
    {
        return new Op(MutationKind.UNBAN, t, null, null, 0, null, b, ACCEPT_ALL);
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
        return op < refusals.length && null != refusals[op] ? refusals[op].observer() : null;
    }

    @Override
    public AbortCause refusalCause(final int op)
    {
        return op < refusals.length && null != refusals[op] ? refusals[op].cause() : null;
    }

    /** @return the op as a TRACE.md input line (records without {@code firstSeen}), for failure messages. */
    @Override
    public String toString()
    {
        final CanonicalJson j = new CanonicalJson().open().key("op").string(kind.name().toLowerCase()).key("t").number(time);
        switch (kind)
        {
            case UPSERT:
                j.key("peer").raw(inputRecord(record));
                break;
            case REMOVE:
                j.key("id").string(id.toHex());
                break;
            case TOUCH:
                j.key("id").string(id.toHex()).key("lastSeen").number(lastSeen);
                break;
            case BATCH:
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
                break;
            case BAN:
            case UNBAN:
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
        for (int i = 0; i < refusals.length; i++)
        {
            if (null != refusals[i])
            {
                votes.append(" [vote ").append(i).append(": ").append(refusals[i].observer()).append(' ')
                    .append(refusals[i].cause()).append(']');
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
