package io.peerlane.engine;

/** How the stages are laid out on threads. Both give identical outcomes for identical input. */
public enum Topology
{
    /** One consumer thread runs prepare, commit and publish per event: best on 2 cores. */
    COMPACT,
    /** Prepare lanes, the commit stage and publish lanes on their own threads: for many cores. */
    PIPELINED
}
