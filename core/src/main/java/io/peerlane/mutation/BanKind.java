package io.peerlane.mutation;

/** What a ban matches: a node id, a DID, or a subnet given as a CIDR. */
public enum BanKind
{
    NODE, DID, SUBNET
}
