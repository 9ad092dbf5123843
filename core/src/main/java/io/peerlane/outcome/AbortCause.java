package io.peerlane.outcome;

/** Why a critical observer's vote made an upsert ABORTED. */
public enum AbortCause
{
    VETO, EXCEPTION, TIMEOUT
}
