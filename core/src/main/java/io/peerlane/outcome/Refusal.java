package io.peerlane.outcome;

import io.peerlane.state.CommitResult;

/**
 * Why the registry's own rules refused an op (TRACE.md's reasons of a REJECTED outcome). The outcome's
 * {@link CommitResult#reason()} is the constant's name; a user's admission rule refuses with a code of its
 * own and a critical observer with its name, so those have no constant here.
 */
public enum Refusal
{
    /** The id or the DID is banned, or an endpoint's IP lies in a banned subnet. */
    BANNED,
    /** The global window or the DID's window is full. */
    RATE_LIMITED,
    /** The id is live with a different public key or DID. */
    IDENTITY_CONFLICT,
    /** A new peer whose DID already has {@code maxDevicesPerDid} live peers. */
    DEVICE_LIMIT,
    /** One of the peer's subnets already has {@code maxPeersPerSubnet} live peers. */
    SUBNET_LIMIT,
    /** A new peer at {@code maxPeers} with no victim of its tier or worse. */
    CAPACITY,
    /** A ban with {@code maxBans} bans already held. */
    BAN_LIMIT,
    /** A user's admission rule threw: a broken rule fails closed. */
    RULE_ERROR;

    /**
     * @param reason an outcome's reason.
     * @return the built-in refusal it names, or null for a user rule's code, an observer's name or null.
     */
    public static Refusal of(final String reason)
    {
        if (null != reason)
        {
            for (final Refusal r : VALUES)
            {
                if (r.name().equals(reason))
                {
                    return r;
                }
            }
        }
        return null;
    }

    private static final Refusal[] VALUES = values();
}
