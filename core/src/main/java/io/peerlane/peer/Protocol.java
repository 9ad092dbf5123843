package io.peerlane.peer;

/** Transport of an endpoint. */
public enum Protocol
{
    TCP, UDP, QUIC, BLUETOOTH_LE, BLUETOOTH_CLASSIC, WIFI_DIRECT, LORAWAN, SATELLITE
}
