package io.peerlane.state;

/** What a committed change did to one peer. */
public enum ChangeType
{
    ADDED, UPDATED, REMOVED, TOUCHED
}
