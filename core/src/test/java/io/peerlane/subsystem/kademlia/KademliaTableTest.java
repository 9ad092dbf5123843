package io.peerlane.subsystem.kademlia;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.peerlane.subsystem.TestPeers.inBucket;
import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static io.peerlane.subsystem.TestPeers.randomId;
import static io.peerlane.subsystem.TestPeers.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KademliaTableTest
{
    private static final NodeId ZERO = low(0);

    @Test
    void xorDistanceAndBucketIndicesOfChosenIds()
    {
        final KademliaTable table = new KademliaTable(ZERO);
        assertEquals(0, table.bucketIndex(low(1)));
        assertEquals(1, table.bucketIndex(low(2)));
        assertEquals(1, table.bucketIndex(low(3)));
        assertEquals(2, table.bucketIndex(low(4)));
        assertEquals(63, table.bucketIndex(low(Long.MIN_VALUE)));
        assertEquals(64, table.bucketIndex(NodeId.of(0, 0, 1, 0)));
        assertEquals(255, table.bucketIndex(NodeId.of(Long.MIN_VALUE, 0, 0, 0)));
        assertEquals(255, table.bucketIndex(NodeId.of(-1, -1, -1, -1)));
        assertEquals(-1, table.bucketIndex(ZERO));

        final NodeId a = NodeId.fromHex("f0" + "00".repeat(31));
        final NodeId b = NodeId.fromHex("0f" + "00".repeat(31));
        assertEquals(NodeId.fromHex("ff" + "00".repeat(31)), a.xor(b));
        // From a: b differs at bit 255 and a at nothing; from 0xff..: a is at distance 0x0f.., b at 0xf0...
        final NodeId ff = NodeId.fromHex("ff" + "00".repeat(31));
        assertEquals(NodeId.fromHex("0f" + "00".repeat(31)), ff.xor(a));
        assertTrue(ff.compareDistance(a, b) < 0, "0x0f.. is closer than 0xf0..");
        assertEquals(251, ff.highestDifferingBit(a));
        assertEquals(255, ff.highestDifferingBit(b));
        assertEquals(AddResult.SELF, table.add(peer(ZERO).build()), "the local id is never held");
        assertEquals(0, table.size());
    }

    @Test
    void closestEqualsBruteForceOverAllMembers()
    {
        final long seed = System.nanoTime();
        System.out.println("KademliaTableTest.closestEqualsBruteForceOverAllMembers seed=" + seed);
        final Random random = new Random(seed);
        final NodeId local = randomId(random);
        // k large enough that every peer is a member: the lookup must equal a sort of everything inserted.
        final KademliaTable all = new KademliaTable(local, KademliaSettings.builder().k(1000).build());
        // Default k: buckets 255.. fill up, so compare with a sort of the members.
        final KademliaTable bounded = new KademliaTable(local);
        final List<PeerRecord> inserted = new ArrayList<>();
        final Set<NodeId> seen = new HashSet<>();
        for (int i = 0; i < 400; i++)
        {
            final NodeId id = i % 2 == 0 ? randomId(random) : inBucket(local, random.nextInt(256), random);
            if (!seen.add(id))
            {
                continue;
            }
            final PeerRecord r = peer(id).build();
            inserted.add(r);
            assertEquals(AddResult.ADDED, all.add(r));
            bounded.add(r);
        }
        final List<PeerRecord> members = new ArrayList<>();
        for (int b = 0; b < KademliaTable.BUCKETS; b++)
        {
            members.addAll(bounded.bucket(b));
        }
        assertEquals(bounded.size(), members.size());
        assertTrue(members.size() < inserted.size(), "some buckets overflowed");
        for (int t = 0; t < 300; t++)
        {
            final NodeId target = t % 3 == 0 ? inserted.get(random.nextInt(inserted.size())).id() :
                t % 3 == 1 ? inBucket(local, random.nextInt(256), random) : randomId(random);
            final int count = 1 + random.nextInt(30);
            assertEquals(bruteForce(inserted, target, count), ids(all.closest(target, count)), "target " + target);
            assertEquals(bruteForce(members, target, count), ids(bounded.closest(target, count)), "target " + target);
        }
        assertEquals(20, bounded.closest(local).size());
        assertEquals(inserted.size(), all.closest(local, 10_000).size());
    }

    @Test
    void fullBucketKeepsMembersAndPromotesMostRecentlySeenReplacement()
    {
        final KademliaTable table = new KademliaTable(ZERO,
            KademliaSettings.builder().k(2).replacementCacheSize(2).build());
        // All in bucket 255 of the zero id.
        final PeerRecord a = peer(NodeId.of(Long.MIN_VALUE | 1, 0, 0, 0)).build();
        final PeerRecord b = peer(NodeId.of(Long.MIN_VALUE | 2, 0, 0, 0)).build();
        final PeerRecord c = peer(NodeId.of(Long.MIN_VALUE | 3, 0, 0, 0)).build();
        final PeerRecord d = peer(NodeId.of(Long.MIN_VALUE | 4, 0, 0, 0)).build();
        final PeerRecord e = peer(NodeId.of(Long.MIN_VALUE | 5, 0, 0, 0)).build();
        assertEquals(AddResult.ADDED, table.add(a));
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(AddResult.CACHED, table.add(c));
        assertEquals(AddResult.CACHED, table.add(d));
        assertEquals(List.of(a, b), table.bucket(255));
        assertEquals(AddResult.CACHED, table.add(e));
        assertEquals(List.of(d, e), table.replacements(255), "the cache keeps the 2 most recently seen");
        assertFalse(table.knows(c.id()), "the least recently seen replacement was dropped");

        assertEquals(AddResult.UPDATED, table.add(a.toBuilder().lastSeen(5).build()), "a touch of a member");
        assertEquals(List.of(b.id(), a.id()), ids(table.bucket(255)), "a moved to the most recently seen end");
        assertEquals(5, table.bucket(255).get(1).lastSeen(), "the latest record is kept");

        assertEquals(AddResult.CACHED, table.add(d), "a full bucket keeps its members");
        assertEquals(List.of(e, d), table.replacements(255));

        assertTrue(table.remove(b.id()));
        assertEquals(List.of(a.id(), d.id()), ids(table.bucket(255)), "the most recently seen replacement, d");
        assertEquals(List.of(e), table.replacements(255));
        assertTrue(table.remove(e.id()));
        assertFalse(table.remove(e.id()));
        assertEquals(List.of(), table.replacements(255));
        assertEquals(2, table.size());
        assertTrue(table.remove(a.id()));
        assertEquals(List.of(d.id()), ids(table.bucket(255)));
    }

    @Test
    void cacheOfSizeZeroDropsNewcomers()
    {
        final KademliaTable table = new KademliaTable(ZERO, KademliaSettings.builder().k(1).replacementCacheSize(0).build());
        assertEquals(AddResult.ADDED, table.add(peer(low(2)).build()));
        assertEquals(AddResult.NOT_CACHED, table.add(peer(low(3)).build()));
        assertFalse(table.knows(low(3)));
    }

    @Test
    void keptCandidatesBeyondTheCacheAreStillPromoted()
    {
        final KademliaTable table = new KademliaTable(ZERO,
            KademliaSettings.builder().k(1).replacementCacheSize(1).keepAllCandidates(true).build());
        final PeerRecord a = peer(low(4)).build();
        final PeerRecord b = peer(low(5)).build();
        final PeerRecord c = peer(low(6)).build();
        table.add(a);
        table.add(b);
        table.add(c);
        assertEquals(List.of(c), table.replacements(2), "only the cache is shown");
        assertTrue(table.knows(b.id()));
        table.remove(a.id());
        assertEquals(List.of(c), table.bucket(2));
        table.remove(c.id());
        assertEquals(List.of(b), table.bucket(2), "b was remembered behind the cache");
    }

    @Test
    void diversityLimitPerBucket()
    {
        final KademliaTable table = new KademliaTable(ZERO);
        final PeerRecord a = peer(low(0x80)).endpoint(tcp("10.1.2.3:1")).build();
        final PeerRecord b = peer(low(0x81)).endpoint(tcp("10.1.2.4:1")).build();
        final PeerRecord c = peer(low(0x82)).endpoint(tcp("10.1.2.200:1")).build();
        final PeerRecord d = peer(low(0x83)).endpoint(tcp("10.1.3.5:1")).build();
        final PeerRecord e = peer(low(0x84)).endpoint(tcp("[2001:db8:1:1::1]:1")).build();
        final PeerRecord f = peer(low(0x85)).endpoint(tcp("[2001:db8:1:ffff::2]:1")).build();
        final PeerRecord g = peer(low(0x86)).endpoint(tcp("[2001:db8:1:2::3]:1")).build();
        final PeerRecord h = peer(low(0x87)).endpoint(tcp("[2001:db8:2::3]:1")).build();
        final PeerRecord noIp = peer(low(0x88)).endpoint(tcp("host.example:1")).build();
        assertEquals(AddResult.ADDED, table.add(a));
        assertEquals(AddResult.ADDED, table.add(b));
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY, table.add(c), "a third member of 10.1.2.0/24 in bucket 7");
        assertEquals(AddResult.ADDED, table.add(d), "another /24");
        assertEquals(AddResult.ADDED, table.add(e));
        assertEquals(AddResult.ADDED, table.add(f));
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY, table.add(g), "a third member of 2001:db8:1::/48");
        assertEquals(AddResult.ADDED, table.add(h), "another /48");
        assertEquals(AddResult.ADDED, table.add(noIp), "no IP, no subnet to count");
        assertEquals(List.of(), table.checkInvariants(List.of(a, b, c, d, e, f, g, h, noIp)));

        assertTrue(table.remove(a.id()));
        assertTrue(table.isMember(c.id()), "the subnet has room again: c is promoted");
        assertFalse(table.isMember(g.id()));

        // A member that moves into a full subnet becomes a replacement; the table takes a fitting one instead.
        final PeerRecord dMoved = d.toBuilder().version(2).endpoints(List.of(tcp("10.1.2.9:1"))).build();
        assertEquals(AddResult.REFUSED_BUCKET_DIVERSITY, table.add(dMoved));
        assertFalse(table.isMember(d.id()));
        assertEquals(List.of(), table.checkInvariants(List.of(b, c, dMoved, e, f, g, h, noIp)));
    }

    @Test
    void diversityLimitPerTableFreesAcrossBuckets()
    {
        final KademliaTable table = new KademliaTable(ZERO,
            KademliaSettings.builder().maxPerSubnetInBucket(0).maxPerSubnetInTable(3).build());
        final List<PeerRecord> peers = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            // One peer in each of buckets 10 to 14, all in 192.168.7.0/24.
            peers.add(peer(low(1L << (10 + i))).endpoint(tcp("192.168.7." + (i + 1) + ":9")).build());
        }
        assertEquals(AddResult.ADDED, table.add(peers.get(0)));
        assertEquals(AddResult.ADDED, table.add(peers.get(1)));
        assertEquals(AddResult.ADDED, table.add(peers.get(2)));
        assertEquals(AddResult.REFUSED_TABLE_DIVERSITY, table.add(peers.get(3)), "a fourth in the table's /24");
        assertEquals(AddResult.REFUSED_TABLE_DIVERSITY, table.add(peers.get(4)));
        assertEquals(List.of(), table.checkInvariants(peers));

        table.remove(peers.get(1).id());
        assertEquals(3, table.size());
        assertTrue(table.isMember(peers.get(3).id()), "bucket 13 took the freed place (lower bucket first)");
        assertFalse(table.isMember(peers.get(4).id()));
        assertEquals(List.of(), table.checkInvariants(List.of(peers.get(0), peers.get(2), peers.get(3), peers.get(4))));
    }

    @Test
    void checkerReportsWhatIsWrong()
    {
        final KademliaTable table = new KademliaTable(ZERO);
        final PeerRecord a = peer(low(8)).build();
        final PeerRecord b = peer(low(9)).build();
        final PeerRecord c = peer(low(10)).build();
        table.add(a);
        table.add(b);
        assertEquals(List.of(), table.checkInvariants(List.of(a, b)));

        final List<String> notLive = table.checkInvariants(List.of(a));
        assertEquals(1, notLive.size(), notLive.toString());
        assertTrue(notLive.get(0).contains("not live"), notLive.toString());

        final List<String> missing = table.checkInvariants(List.of(a, b, c));
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("does not hold eligible live peer " + c.id()), missing.toString());

        final List<String> outdated = table.checkInvariants(List.of(a, b.toBuilder().lastSeen(7).build()));
        assertEquals(1, outdated.size(), outdated.toString());
        assertTrue(outdated.get(0).contains("outdated"), outdated.toString());

        // A peer the table may not take (its bucket's /24 is full) is not a violation.
        final KademliaTable strict = new KademliaTable(ZERO, KademliaSettings.builder().maxPerSubnetInBucket(1).build());
        final PeerRecord x = peer(low(16)).endpoint(tcp("10.0.0.1:1")).build();
        final PeerRecord y = peer(low(17)).endpoint(tcp("10.0.0.2:1")).build();
        strict.add(x);
        assertEquals(List.of(), strict.checkInvariants(List.of(x, y)));
    }

    @Test
    void randomOpsKeepTheInvariants()
    {
        final long seed = System.nanoTime();
        System.out.println("KademliaTableTest.randomOpsKeepTheInvariants seed=" + seed);
        final Random random = new Random(seed);
        final NodeId local = randomId(random);
        final KademliaTable table = new KademliaTable(local, KademliaSettings.builder()
            .k(3).replacementCacheSize(2).maxPerSubnetInBucket(1).maxPerSubnetInTable(4).keepAllCandidates(true).build());
        final List<NodeId> pool = new ArrayList<>();
        for (int i = 0; i < 120; i++)
        {
            pool.add(inBucket(local, 250 + random.nextInt(6), random));
        }
        final Map<NodeId, PeerRecord> live = new HashMap<>();
        int replacementsSeen = 0;
        for (int step = 0; step < 4000; step++)
        {
            final NodeId id = pool.get(random.nextInt(pool.size()));
            if (random.nextInt(4) == 0)
            {
                table.remove(id);
                live.remove(id);
            }
            else
            {
                final PeerRecord.Builder b = peer(id).lastSeen(step);
                if (random.nextBoolean())
                {
                    b.endpoint(tcp("10.9." + random.nextInt(8) + ".1:1"));
                }
                if (random.nextInt(4) == 0)
                {
                    b.endpoint(tcp("[2001:db8:" + random.nextInt(3) + "::1]:1"));
                }
                final PeerRecord r = b.build();
                live.put(id, r);
                final AddResult result = table.add(r);
                if (result != AddResult.ADDED && result != AddResult.UPDATED)
                {
                    replacementsSeen++;
                }
            }
            final List<String> violations = table.checkInvariants(live.values());
            assertEquals(List.of(), violations, "seed " + seed + " step " + step);
        }
        assertTrue(replacementsSeen > 100, "the test exercised full buckets and diversity: " + replacementsSeen);
    }

    private static List<NodeId> bruteForce(final List<PeerRecord> peers, final NodeId target, final int count)
    {
        final List<NodeId> sorted = ids(peers);
        // Sort on the XOR distance written out as an id: the order of ids is unsigned big-endian.
        sorted.sort((x, y) -> target.xor(x).compareTo(target.xor(y)));
        return new ArrayList<>(sorted.subList(0, Math.min(count, sorted.size())));
    }

    private static List<NodeId> ids(final List<PeerRecord> peers)
    {
        final List<NodeId> out = new ArrayList<>();
        for (final PeerRecord r : peers)
        {
            out.add(r.id());
        }
        return out;
    }
}
