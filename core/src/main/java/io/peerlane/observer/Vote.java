package io.peerlane.observer;

/** A critical observer's vote on a proposed upsert. */
public enum Vote
{
    ACCEPT, REJECT
}
