package io.peerlane.peer;

/** Role of a node in its network. */
public enum NodeType
{
    FULL, EDGE, VALIDATOR, RELAY, GATEWAY
}
