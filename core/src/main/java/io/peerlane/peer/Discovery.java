package io.peerlane.peer;

/** How a peer was discovered. */
public enum Discovery
{
    BOOTSTRAP, DHT, MESH_SCAN, RELAY, MANUAL, BLOCKCHAIN
}
