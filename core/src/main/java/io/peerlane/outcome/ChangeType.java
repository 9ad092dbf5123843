package io.peerlane.outcome;

/** What a committed change did to one peer. */
public enum ChangeType
{
    ADDED, UPDATED, REMOVED, TOUCHED
}
