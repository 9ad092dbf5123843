package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static io.peerlane.subsystem.TestPeers.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each result of add, markAlive and markDead, each transition of a pending ping, and each listener report. */
class KademliaEvictionTest
{
    private static final NodeId ZERO = low(0);

    /** @return a peer of bucket 255 of the zero id. */
    private static PeerRecord.Builder top(final long n)
    {
        return peer(NodeId.of(Long.MIN_VALUE | n, 0, 0, 0));
    }

    private final List<String> heard = new ArrayList<>();

    private KademliaTable table(final KademliaSettings settings)
    {
        return new KademliaTable(ZERO, settings).listener(new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
                heard.add("added " + record.id().word(0));
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                heard.add("removed " + record.id().word(0) + " " + cause);
            }
        });
    }

    private List<String> drain()
    {
        final List<String> out = new ArrayList<>(heard);
        heard.clear();
        return out;
    }

    private static String w(final PeerRecord r)
    {
        return String.valueOf(r.id().word(0));
    }

    @Test
    void fullBucketNamesItsLeastRecentlySeenMemberAndAnAnsweredPingKeepsIt()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(2).replacementCacheSize(2).build());
        final PeerRecord a = top(1).build();
        final PeerRecord b = top(2).build();
        final PeerRecord c = top(3).build();
        assertEquals(AddResult.ADDED, table.add(a));
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(List.of("added " + w(a), "added " + w(b)), drain());
        assertNull(table.pendingCandidate(255), "no ping while the bucket has room");

        assertEquals(AddResult.CACHED, table.add(c));
        assertEquals(a, table.pendingCandidate(255), "the least recently seen member is the one to ping");
        assertEquals(List.of(a), table.pendingCandidates());
        assertEquals(AddResult.CACHED, table.add(c), "seen again: still one ping pending, the same candidate");
        assertEquals(a, table.pendingCandidate(255));

        assertEquals(MarkResult.KEPT, table.markAlive(a.id()));
        assertNull(table.pendingCandidate(255), "the ping is settled");
        assertEquals(List.of(b, a), table.bucket(255), "a answered: it moved to the most recently seen end");
        assertEquals(List.of(c), table.replacements(255), "the newcomer stays in the cache");
        assertEquals(List.of(), drain(), "no member changed");

        assertEquals(AddResult.CACHED, table.add(c));
        assertEquals(b, table.pendingCandidate(255), "the next newcomer contact names the new least recently seen");
        assertEquals(List.of(), table.checkInvariants(List.of(a, b, c)));
    }

    @Test
    void anUnansweredPingEvictsAndPromotesTheNewcomer()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(2).replacementCacheSize(2).build());
        final PeerRecord a = top(1).build();
        final PeerRecord b = top(2).build();
        final PeerRecord c = top(3).build();
        table.add(a);
        table.add(b);
        table.add(c);
        drain();
        assertEquals(MarkResult.REPLACED, table.markDead(a.id()));
        assertEquals(List.of("removed " + w(a) + " REPLACED", "added " + w(c)), drain(), "removed(old), then added(new)");
        assertEquals(List.of(b, c), table.bucket(255));
        assertFalse(table.knows(a.id()), "an evicted peer is forgotten");
        assertNull(table.pendingCandidate(255));

        assertEquals(MarkResult.EVICTED, table.markDead(b.id()), "no replacement left");
        assertEquals(List.of("removed " + w(b) + " EVICTED"), drain());
        assertEquals(List.of(c), table.bucket(255));
        assertEquals(MarkResult.UNKNOWN, table.markDead(b.id()));
        assertEquals(MarkResult.UNKNOWN, table.markAlive(b.id()));
        assertEquals(AddResult.ADDED, table.add(a), "an evicted peer gets back in when seen again with room");
    }

    @Test
    void seeingTheCandidateSettlesItsPing()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(1).build());
        final PeerRecord a = top(1).build();
        table.add(a);
        assertEquals(AddResult.CACHED, table.add(top(2).build()));
        assertEquals(a, table.pendingCandidate(255));
        assertEquals(AddResult.UPDATED, table.add(a.toBuilder().version(2).build()), "a touch or an update of it");
        assertNull(table.pendingCandidate(255));
    }

    @Test
    void removingTheCandidateSettlesItsPingAndPromotes()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(1).build());
        final PeerRecord a = top(1).build();
        final PeerRecord b = top(2).build();
        table.add(a);
        table.add(b);
        drain();
        assertTrue(table.remove(a.id()));
        assertEquals(List.of("removed " + w(a) + " LEFT", "added " + w(b)), drain());
        assertNull(table.pendingCandidate(255));
        assertTrue(table.remove(b.id()));
        assertFalse(table.remove(b.id()));
        assertEquals(List.of("removed " + w(b) + " LEFT"), drain());
    }

    @Test
    void pinnedMembersAreProtected()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(2).build());
        final PeerRecord pinned = top(1).pinned(true).build();
        final PeerRecord b = top(2).build();
        table.add(pinned);
        table.add(b);
        assertEquals(AddResult.CACHED, table.add(top(3).build()));
        assertEquals(b, table.pendingCandidate(255), "the pinned peer is least recently seen but never named");
        assertEquals(MarkResult.PROTECTED, table.markDead(pinned.id()));
        assertTrue(table.isMember(pinned.id()));
        assertEquals(MarkResult.REPLACED, table.markDead(b.id()));

        final KademliaTable allPinned = table(KademliaSettings.builder().k(1).build());
        allPinned.add(pinned);
        assertEquals(AddResult.CACHED, allPinned.add(b));
        assertNull(allPinned.pendingCandidate(255), "nothing to ping: every member is protected");
    }

    @Test
    void deadReplacementIsDropped()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(1).build());
        table.add(top(1).build());
        final PeerRecord r = top(2).build();
        table.add(r);
        drain();
        assertEquals(MarkResult.KEPT, table.markAlive(r.id()), "a replacement heard from stays cached");
        assertEquals(MarkResult.DROPPED, table.markDead(r.id()));
        assertFalse(table.knows(r.id()));
        assertEquals(List.of(), drain(), "replacements are not members: nothing to report");
    }

    @Test
    void cacheOfSizeZeroStillOffersTheCandidate()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(1).replacementCacheSize(0).build());
        final PeerRecord a = top(1).build();
        table.add(a);
        assertEquals(AddResult.NOT_CACHED, table.add(top(2).build()));
        assertEquals(a, table.pendingCandidate(255));
        assertEquals(MarkResult.EVICTED, table.markDead(a.id()));
        assertEquals(AddResult.ADDED, table.add(top(2).build()), "the newcomer gets in the next time it is seen");
        assertEquals(AddResult.SELF, table.add(peer(ZERO).build()));
    }

    @Test
    void diversityResultsAndADemotedMember()
    {
        final KademliaTable table = table(KademliaSettings.builder().maxPerSubnetInBucket(1).maxPerSubnetInTable(2)
            .build());
        final PeerRecord a = peer(low(0x80)).endpoint(tcp("10.1.2.3:1")).build();
        final PeerRecord b = peer(low(0x81)).endpoint(tcp("10.1.2.4:1")).build();
        final PeerRecord c = peer(low(0x100)).endpoint(tcp("10.1.2.5:1")).build();
        final PeerRecord d = peer(low(0x200)).endpoint(tcp("10.1.2.6:1")).build();
        assertEquals(AddResult.ADDED, table.add(a));
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY, table.add(b), "bucket 7 holds one of 10.1.2.0/24");
        assertEquals(AddResult.ADDED, table.add(c), "bucket 8");
        assertEquals(AddResult.REFUSED_TABLE_DIVERSITY, table.add(d), "the table holds two of 10.1.2.0/24");
        assertNull(table.pendingCandidate(9), "no ping can make room for a diversity refusal");
        drain();

        // c moves into a network bucket 8 is free of, and a into a full one (c's old /24 is free again: d gets in).
        final PeerRecord cMoved = c.toBuilder().version(2).endpoints(List.of(tcp("10.9.9.9:1"))).build();
        assertEquals(AddResult.UPDATED, table.add(cMoved));
        assertEquals(List.of("added " + w(d)), drain(), "c's place in the table's count of 10.1.2.0/24 went to d");
        final PeerRecord e = peer(low(0x101)).endpoint(tcp("10.3.0.1:1")).build();
        assertEquals(AddResult.ADDED, table.add(e), "bucket 8, another /24");
        drain();
        final PeerRecord cAgain = cMoved.toBuilder().version(3).endpoints(List.of(tcp("10.3.0.2:1"))).build();
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY, table.add(cAgain), "c moves into e's /24, in e's bucket");
        assertEquals(List.of("removed " + w(c) + " DIVERSITY"), drain());
        assertFalse(table.isMember(c.id()));
        assertTrue(table.knows(c.id()), "it waits as a replacement");
        assertEquals(List.of(), table.checkInvariants(List.of(a, b, cAgain, d, e)));
    }

    @Test
    void prefixesAreSettings()
    {
        // /16 per bucket for IPv4, /32 per table for IPv6.
        final KademliaTable table = table(KademliaSettings.builder().maxPerSubnetInBucket(1).maxPerSubnetInTable(1)
            .ipv4BucketPrefix(16).ipv4TablePrefix(32).ipv6BucketPrefix(64).ipv6TablePrefix(32).build());
        assertEquals(AddResult.ADDED, table.add(peer(low(0x80)).endpoint(tcp("10.1.2.3:1")).build()));
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY,
            table.add(peer(low(0x81)).endpoint(tcp("10.1.200.1:1")).build()), "same /16");
        assertEquals(AddResult.ADDED, table.add(peer(low(0x82)).endpoint(tcp("10.2.0.1:1")).build()), "another /16");
        assertEquals(AddResult.ADDED, table.add(peer(low(0x100)).endpoint(tcp("10.1.2.4:1")).build()),
            "bucket 8; a /32 per table: another address");
        assertEquals(AddResult.REFUSED_TABLE_DIVERSITY,
            table.add(peer(low(0x200)).endpoint(tcp("10.1.2.4:2")).build()), "bucket 9, the same address");
        assertEquals(AddResult.ADDED, table.add(peer(low(0x400)).endpoint(tcp("[2001:db8:1::1]:1")).build()));
        assertEquals(AddResult.REFUSED_TABLE_DIVERSITY,
            table.add(peer(low(0x800)).endpoint(tcp("[2001:db8:ffff::1]:1")).build()), "same IPv6 /32");
        assertEquals(AddResult.ADDED, table.add(peer(low(0x801)).endpoint(tcp("[2001:db9::1]:1")).build()));
        assertEquals(AddResult.ADDED, table.add(peer(low(0x802)).endpoint(tcp("[::ffff:10.1.2.3]:1")).build()),
            "a mapped IPv4 address counts as IPv6, never against 10.1.0.0/16");
    }

    @Test
    void prefixSettingsOutOfRangeAreRefusedByName()
    {
        final InvalidInputException v4 = assertThrows(InvalidInputException.class,
            () -> KademliaSettings.builder().ipv4BucketPrefix(33).build());
        assertEquals("ipv4BucketPrefix", v4.field());
        assertEquals("33", v4.value());
        assertTrue(v4.getMessage().contains("[1, 32]"), v4.getMessage());
        final InvalidInputException v6 = assertThrows(InvalidInputException.class,
            () -> KademliaSettings.builder().ipv6TablePrefix(65).build());
        assertEquals("ipv6TablePrefix", v6.field());
        assertTrue(v6.getMessage().contains("[1, 64]"), v6.getMessage());
        assertEquals("ipv4TablePrefix", assertThrows(InvalidInputException.class,
            () -> KademliaSettings.builder().ipv4TablePrefix(0).build()).field());
        assertEquals("ipv6BucketPrefix", assertThrows(InvalidInputException.class,
            () -> KademliaSettings.builder().ipv6BucketPrefix(0).build()).field());
        final KademliaSettings s = KademliaSettings.builder().ipv4BucketPrefix(16).ipv6TablePrefix(32).build();
        assertEquals(s.toString(), s.toBuilder().build().toString(), "toBuilder keeps the prefixes");
    }

    @Test
    void clearReportsEveryMemberAndAThrowingListenerIsCounted()
    {
        final KademliaTable table = table(KademliaSettings.builder().k(1).build());
        final PeerRecord a = top(1).build();
        table.add(a);
        table.add(top(2).build());
        drain();
        table.clear();
        assertEquals(List.of("removed " + w(a) + " CLEARED"), drain());
        assertEquals(0, table.size());
        assertNull(table.pendingCandidate(255));

        table.listener(new KademliaListener()
        {
            @Override
            public void added(final PeerRecord record)
            {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void removed(final PeerRecord record, final RemovalCause cause)
            {
                throw new IllegalStateException("listener bug");
            }
        });
        final PeerRecord b = top(3).build();
        final PeerRecord c = top(4).build();
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(AddResult.CACHED, table.add(c));
        assertEquals(MarkResult.REPLACED, table.markDead(b.id()));
        assertEquals(List.of(c), table.bucket(255), "the promotion went on past the failed report");
        assertEquals(3, table.listenerFailures());
        assertEquals(List.of(), table.checkInvariants(List.of(c)));
    }

    @Test
    void closestIntoAnArray()
    {
        final KademliaTable table = new KademliaTable(ZERO);
        final PeerRecord[] none = new PeerRecord[0];
        assertEquals(0, table.closest(low(5), none));
        final PeerRecord[] three = new PeerRecord[3];
        assertEquals(0, table.closest(low(5), three), "empty table");
        for (int i = 1; i <= 8; i++)
        {
            table.add(peer(low(i)).build());
        }
        assertEquals(3, table.closest(low(5), three));
        assertEquals(List.of(low(5), low(4), low(7)), List.of(three[0].id(), three[1].id(), three[2].id()),
            "5^5=0, 5^4=1, 5^7=2");
        final PeerRecord[] many = new PeerRecord[20];
        assertEquals(8, table.closest(ZERO, many));
        assertEquals(low(1), many[0].id());
        assertEquals(low(8), many[7].id());
    }
}
