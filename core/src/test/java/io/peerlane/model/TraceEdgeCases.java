package io.peerlane.model;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.AbortCause;
import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.Tier;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TRACE.md's edge cases, each expectation worked out by hand from the text: the lines an op must give, not
 * what some implementation happens to give. Run against the reference model and against RegistryState.
 */
abstract class TraceEdgeCases
{
    /** What the cases drive: the model, or an adapter over the code under test. */
    interface Subject
    {
        List<String> apply(int line, MutationValue op);

        List<String> stateLines();

        int size();

        int tombstoneCount();

        long tombstoneVersion(String idHex);

        int banCount();

        int didRateWindowCount();

        long time();
    }

    private Subject model;
    private int line;

    /**
     * @param settings rule settings.
     * @return a fresh subject.
     */
    abstract Subject create(RegistrySettings settings);

    // ---------------------------------------------------------------- tombstones

    @Test
    void tombstoneIsDroppedOnlyOnceMadeAtPlusTtlIsBeforeT()
    {
        start(RegistrySettings.builder().tombstoneTtlMs(1_000).build());
        expect(op(VotedOps.upsert(1_000, peer(1, 5, 1_000).build(), VotedOps.ACCEPT_ALL)), outcome(1, "ADDED"), added(1, 1, 5));
        expect(op(MutationValue.remove(2_000, id(1))), outcome(2, "REMOVED"), removed(2, 1, "REMOVED"));
        // Made at 2000: 2000 + 1000 < 3000 is false, so the tombstone still holds version 5.
        expect(op(VotedOps.upsert(3_000, peer(1, 5, 3_000).build(), VotedOps.ACCEPT_ALL)), outcome(3, "STALE"));
        assertEquals(5, model.tombstoneVersion(hex(1)));
        // 2000 + 1000 < 3001: dropped at step 1, so the same version is new again.
        expect(op(VotedOps.upsert(3_001, peer(1, 5, 3_001).build(), VotedOps.ACCEPT_ALL)), outcome(4, "ADDED"), added(3, 1, 5));
        assertEquals(0, model.tombstoneCount());
    }

    @Test
    void tombstoneCapDropsTheOldestThenTheLowestIdEvenTheOneJustMade()
    {
        start(RegistrySettings.builder().maxTombstones(2).build());
        for (int n = 1; n <= 5; n++)
        {
            op(VotedOps.upsert(10, peer(n, n, 10).build(), VotedOps.ACCEPT_ALL));
        }
        op(MutationValue.remove(20, id(1)));
        op(MutationValue.remove(21, id(2)));
        op(MutationValue.remove(22, id(3)));
        // The third tombstone pushes out the oldest (id 1, made at 20).
        assertEquals(-1, model.tombstoneVersion(hex(1)));
        assertEquals(2, model.tombstoneVersion(hex(2)));
        assertEquals(3, model.tombstoneVersion(hex(3)));

        op(MutationValue.remove(30, id(5)));
        assertEquals(-1, model.tombstoneVersion(hex(2)));
        op(MutationValue.remove(30, id(4)));
        // Now 3 (made at 22), 5 and 4 (both at 30): 3 is oldest.
        assertEquals(-1, model.tombstoneVersion(hex(3)));

        start(RegistrySettings.builder().maxTombstones(1).build());
        op(VotedOps.upsert(10, peer(5, 7, 10).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(3, 4, 10).build(), VotedOps.ACCEPT_ALL));
        op(MutationValue.remove(10, id(5)));
        op(MutationValue.remove(10, id(3)));
        // Both made at 10; the lowest id goes, and that is the tombstone just made.
        assertEquals(7, model.tombstoneVersion(hex(5)));
        assertEquals(-1, model.tombstoneVersion(hex(3)));
        expect(op(VotedOps.upsert(11, peer(3, 1, 11).build(), VotedOps.ACCEPT_ALL)), outcome(5, "ADDED"), added(5, 3, 1));
    }

    // ---------------------------------------------------------------- bans

    @Test
    void banWithUntilHoldsWhileTimeIsBelowIt()
    {
        start(RegistrySettings.defaults());
        expect(op(MutationValue.ban(1_000, Ban.of(BanKind.NODE, hex(1), 5_000))), outcome(1, "BAN_SET"));
        assertEquals(1, model.banCount());
        expect(op(VotedOps.upsert(4_999, peer(1, 1, 4_999).build(), VotedOps.ACCEPT_ALL)), rejected(2, "BANNED"));
        // until <= t: lapsed at step 1 of this line.
        expect(op(VotedOps.upsert(5_000, peer(1, 1, 5_000).build(), VotedOps.ACCEPT_ALL)), outcome(3, "ADDED"), added(1, 1, 1));
        assertEquals(0, model.banCount());
    }

    @Test
    void banRemovesEveryMatchingPeerInIdOrderPinnedToo()
    {
        start(RegistrySettings.builder().maxBans(2).build());
        op(VotedOps.upsert(10, peer(3, 1, 10).endpoint(Endpoint.of("10.0.1.7:4000", Protocol.TCP, 1, 0.5)).build(),
            VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(1, 1, 10).pinned(true).endpoint(Endpoint.of("/ip4/10.0.1.9/tcp/1", Protocol.UDP, 1, 0.5))
            .build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(2, 1, 10).endpoint(Endpoint.of("10.0.2.1:1", Protocol.TCP, 1, 0.5)).build(),
            VotedOps.ACCEPT_ALL));
        expect(op(MutationValue.ban(20, Ban.of(BanKind.SUBNET, "10.0.1.0/24"))),
            outcome(4, "BAN_SET"), removed(4, 1, "BANNED"), removed(5, 3, "BANNED"));
        // Stacked: the same value again is a second ban; the limit of 2 is then reached.
        expect(op(MutationValue.ban(21, Ban.of(BanKind.SUBNET, "10.0.1.0/24"))), outcome(5, "BAN_SET"));
        expect(op(MutationValue.ban(22, Ban.of(BanKind.DID, "did:key:a"))), rejected(6, "BAN_LIMIT"));
        assertEquals(2, model.banCount());
        // One unban lifts both.
        expect(op(MutationValue.unban(23, Ban.of(BanKind.SUBNET, "10.0.1.0/24"))), outcome(7, "BAN_LIFTED"));
        expect(op(MutationValue.unban(24, Ban.of(BanKind.SUBNET, "10.0.1.0/24"))), outcome(8, "NOT_FOUND"));
        assertEquals(0, model.banCount());
    }

    @Test
    void subnetBansCompareAsNetworks()
    {
        start(RegistrySettings.defaults());
        op(MutationValue.ban(10, Ban.of(BanKind.SUBNET, "2001:0db8::/32")));
        expect(op(VotedOps.upsert(11, peer(1, 1, 11).endpoint(Endpoint.of("[2001:DB8:0:1::2]:9000", Protocol.QUIC, 1, 0.5))
            .build(), VotedOps.ACCEPT_ALL)), rejected(2, "BANNED"));
        expect(op(MutationValue.unban(12, Ban.of(BanKind.SUBNET, "2001:db8::/32"))), outcome(3, "BAN_LIFTED"));
        expect(op(VotedOps.upsert(13, peer(1, 1, 13).endpoint(Endpoint.of("[2001:DB8:0:1::2]:9000", Protocol.QUIC, 1, 0.5))
            .build(), VotedOps.ACCEPT_ALL)), outcome(4, "ADDED"), added(1, 1, 1));
    }

    // ---------------------------------------------------------------- rate limits

    @Test
    void globalWindowIsAlignedToTheSecondAndCountsRefusedUpserts()
    {
        start(RegistrySettings.builder().globalRateLimitPerSec(2).build());
        expect(op(VotedOps.upsert(1_998, peer(1, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(1, "ADDED"), added(1, 1, 1));
        expect(op(VotedOps.upsert(1_999, peer(2, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(2, "ADDED"), added(2, 2, 1));
        expect(op(VotedOps.upsert(1_999, peer(3, 1, 0).build(), VotedOps.ACCEPT_ALL)), rejected(3, "RATE_LIMITED"));
        // floor(2000 / 1000) = 2: a new window, whatever happened 2 ms ago. A STALE upsert still counts.
        expect(op(VotedOps.upsert(2_000, peer(1, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(4, "STALE"));
        expect(op(VotedOps.upsert(2_001, peer(3, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(5, "ADDED"), added(3, 3, 1));
        expect(op(VotedOps.upsert(2_999, peer(4, 1, 0).build(), VotedOps.ACCEPT_ALL)), rejected(6, "RATE_LIMITED"));
        // Removes are not rate limited.
        expect(op(MutationValue.remove(2_999, id(3))), outcome(7, "REMOVED"), removed(4, 3, "REMOVED"));
    }

    @Test
    void didWindowIsAlignedToTheMinute()
    {
        start(RegistrySettings.builder().didRateLimitPerMin(2).build());
        expect(op(VotedOps.upsert(59_000, peer(1, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(1, "ADDED"), added(1, 1, 1));
        expect(op(VotedOps.upsert(59_999, peer(2, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(2, "ADDED"), added(2, 2, 1));
        expect(op(VotedOps.upsert(59_999, peer(3, 1, 0).build(), VotedOps.ACCEPT_ALL)), rejected(3, "RATE_LIMITED"));
        // Another DID has its own window.
        expect(op(VotedOps.upsert(59_999, peer(4, 1, 0).did("did:key:b").build(), VotedOps.ACCEPT_ALL)),
            outcome(4, "ADDED"), added(3, 4, 1));
        assertEquals(2, model.didRateWindowCount());
        expect(op(VotedOps.upsert(60_000, peer(3, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(5, "ADDED"), added(4, 3, 1));
        assertEquals(1, model.didRateWindowCount());
    }

    // ---------------------------------------------------------------- capacity

    @Test
    void evictsTheWorstTierThenOldestLastSeenThenLowestIdNeverPinned()
    {
        start(RegistrySettings.builder().maxPeers(4).build());
        op(VotedOps.upsert(1_000, peer(2, 1, 100).tier(Tier.UNTRUSTED).pinned(true).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(1_000, peer(3, 1, 200).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(1_000, peer(5, 1, 100).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(1_000, peer(4, 1, 100).build(), VotedOps.ACCEPT_ALL));
        // Victim: not the pinned UNTRUSTED 2; among TIER3, lastSeen 100 (4 and 5), then the lower id, 4.
        expect(op(VotedOps.upsert(1_001, peer(9, 1, 900).build(), VotedOps.ACCEPT_ALL)),
            outcome(5, "ADDED"), removed(5, 4, "EVICTED"), added(6, 9, 1));
        // A TIER4 newcomer against TIER3 victims: the victim is better, refused.
        expect(op(VotedOps.upsert(1_002, peer(8, 1, 900).tier(Tier.TIER4).build(), VotedOps.ACCEPT_ALL)), rejected(6, "CAPACITY"));
        // An update never needs room.
        expect(op(VotedOps.upsert(1_003, peer(5, 2, 50).build(), VotedOps.ACCEPT_ALL)), outcome(7, "UPDATED"), updated(7, 5, 2, 1));
        // A refused (ABORTED) newcomer evicts nothing.
        expect(op(VotedOps.upsert(1_004, peer(7, 1, 900).build(), r -> new VotedOps.Refusal("audit", AbortCause.VETO))),
            "{\"line\":8,\"outcome\":\"ABORTED\",\"reason\":\"audit\",\"cause\":\"VETO\"}");
        // TIER1 newcomer: victim TIER3 with the oldest lastSeen, now 5 (lastSeen 50).
        expect(op(VotedOps.upsert(1_005, peer(1, 1, 900).tier(Tier.TIER1).build(), VotedOps.ACCEPT_ALL)),
            outcome(9, "ADDED"), removed(8, 5, "EVICTED"), added(9, 1, 1));
        assertEquals(2, model.tombstoneCount());

        start(RegistrySettings.builder().maxPeers(1).build());
        op(VotedOps.upsert(1, peer(1, 1, 1).pinned(true).build(), VotedOps.ACCEPT_ALL));
        expect(op(VotedOps.upsert(2, peer(2, 1, 2).tier(Tier.TIER1).build(), VotedOps.ACCEPT_ALL)), rejected(2, "CAPACITY"));
    }

    @Test
    void deviceAndSubnetLimitsComeBeforeCapacityAndAnUpdateDoesNotCountItself()
    {
        start(RegistrySettings.builder().maxPeers(2).maxDevicesPerDid(1).maxPeersPerSubnet(1).build());
        final Endpoint a = Endpoint.of("10.0.1.7:4000", Protocol.TCP, 1, 0.5);
        final Endpoint b = Endpoint.of("/ip4/10.0.1.200/udp/9", Protocol.UDP, 1, 0.5);
        op(VotedOps.upsert(1, peer(1, 1, 1).endpoint(a).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(1, peer(2, 1, 1).did("did:key:b").build(), VotedOps.ACCEPT_ALL));
        // Full registry, DID already at its limit: DEVICE_LIMIT, not CAPACITY.
        expect(op(VotedOps.upsert(2, peer(3, 1, 2).build(), VotedOps.ACCEPT_ALL)), rejected(3, "DEVICE_LIMIT"));
        expect(op(VotedOps.upsert(2, peer(3, 1, 2).did("did:key:c").endpoint(b).build(), VotedOps.ACCEPT_ALL)),
            rejected(4, "SUBNET_LIMIT"));
        // Peer 1 moving within its own subnet is fine; peer 2 moving into it is not.
        expect(op(VotedOps.upsert(3, peer(1, 2, 3).endpoint(b).build(), VotedOps.ACCEPT_ALL)), outcome(5, "UPDATED"),
            updated(3, 1, 2, 1));
        expect(op(VotedOps.upsert(3, peer(2, 2, 3).did("did:key:b").endpoint(a).build(), VotedOps.ACCEPT_ALL)),
            rejected(6, "SUBNET_LIMIT"));
        // A host name and an IPv6 in another subnet count nowhere near it.
        expect(op(VotedOps.upsert(4, peer(2, 2, 4).did("did:key:b").endpoint(Endpoint.of("node.example:1", Protocol.TCP, 1, 0.5))
            .endpoint(Endpoint.of("[::ffff:10.0.1.7]:5", Protocol.TCP, 1, 0.5)).build(), VotedOps.ACCEPT_ALL)),
            outcome(7, "UPDATED"), updated(4, 2, 2, 1));
    }

    // ---------------------------------------------------------------- a time to live of 0: no expiry

    @Test
    void aZeroPeerTimeToLiveMeansNoPeerExpires()
    {
        start(RegistrySettings.builder().peerTtlMs(0).build());
        expect(op(VotedOps.upsert(10, peer(1, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(1, "ADDED"), added(1, 1, 1));
        // Read literally, 0 + 0 < t would expire it at the next line; 0 means the setting is off.
        expect(op(MutationValue.tick(1L << 52)), outcome(2, "TICKED"));
        assertEquals(1, model.size());
        expect(op(MutationValue.remove(1L << 52, id(1))), outcome(3, "REMOVED"), removed(2, 1, "REMOVED"));
    }

    @Test
    void aZeroTombstoneTimeToLiveKeepsTombstonesUntilTheCapDropsThem()
    {
        start(RegistrySettings.builder().tombstoneTtlMs(0).maxTombstones(2).build());
        op(VotedOps.upsert(10, peer(1, 5, 10).build(), VotedOps.ACCEPT_ALL));
        op(MutationValue.remove(10, id(1)));
        // Read literally, 10 + 0 < t would drop it at the next millisecond; 0 means it never times out.
        expect(op(VotedOps.upsert(1L << 52, peer(1, 5, 10).build(), VotedOps.ACCEPT_ALL)), outcome(3, "STALE"));
        assertEquals(5, model.tombstoneVersion(hex(1)));
        op(VotedOps.upsert(1L << 52, peer(2, 1, 10).build(), VotedOps.ACCEPT_ALL));
        op(MutationValue.remove(1L << 52, id(2)));
        assertEquals(2, model.tombstoneCount());
        op(VotedOps.upsert(1L << 52, peer(3, 1, 10).build(), VotedOps.ACCEPT_ALL));
        op(MutationValue.remove(1L << 52, id(3)));
        // The cap: the oldest (peer 1's, made at 10) goes first.
        assertEquals(2, model.tombstoneCount());
        assertEquals(-1, model.tombstoneVersion(hex(1)));
        expect(op(VotedOps.upsert(1L << 52, peer(1, 5, 10).build(), VotedOps.ACCEPT_ALL)), outcome(8, "ADDED"), added(7, 1, 5));
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void expiresInOrderOfExpiryTimeThenIdButNeverPinned()
    {
        start(RegistrySettings.builder().peerTtlMs(1_000).build());
        op(VotedOps.upsert(10, peer(3, 1, 500).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(2, 1, 500).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(1, 1, 400).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(4, 1, 0).pinned(true).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(10, peer(5, 1, 501).build(), VotedOps.ACCEPT_ALL));
        // 500 + 1000 < 1500 is false: nothing but peer 1 (1400) goes.
        expect(op(MutationValue.tick(1_500)), outcome(6, "TICKED"), removed(6, 1, "EXPIRED"));
        // At 1501: 2 and 3 (both 1500, by id); 5 (1501) stays; pinned 4 stays.
        expect(op(MutationValue.tick(1_501)), outcome(7, "TICKED"), removed(7, 2, "EXPIRED"), removed(8, 3, "EXPIRED"));
        // A touch raises lastSeen (an event only when it moves), a peer added long past its ttl is ADDED.
        expect(op(MutationValue.touch(1_501, id(5), 100)), outcome(8, "TOUCHED"));
        expect(op(MutationValue.touch(1_501, id(5), 2_000)), outcome(9, "TOUCHED"), touched(9, 5, 2_000));
        expect(op(MutationValue.touch(1_501, id(2), 2_000)), outcome(10, "NOT_FOUND"));
        expect(op(VotedOps.upsert(1_503, peer(6, 1, 0).build(), VotedOps.ACCEPT_ALL)), outcome(11, "ADDED"), added(10, 6, 1));
        // Times out of order are raised to the previous one: this tick is at 1503 and expires peer 6 at once.
        expect(op(MutationValue.tick(1_000)), outcome(12, "TICKED"), removed(11, 6, "EXPIRED"));
        assertEquals(1_503, model.time());
        expect(op(MutationValue.tick(3_001)), outcome(13, "TICKED"), removed(12, 5, "EXPIRED"));
        assertEquals(1, model.size());
    }

    // ---------------------------------------------------------------- batches

    @Test
    void committedBatchIsOneEventLineWithItsEvictions()
    {
        start(RegistrySettings.builder().maxPeers(1).build());
        op(VotedOps.upsert(1, peer(1, 1, 1).build(), VotedOps.ACCEPT_ALL));
        final Batch batch = Batch.builder().upsert(peer(2, 1, 5).build()).upsert(peer(3, 1, 6).build())
            .remove(id(3)).build();
        expect(op(VotedOps.batch(2, batch, VotedOps.ACCEPT_ALL)), outcome(2, "BATCH_COMMITTED"),
            "{\"seq\":2,\"event\":\"BATCH\",\"changes\":[" +
            "{\"event\":\"REMOVED\",\"id\":\"" + hex(1) + "\",\"cause\":\"EVICTED\"}," +
            "{\"event\":\"ADDED\",\"id\":\"" + hex(2) + "\",\"version\":1}," +
            "{\"event\":\"REMOVED\",\"id\":\"" + hex(2) + "\",\"cause\":\"EVICTED\"}," +
            "{\"event\":\"ADDED\",\"id\":\"" + hex(3) + "\",\"version\":1}," +
            "{\"event\":\"REMOVED\",\"id\":\"" + hex(3) + "\",\"cause\":\"REMOVED\"}]}");
        assertEquals(3, model.tombstoneCount());
    }

    @Test
    void failedBatchLeavesNoEvictionTombstoneOrRateCountButKeepsItsExpiries()
    {
        start(RegistrySettings.builder().maxPeers(2).peerTtlMs(1_000).globalRateLimitPerSec(5).build());
        op(VotedOps.upsert(5_000, peer(1, 1, 5_000).build(), VotedOps.ACCEPT_ALL));
        op(VotedOps.upsert(5_000, peer(2, 1, 5_001).build(), VotedOps.ACCEPT_ALL));
        final List<String> before = model.stateLines();
        final Batch batch = Batch.builder()
            .upsert(peer(3, 1, 5_500).build()) // evicts 1 (oldest lastSeen)
            .remove(id(2))
            .upsert(peer(4, 1, 5_500).build())
            .upsert(peer(3, 1, 5_500).build()) // STALE against the batch's own 3
            .build();
        expect(op(VotedOps.batch(5_100, batch, VotedOps.ACCEPT_ALL)),
            "{\"line\":3,\"outcome\":\"BATCH_FAILED\",\"failedOp\":3,\"reason\":\"STALE\"}");
        assertEquals(before, model.stateLines());
        assertEquals(0, model.tombstoneCount());
        // Two counts so far this second; the batch's three were given back, so three more fit.
        expect(op(VotedOps.upsert(5_200, peer(1, 2, 5_200).build(), VotedOps.ACCEPT_ALL)), outcome(4, "UPDATED"),
            updated(3, 1, 2, 1));
        expect(op(VotedOps.upsert(5_200, peer(2, 2, 5_200).build(), VotedOps.ACCEPT_ALL)), outcome(5, "UPDATED"),
            updated(4, 2, 2, 1));
        expect(op(VotedOps.upsert(5_200, peer(2, 3, 5_200).build(), VotedOps.ACCEPT_ALL)), outcome(6, "UPDATED"),
            updated(5, 2, 3, 2));
        expect(op(VotedOps.upsert(5_200, peer(2, 4, 5_200).build(), VotedOps.ACCEPT_ALL)), rejected(7, "RATE_LIMITED"));

        // Expiry runs once at the batch's line and stays even though the batch fails; the failing op's
        // ABORTED cause is reported.
        final Batch aborted = Batch.builder().remove(id(1)).upsert(peer(7, 1, 9_000).build()).build();
        expect(op(VotedOps.batch(6_201, aborted, r -> new VotedOps.Refusal("audit", AbortCause.TIMEOUT))),
            "{\"line\":8,\"outcome\":\"BATCH_FAILED\",\"failedOp\":0,\"reason\":\"NOT_FOUND\"}",
            removed(6, 1, "EXPIRED"), removed(7, 2, "EXPIRED"));
        expect(op(VotedOps.upsert(6_202, peer(1, 3, 6_202).build(), VotedOps.ACCEPT_ALL)), outcome(9, "ADDED"), added(8, 1, 3));
        expect(op(VotedOps.batch(6_203, aborted, r -> r.id().equals(id(7)) ? new VotedOps.Refusal("audit", AbortCause.TIMEOUT) : null)),
            "{\"line\":10,\"outcome\":\"BATCH_FAILED\",\"failedOp\":1,\"reason\":\"audit\",\"cause\":\"TIMEOUT\"}");
        assertEquals(1, model.size());
        assertEquals(-1, model.tombstoneVersion(hex(1)));
    }

    // ---------------------------------------------------------------- identity, versions, output

    @Test
    void identityConflictStaleAndUpdateKeepFirstSeen()
    {
        start(RegistrySettings.defaults());
        op(VotedOps.upsert(100, peer(1, 3, 100).build(), VotedOps.ACCEPT_ALL));
        expect(op(VotedOps.upsert(200, peer(1, 4, 200).publicKeyHex("cd").build(), VotedOps.ACCEPT_ALL)),
            rejected(2, "IDENTITY_CONFLICT"));
        expect(op(VotedOps.upsert(200, peer(1, 4, 200).did("did:key:b").build(), VotedOps.ACCEPT_ALL)),
            rejected(3, "IDENTITY_CONFLICT"));
        expect(op(VotedOps.upsert(200, peer(1, 3, 200).build(), VotedOps.ACCEPT_ALL)), outcome(4, "STALE"));
        expect(op(VotedOps.upsert(200, peer(1, 2, 200).build(), VotedOps.ACCEPT_ALL)), outcome(5, "STALE"));
        expect(op(VotedOps.upsert(300, peer(1, 9, 50).build(), VotedOps.ACCEPT_ALL)), outcome(6, "UPDATED"), updated(2, 1, 9, 3));
        assertEquals(List.of(
            "{\"id\":\"" + hex(1) + "\",\"did\":\"did:key:a\",\"device\":\"d\",\"publicKey\":\"ab\",\"version\":9," +
            "\"lastSeen\":50,\"endpoints\":[],\"tier\":\"TIER3\",\"trust\":0.5,\"nodeType\":\"FULL\",\"votingPower\":0," +
            "\"authenticated\":false,\"quantumSecure\":false,\"pinned\":false,\"discovery\":\"MANUAL\",\"hopCount\":0," +
            "\"routeQuality\":0.0,\"firstSeen\":100}",
            "{\"peers\":1,\"digest\":\"" + sha256(
            "{\"id\":\"" + hex(1) + "\",\"did\":\"did:key:a\",\"device\":\"d\",\"publicKey\":\"ab\",\"version\":9," +
            "\"lastSeen\":50,\"endpoints\":[],\"tier\":\"TIER3\",\"trust\":0.5,\"nodeType\":\"FULL\",\"votingPower\":0," +
            "\"authenticated\":false,\"quantumSecure\":false,\"pinned\":false,\"discovery\":\"MANUAL\",\"hopCount\":0," +
            "\"routeQuality\":0.0,\"firstSeen\":100}\n") + "\"}"), model.stateLines());
    }

    @Test
    void stateLineHasEveryFieldInTableOrder()
    {
        start(RegistrySettings.defaults());
        assertEquals(List.of("{\"peers\":0,\"digest\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}"),
            model.stateLines());
        op(VotedOps.upsert(7, peer(1, 2, 3)
            .endpoint(Endpoint.of("[2001:db8::1]:9000", Protocol.QUIC, 12, 1.0))
            .endpoint(Endpoint.of("a\"b\\c", Protocol.LORAWAN, 0, 0.0001))
            .tier(Tier.TIER1).trust(1.0 / 3.0).nodeType(NodeType.VALIDATOR).votingPower(10).authenticated(true)
            .quantumSecure(true).pinned(true).discovery(Discovery.DHT).nextHop(id(2)).hopCount(255).routeQuality(1e-7)
            .build(), VotedOps.ACCEPT_ALL));
        assertEquals("{\"id\":\"" + hex(1) + "\",\"did\":\"did:key:a\",\"device\":\"d\",\"publicKey\":\"ab\"," +
            "\"version\":2,\"lastSeen\":3,\"endpoints\":[" +
            "{\"address\":\"[2001:db8::1]:9000\",\"protocol\":\"QUIC\",\"latencyMs\":12,\"signal\":1.0}," +
            "{\"address\":\"a\\\"b\\\\c\",\"protocol\":\"LORAWAN\",\"latencyMs\":0,\"signal\":0.0001}]," +
            "\"tier\":\"TIER1\",\"trust\":0.3333333333333333,\"nodeType\":\"VALIDATOR\",\"votingPower\":10," +
            "\"authenticated\":true,\"quantumSecure\":true,\"pinned\":true,\"discovery\":\"DHT\"," +
            "\"nextHop\":\"" + hex(2) + "\",\"hopCount\":255,\"routeQuality\":0.0000001,\"firstSeen\":7}",
            model.stateLines().get(0));
    }

    // ---------------------------------------------------------------- helpers

    private void start(final RegistrySettings settings)
    {
        model = create(settings);
        line = 0;
    }

    private List<String> op(final MutationValue op)
    {
        return model.apply(++line, op);
    }

    private static void expect(final List<String> actual, final String... expected)
    {
        assertEquals(List.of(expected), actual);
    }

    private static NodeId id(final int n)
    {
        return NodeId.of(0, 0, 0, n);
    }

    private static String hex(final int n)
    {
        return id(n).toHex();
    }

    private static PeerRecord.Builder peer(final int n, final long version, final long lastSeen)
    {
        return PeerRecord.builder(id(n)).did("did:key:a").device("d").publicKeyHex("ab").version(version)
            .lastSeen(lastSeen);
    }

    private static String outcome(final int line, final String code)
    {
        return "{\"line\":" + line + ",\"outcome\":\"" + code + "\"}";
    }

    private static String rejected(final int line, final String reason)
    {
        return "{\"line\":" + line + ",\"outcome\":\"REJECTED\",\"reason\":\"" + reason + "\"}";
    }

    private static String added(final long seq, final int n, final long version)
    {
        return "{\"seq\":" + seq + ",\"event\":\"ADDED\",\"id\":\"" + hex(n) + "\",\"version\":" + version + "}";
    }

    private static String updated(final long seq, final int n, final long version, final long previous)
    {
        return "{\"seq\":" + seq + ",\"event\":\"UPDATED\",\"id\":\"" + hex(n) + "\",\"version\":" + version +
            ",\"previousVersion\":" + previous + "}";
    }

    private static String removed(final long seq, final int n, final String cause)
    {
        return "{\"seq\":" + seq + ",\"event\":\"REMOVED\",\"id\":\"" + hex(n) + "\",\"cause\":\"" + cause + "\"}";
    }

    private static String touched(final long seq, final int n, final long lastSeen)
    {
        return "{\"seq\":" + seq + ",\"event\":\"TOUCHED\",\"id\":\"" + hex(n) + "\",\"lastSeen\":" + lastSeen + "}";
    }

    private static String sha256(final String text)
    {
        try
        {
            final byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
