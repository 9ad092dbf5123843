/**
 * A replicated registry: the journal's encoding carried by an Apache Ratis (Raft) log.
 */
package io.peerlane.replication;
