package io.peerlane.mutation;

/** The ops of TRACE.md that change the registry. */
public enum MutationKind
{
    UPSERT, REMOVE, TOUCH, BATCH, TICK, BAN, UNBAN
}
