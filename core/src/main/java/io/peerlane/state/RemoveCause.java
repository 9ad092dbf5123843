package io.peerlane.state;

/** Why a peer left the registry. */
public enum RemoveCause
{
    REMOVED, EVICTED, EXPIRED, BANNED
}
