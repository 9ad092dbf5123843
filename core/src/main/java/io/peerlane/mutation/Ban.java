package io.peerlane.mutation;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * What a ban or unban names: a node id (64 lowercase hex), a DID, or a subnet (CIDR). Values compare as
 * written for ids and DIDs and as networks for subnets. Immutable and validated when made.
 */
public final class Ban
{
    /** {@code until} of a ban that holds until it is lifted. */
    public static final long FOREVER = Long.MAX_VALUE;

    private final BanKind kind;
    private final String value;
    private final Object key;
    private final long until;

    private Ban(final BanKind kind, final String value, final Object key, final long until)
    {
        this.kind = kind;
        this.value = value;
        this.key = key;
        this.until = until;
    }

    /**
     * @param kind  what the ban matches.
     * @param value hex id, DID, or CIDR.
     * @return an open-ended ban (or the target of an unban).
     * @throws InvalidInputException naming {@code value} when it does not fit the kind.
     */
    public static Ban of(final BanKind kind, final String value)
    {
        return of(kind, value, FOREVER);
    }

    /**
     * @param kind  what the ban matches.
     * @param value hex id, DID, or CIDR.
     * @param until event time at which the ban lapses, or {@link #FOREVER}.
     * @return the ban.
     * @throws InvalidInputException naming the field when a value does not fit.
     */
    public static Ban of(final BanKind kind, final String value, final long until)
    {
        if (null == kind)
        {
            throw new InvalidInputException("kind", null, "is required: node, did or subnet");
        }
        if (null == value)
        {
            throw new InvalidInputException("value", null, "is required");
        }
        final Object key;
        switch (kind)
        {
            case NODE:
                key = NodeId.fromHex("value", value);
                break;
            case DID:
                if (value.length() > 256 || !PeerRecord.isDid(value))
                {
                    throw new InvalidInputException("value", value, "must be a DID of at most 256 characters");
                }
                key = value;
                break;
            default:
                key = Cidr.parse("value", value);
                break;
        }
        if (until != FOREVER && (until < 0 || until >= io.peerlane.peer.Limits.MAX_SAFE_EXCLUSIVE))
        {
            throw new InvalidInputException("until", until, "is outside [0, 2^53)");
        }
        return new Ban(kind, value, key, until);
    }

    /** @return what the ban matches. */
    public BanKind kind()
    {
        return kind;
    }

    /** @return the value as written. */
    public String value()
    {
        return value;
    }

    /** @return the parsed value: a {@link NodeId}, a DID string, or a {@link Cidr}. */
    public Object key()
    {
        return key;
    }

    /** @return the event time at which the ban lapses, or {@link #FOREVER}. */
    public long until()
    {
        return until;
    }

    @Override
    public String toString()
    {
        return kind.name().toLowerCase() + " " + value + (until == FOREVER ? "" : " until " + until);
    }
}
