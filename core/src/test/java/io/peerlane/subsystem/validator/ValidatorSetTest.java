package io.peerlane.subsystem.validator;

import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.Vote;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.peerlane.subsystem.TestPeers.key;
import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatorSetTest
{
    /** 2^53 - 1: the largest power a record can hold. */
    private static final long P = (1L << 53) - 1;

    private static PeerRecord validator(final long n, final long power)
    {
        return peer(low(n)).nodeType(NodeType.VALIDATOR).votingPower(power).build();
    }

    private static ValidatorSet withPowers(final long... powers)
    {
        final ValidatorSet set = new ValidatorSet();
        for (int i = 0; i < powers.length; i++)
        {
            set.put(validator(i + 1, powers[i]));
        }
        return set;
    }

    @Test
    void quorumOfSmallTotals()
    {
        final ValidatorSet empty = new ValidatorSet();
        assertEquals(BigInteger.ZERO, empty.totalPower());
        assertEquals(BigInteger.ONE, empty.quorum());
        assertFalse(empty.hasQuorum(0));
        assertTrue(empty.hasQuorum(1));

        final ValidatorSet one = withPowers(1);
        assertEquals(BigInteger.ONE, one.quorum());
        assertFalse(one.hasQuorum(0));
        assertTrue(one.hasQuorum(1), "3 > 2");

        final ValidatorSet two = withPowers(1, 1);
        assertEquals(BigInteger.TWO, two.quorum());
        assertFalse(two.hasQuorum(1), "3 > 4 is false");
        assertTrue(two.hasQuorum(2));

        final ValidatorSet three = withPowers(1, 1, 1);
        assertEquals(BigInteger.valueOf(3), three.quorum(), "two thirds exactly is not enough");
        assertFalse(three.hasQuorum(2), "6 > 6 is false");
        assertTrue(three.hasQuorum(3));

        final ValidatorSet four = withPowers(2, 2);
        assertEquals(BigInteger.valueOf(3), four.quorum());
        assertFalse(four.hasQuorum(2));
        assertTrue(four.hasQuorum(3), "9 > 8");

        final ValidatorSet zeroPower = withPowers(0, 0);
        assertEquals(2, zeroPower.size(), "a validator with no power is still a validator");
        assertEquals(BigInteger.ONE, zeroPower.quorum());
        assertThrows(IllegalArgumentException.class, () -> one.hasQuorum(-1));
        assertThrows(IllegalArgumentException.class, () -> one.hasQuorum(BigInteger.valueOf(-1)));
    }

    @Test
    void quorumNearTwoToThe53()
    {
        final ValidatorSet three = withPowers(P, P, P);
        assertEquals(BigInteger.valueOf(P).multiply(BigInteger.valueOf(2)).add(BigInteger.ONE), three.quorum());
        assertFalse(three.hasQuorum(2 * P));
        assertTrue(three.hasQuorum(2 * P + 1));

        // 1000 validators at 2^53 - 1: the total still fits a long, but 2 * total and 3 * power do not.
        final long[] powers = new long[1000];
        Arrays.fill(powers, P);
        final ValidatorSet thousand = withPowers(powers);
        final BigInteger total = BigInteger.valueOf(P).multiply(BigInteger.valueOf(1000));
        assertEquals(total, thousand.totalPower());
        final long q = thousand.quorum().longValueExact();
        // The definition: the smallest q with 3q > 2 * total.
        assertTrue(BigInteger.valueOf(q).multiply(BigInteger.valueOf(3)).compareTo(total.shiftLeft(1)) > 0);
        assertTrue(BigInteger.valueOf(q - 1).multiply(BigInteger.valueOf(3)).compareTo(total.shiftLeft(1)) <= 0);
        assertTrue(thousand.hasQuorum(q));
        assertFalse(thousand.hasQuorum(q - 1));
        assertTrue(thousand.hasQuorum(Long.MAX_VALUE));

        // 3000 of them: the total passes 2^63, quorum is 2000 * (2^53 - 1) + 1 exactly.
        final long[] more = new long[3000];
        Arrays.fill(more, P);
        final ValidatorSet big = withPowers(more);
        final BigInteger bigTotal = BigInteger.valueOf(P).multiply(BigInteger.valueOf(3000));
        assertTrue(bigTotal.bitLength() > 63);
        assertEquals(bigTotal, big.totalPower());
        final BigInteger bigQuorum = BigInteger.valueOf(P).multiply(BigInteger.valueOf(2000)).add(BigInteger.ONE);
        assertEquals(bigQuorum, big.quorum());
        assertTrue(big.hasQuorum(bigQuorum));
        assertFalse(big.hasQuorum(bigQuorum.subtract(BigInteger.ONE)));
        assertFalse(big.hasQuorum(Long.MAX_VALUE), "no long is two thirds of this total");

        // Power leaving brings the 128-bit total back down exactly.
        for (int i = 1; i <= 2000; i++)
        {
            big.remove(low(i));
        }
        assertEquals(BigInteger.valueOf(P).multiply(BigInteger.valueOf(1000)), big.totalPower());
        assertEquals(1000, big.size());
        assertEquals(q, big.quorum().longValueExact());
        final List<NodeId> some = new ArrayList<>();
        for (int i = 2001; i <= 2010; i++)
        {
            some.add(low(i));
        }
        some.add(low(1));
        some.add(low(2001));
        assertEquals(BigInteger.valueOf(P).multiply(BigInteger.TEN), big.powerOf(some), "each counted once, non-members none");
    }

    @Test
    void versionMovesWithEveryChangeAndOnlyThen()
    {
        final ValidatorSet set = new ValidatorSet();
        assertEquals(0, set.version());
        final PeerRecord v = validator(1, 10);
        assertTrue(set.put(v));
        assertEquals(1, set.version());
        assertFalse(set.put(v.toBuilder().lastSeen(99).build()), "a touch changes nothing the set holds");
        assertEquals(1, set.version());
        assertFalse(set.put(peer(low(2)).build()), "not a validator");
        assertEquals(1, set.version());
        assertTrue(set.put(v.toBuilder().version(2).votingPower(11).build()));
        assertEquals(2, set.version());
        assertEquals(11, set.votingPower(low(1)));
        assertTrue(set.put(v.toBuilder().version(3).votingPower(11).publicKey(key("abcd")).build()));
        assertEquals(3, set.version());
        assertTrue(set.put(validator(3, 5)));
        assertEquals(4, set.version());
        assertEquals(BigInteger.valueOf(16), set.totalPower());
        assertTrue(set.put(v.toBuilder().version(4).nodeType(NodeType.FULL).build()), "no longer a validator");
        assertEquals(5, set.version());
        assertFalse(set.contains(low(1)));
        assertEquals(BigInteger.valueOf(5), set.totalPower());
        assertFalse(set.remove(low(1)));
        assertEquals(5, set.version());
        assertFalse(set.replaceAll(List.of(validator(3, 5), peer(low(9)).build())));
        assertEquals(5, set.version());
        assertTrue(set.replaceAll(List.of(validator(3, 6))));
        assertEquals(6, set.version());
        assertTrue(set.remove(low(3)));
        assertEquals(7, set.version());
        set.clear();
        assertEquals(7, set.version(), "clearing an empty set changes nothing");
    }

    @Test
    void rebuildAndEquals()
    {
        final List<PeerRecord> live = List.of(validator(1, 4), peer(low(2)).build(), validator(3, 9));
        final ValidatorSet incremental = new ValidatorSet();
        incremental.put(validator(3, 1));
        incremental.put(validator(5, 1));
        incremental.put(validator(1, 4));
        incremental.put(validator(3, 9));
        assertNotEquals(ValidatorSet.rebuild(live), incremental);
        incremental.remove(low(5));
        assertEquals(ValidatorSet.rebuild(live), incremental);
        assertEquals(ValidatorSet.rebuild(live).hashCode(), incremental.hashCode());
        assertEquals(List.of(low(1), low(3)), List.of(incremental.validators().get(0).id(),
            incremental.validators().get(1).id()));
    }

    @Test
    void authorisedKeyVote()
    {
        final PublicKey k1 = key("01");
        final PublicKey k2 = key("02");
        final ValidatorSetObserver observer = new ValidatorSetObserver(Set.of(k1));
        assertEquals("validator-set", observer.name());
        assertEquals(ObserverRole.CRITICAL, observer.role());
        assertEquals(Vote.ACCEPT, observer.vote(peer(low(1)).nodeType(NodeType.VALIDATOR).publicKey(k1).build()));
        assertEquals(Vote.REJECT, observer.vote(peer(low(1)).nodeType(NodeType.VALIDATOR).publicKey(k2).build()));
        assertEquals(Vote.ACCEPT, observer.vote(peer(low(1)).nodeType(NodeType.FULL).publicKey(k2).build()),
            "only VALIDATOR records are judged");

        final PeerRecord anyValidator = peer(low(1)).nodeType(NodeType.VALIDATOR).publicKey(k2).build();
        assertEquals(Vote.ACCEPT, new ValidatorSetObserver().vote(anyValidator));
        assertEquals(Vote.ACCEPT, new ValidatorSetObserver(Set.of()).vote(anyValidator), "empty means any key");
        assertEquals(Vote.ACCEPT, ValidatorSetObserver.fromSettings(RegistrySettings.defaults()).vote(anyValidator));
        assertEquals(Vote.REJECT, ValidatorSetObserver.fromSettings(
            RegistrySettings.builder().authorizedValidatorKeys(Set.of(k1)).build()).vote(anyValidator));

        final Set<PublicKey> mutable = new HashSet<>(Set.of(k1));
        final ValidatorSetObserver copied = new ValidatorSetObserver(mutable);
        mutable.add(k2);
        assertEquals(Vote.REJECT, copied.vote(anyValidator), "the key set is copied");
    }
}
