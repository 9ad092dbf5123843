package io.peerlane.peer;

/** Trust tier, ranked from best ({@link #TIER1}) to worst ({@link #UNTRUSTED}); the ordinal is the rank. */
public enum Tier
{
    TIER1, TIER2, TIER3, TIER4, UNTRUSTED;

    /**
     * @param other tier to compare with.
     * @return true when this tier ranks strictly better than {@code other}.
     */
    public boolean betterThan(final Tier other)
    {
        return ordinal() < other.ordinal();
    }
}
