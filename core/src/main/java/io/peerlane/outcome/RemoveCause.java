package io.peerlane.outcome;

/** Why a peer left the registry. */
public enum RemoveCause
{
    REMOVED, EVICTED, EXPIRED, BANNED
}
