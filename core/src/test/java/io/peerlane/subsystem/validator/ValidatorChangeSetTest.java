package io.peerlane.subsystem.validator;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PublicKey;
import io.peerlane.subsystem.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.peerlane.subsystem.TestPeers.key;
import static io.peerlane.subsystem.TestPeers.low;
import static io.peerlane.subsystem.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ValidatorSet#apply}: all or nothing, CometBFT's refusals, the cap, the views and the version. */
class ValidatorChangeSetTest
{
    private static final PublicKey K1 = key("01");
    private static final PublicKey K2 = key("02");
    private static final PublicKey K3 = key("03");

    /** @return a set of validators 1, 2, 3 with powers 10, 20, 30, at version 1. */
    private static ValidatorSet threeValidators()
    {
        final ValidatorSet set = new ValidatorSet();
        assertTrue(set.apply(new ValidatorChangeSet().set(low(1), K1, 10).set(low(2), K2, 20).set(low(3), K3, 30)));
        assertEquals(1, set.version(), "one change set, one version");
        return set;
    }

    /** Asserts the change set is refused naming the field, and leaves the set and its version unchanged. */
    private static InvalidInputException assertRefused(
        final ValidatorSet set, final ValidatorChangeSet changes, final String field, final String words)
    {
        final List<Validator> before = set.validators();
        final long version = set.version();
        final BigInteger total = set.totalPower();
        final InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.apply(changes));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertEquals(before, set.validators(), "the set is unchanged after: " + e.getMessage());
        assertEquals(version, set.version(), "the version is unchanged after: " + e.getMessage());
        assertEquals(total, set.totalPower());
        return e;
    }

    @Test
    void duplicateIdsAreRefused()
    {
        final ValidatorSet set = threeValidators();
        final InvalidInputException e = assertRefused(set,
            new ValidatorChangeSet().set(low(4), K1, 5).set(low(1), null, 11).set(low(4), K1, 6),
            "changes[2].id", "changes[0]");
        assertEquals(low(4).toHex(), e.value());
        assertRefused(set, new ValidatorChangeSet().remove(low(2)).set(low(2), null, 3), "changes[1].id", "changes[0]");
    }

    @Test
    void removingAnUnknownValidatorIsRefused()
    {
        final ValidatorSet set = threeValidators();
        assertRefused(set, new ValidatorChangeSet().set(low(1), null, 11).remove(low(9)), "changes[1].id",
            "is not a validator");
    }

    @Test
    void negativePowerIsRefused()
    {
        final ValidatorSet set = threeValidators();
        final InvalidInputException e = assertRefused(set,
            new ValidatorChangeSet().set(low(5), K1, 1).set(low(2), null, -7), "changes[1].power", "at least 0");
        assertEquals("-7", e.value());
    }

    @Test
    void removingEveryValidatorIsRefused()
    {
        final ValidatorSet set = threeValidators();
        assertRefused(set, new ValidatorChangeSet().remove(low(1)).remove(low(2)).remove(low(3)), "changes",
            "would leave no validator");
        final ValidatorSet empty = new ValidatorSet();
        assertRefused(empty, new ValidatorChangeSet(), "changes", "would leave no validator");
        assertEquals(0, empty.version());
    }

    @Test
    void aTotalPastTheCapIsRefused()
    {
        final ValidatorSet capped = new ValidatorSet(100);
        assertTrue(capped.apply(new ValidatorChangeSet().set(low(1), K1, 60).set(low(2), K2, 40)));
        assertRefused(capped, new ValidatorChangeSet().set(low(3), K3, 1), "changes", "passes maxTotalPower 100");
        assertTrue(capped.apply(new ValidatorChangeSet().set(low(1), null, 59).set(low(3), K3, 1)),
            "a decrease in the same change set makes room");
        assertEquals(BigInteger.valueOf(100), capped.totalPower());

        final ValidatorSet defaults = threeValidators();
        assertEquals(Long.MAX_VALUE / 8, defaults.maxTotalPower(), "CometBFT's MaxTotalVotingPower");
        assertRefused(defaults, new ValidatorChangeSet().set(low(4), K1, Long.MAX_VALUE / 8), "changes",
            "passes maxTotalPower");
        final ValidatorSet uncapped = new ValidatorSet(0);
        assertTrue(uncapped.apply(new ValidatorChangeSet().set(low(1), K1, Long.MAX_VALUE).set(low(2), K2,
            Long.MAX_VALUE)), "0: no cap, the 128-bit total holds it");
        assertEquals(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TWO), uncapped.totalPower());
        assertEquals("maxTotalPower", assertThrows(InvalidInputException.class, () -> new ValidatorSet(-1)).field());
    }

    @Test
    void missingIdOrKeyIsRefused()
    {
        final ValidatorSet set = threeValidators();
        assertRefused(set, new ValidatorChangeSet().set(null, K1, 3), "changes[0].id", "is required");
        assertRefused(set, new ValidatorChangeSet().set(low(1), null, 3).set(low(7), null, 3), "changes[1].publicKey",
            "required for a new validator");
    }

    @Test
    void anAcceptedChangeSetAppliesEveryEntryAndMovesTheVersionOnce()
    {
        final ValidatorSet set = threeValidators();
        assertTrue(set.apply(new ValidatorChangeSet().remove(low(1)).set(low(2), K3, 25).set(low(4), K1, 25)
            .set(low(3), null, 30)));
        assertEquals(2, set.version());
        assertNull(set.get(low(1)));
        assertEquals(K3, set.get(low(2)).publicKey(), "a key given replaces the key");
        assertEquals(K3, set.get(low(3)).publicKey(), "no key keeps the key");
        assertEquals(BigInteger.valueOf(80), set.totalPower());
        assertEquals(List.of(low(2), low(3), low(4)), ids(set.validators()), "id order");
        assertEquals(List.of(low(3), low(2), low(4)), ids(set.byPower()), "power descending, then id");

        assertFalse(set.apply(new ValidatorChangeSet().set(low(3), null, 30).set(low(2), K3, 25)),
            "nothing changed");
        assertEquals(2, set.version(), "no change, no version");
        assertFalse(set.apply(new ValidatorChangeSet()), "an empty change set on a non-empty set changes nothing");
    }

    @Test
    void theQuorumRuleIsUnchanged()
    {
        final ValidatorSet set = threeValidators();
        assertEquals(BigInteger.valueOf(41), set.quorum(), "floor(2 * 60 / 3) + 1");
        assertFalse(set.hasQuorum(40), "3 * 40 = 120 is not more than 2 * 60");
        assertTrue(set.hasQuorum(41));
        assertEquals(set.hasQuorum(40), set.hasQuorum(BigInteger.valueOf(40)));
    }

    @Test
    void theRegistryPathAndTheChangeSetPathAgree()
    {
        final ValidatorSet fromRecords = new ValidatorSet();
        fromRecords.put(peer(low(1)).publicKey(K1).nodeType(NodeType.VALIDATOR).votingPower(10).build());
        fromRecords.put(peer(low(2)).publicKey(K2).nodeType(NodeType.VALIDATOR).votingPower(20).build());
        final ValidatorSet fromChanges = new ValidatorSet();
        fromChanges.apply(new ValidatorChangeSet().set(low(2), K2, 20).set(low(1), K1, 10));
        assertEquals(fromRecords, fromChanges);
        assertEquals(fromRecords.validators(), fromChanges.validators());
    }

    @Test
    void randomChangeSetsEqualASimpleModel()
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("ValidatorChangeSetTest.randomChangeSetsEqualASimpleModel seed=" + seed);
        final Random random = new Random(seed);
        final long cap = 10 + random.nextInt(5000);
        final ValidatorSet set = new ValidatorSet(cap);
        final Map<NodeId, Long> model = new TreeMap<>();
        final Map<NodeId, PublicKey> keys = new HashMap<>();
        long version = 0;
        final Map<String, Integer> outcomes = new TreeMap<>();
        final ValidatorChangeSet changes = new ValidatorChangeSet(2);
        for (int step = 0; step < 3000; step++)
        {
            changes.clear();
            // Now and then a change set that removes every validator.
            final List<NodeId> everyone = random.nextInt(15) == 0 ? new ArrayList<>(model.keySet()) : null;
            final int n = null != everyone ? everyone.size() : random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(5);
            final Map<NodeId, Long> next = new TreeMap<>(model);
            final Map<NodeId, PublicKey> nextKeys = new HashMap<>(keys);
            String refusal = null;
            final List<NodeId> used = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final NodeId id = null != everyone ? everyone.get(i) : low(1 + random.nextInt(12));
                final int dice = null != everyone ? 1 : random.nextInt(20);
                final long power = null != everyone ? 0 : dice == 0 ? -1 - random.nextInt(5) : dice < 6 ? 0 : random.nextInt((int)(cap / 3) + 2);
                final PublicKey key = (model.containsKey(id) && random.nextInt(3) == 0) || random.nextInt(40) == 0 ? null : key(String.format("%02x", random.nextInt(4)));
                changes.set(id, key, power);
                if (null != refusal)
                {
                    continue;
                }
                if (used.contains(id))
                {
                    refusal = "changes[" + i + "].id";
                }
                else if (power < 0)
                {
                    refusal = "changes[" + i + "].power";
                }
                else if (!model.containsKey(id) && power == 0)
                {
                    refusal = "changes[" + i + "].id";
                }
                else if (!model.containsKey(id) && key == null)
                {
                    refusal = "changes[" + i + "].publicKey";
                }
                used.add(id);
                if (power == 0)
                {
                    next.remove(id);
                    nextKeys.remove(id);
                }
                else if (power > 0)
                {
                    next.put(id, power);
                    if (null != key)
                    {
                        nextKeys.put(id, key);
                    }
                }
            }
            String words = "";
            if (null == refusal && next.isEmpty())
            {
                refusal = "changes";
                words = "would leave no validator";
            }
            if (null == refusal && next.values().stream().mapToLong(Long::longValue).sum() > cap)
            {
                refusal = "changes";
                words = "passes maxTotalPower " + cap;
            }
            final String where = "seed " + seed + " step " + step + " " + changes;
            if (null == refusal)
            {
                final boolean changed = !next.equals(model) || !nextKeys.equals(keys);
                assertEquals(changed, set.apply(changes), where);
                model.clear();
                model.putAll(next);
                keys.clear();
                keys.putAll(nextKeys);
                version += changed ? 1 : 0;
                outcomes.merge(changed ? "applied" : "no change", 1, Integer::sum);
            }
            else
            {
                final InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.apply(changes), where);
                assertEquals(refusal, e.field(), where + ": " + e.getMessage());
                assertTrue(e.getMessage().contains(words), where + ": " + e.getMessage());
                outcomes.merge(refusal.startsWith("changes[") ? refusal.substring(refusal.indexOf('.')) : words, 1,
                    Integer::sum);
            }
            assertEquals(version, set.version(), where);
            final List<Validator> expected = new ArrayList<>();
            model.forEach((id, p) -> expected.add(new Validator(id, keys.get(id), p)));
            assertEquals(expected, set.validators(), where);
            expected.sort((a, b) -> a.votingPower() != b.votingPower() ? Long.compare(b.votingPower(), a.votingPower()) :
                a.id().compareTo(b.id()));
            assertEquals(expected, set.byPower(), where);
            final long total = model.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(BigInteger.valueOf(total), set.totalPower(), where);
            final long probe = random.nextInt((int)Math.max(1, total + 2));
            assertEquals(3 * probe > 2 * total, set.hasQuorum(probe), where);
        }
        System.out.println("ValidatorChangeSetTest outcomes " + outcomes);
        for (final String o : List.of("applied", "no change", "would leave no validator", ".id", ".power", ".publicKey"))
        {
            assertTrue(outcomes.getOrDefault(o, 0) > 10, "exercised " + o + ": " + outcomes);
        }
        assertTrue(outcomes.getOrDefault("passes maxTotalPower " + cap, 0) > 10, "exercised the cap: " + outcomes);
    }

    @Test
    void applyAllocatesNothingInSteadyState()
    {
        final ValidatorSet set = new ValidatorSet();
        final NodeId[] ids = new NodeId[64];
        final PublicKey[] keys = new PublicKey[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = low(i + 1);
            keys[i] = key(String.format("%02x", i));
        }
        final ValidatorChangeSet changes = new ValidatorChangeSet();
        final Executable round = () ->
        {
            // A step that changes powers, removes a quarter and brings back the quarter removed the step before.
            for (int r = 0; r < 4; r++)
            {
                changes.clear();
                for (int i = 0; i < ids.length; i++)
                {
                    if (i % 4 == r)
                    {
                        changes.remove(ids[i]);
                    }
                    else if (i % 4 == (r + 3) % 4)
                    {
                        changes.set(ids[i], keys[i], 1 + i + r);
                    }
                    else
                    {
                        changes.set(ids[i], null, 100 + i * r);
                    }
                }
                set.apply(changes);
            }
        };
        changes.clear();
        for (int i = 0; i < ids.length; i++)
        {
            changes.set(ids[i], keys[i], 1 + i);
        }
        set.apply(changes);
        try
        {
            for (int i = 0; i < 200; i++)
            {
                round.execute();
            }
            final long before = AllocationMeter.allocatedBytes();
            for (int i = 0; i < 1000; i++)
            {
                round.execute();
            }
            final long bytes = AllocationMeter.allocatedBytes() - before - AllocationMeter.readingCost();
            System.out.println("ValidatorSet.apply: " + bytes + " bytes over 4000 change sets of 64");
            assertTrue(bytes < 4000, "apply allocated " + bytes + " bytes over 4000 change sets");
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
        assertEquals(48, set.size());
    }

    @Test
    void readersOnOtherThreadsSeeWholeChangeSetsOnly() throws Exception
    {
        final long seed = Long.getLong("peerlane.test.seed", System.nanoTime());
        System.out.println("ValidatorChangeSetTest.readersOnOtherThreadsSeeWholeChangeSetsOnly seed=" + seed);
        final ValidatorSet set = threeValidators();
        final List<Validator> s0 = set.validators();
        final ValidatorChangeSet toS1 = new ValidatorChangeSet().set(low(1), null, 11).remove(low(2)).set(low(4), K1, 40);
        final ValidatorChangeSet toS0 = new ValidatorChangeSet().set(low(1), null, 10).set(low(2), K2, 20).remove(low(4));
        final ValidatorSet probe = threeValidators();
        probe.apply(toS1);
        final List<Validator> s1 = probe.validators();
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++)
        {
            final Random random = new Random(seed + r);
            readers.add(new Thread(() ->
            {
                try
                {
                    while (running.get())
                    {
                        final int view = random.nextInt(3);
                        final List<Validator> v = view == 0 ? set.validators() : view == 1 ? sortById(set.byPower()) :
                            null;
                        if (null != v)
                        {
                            assertTrue(v.equals(s0) || v.equals(s1), "a view that is neither state: " + v);
                        }
                        else
                        {
                            final BigInteger total = set.totalPower();
                            assertTrue(total.longValue() == 60 || total.longValue() == 81, "total " + total);
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        readers.forEach(Thread::start);
        for (int i = 0; i < 20_000; i++)
        {
            assertTrue(set.apply(i % 2 == 0 ? toS1 : toS0));
        }
        running.set(false);
        for (final Thread t : readers)
        {
            t.join(30_000);
            assertFalse(t.isAlive(), "a reader did not stop");
        }
        if (null != failure.get())
        {
            throw new AssertionError("seed " + seed + ": " + failure.get(), failure.get());
        }
        assertEquals(s0, set.validators());
        assertEquals(20_001, set.version(), "one version per applied change set");
    }

    private static List<Validator> sortById(final List<Validator> validators)
    {
        final List<Validator> out = new ArrayList<>(validators);
        out.sort(Validator.BY_ID);
        return out;
    }

    private static List<NodeId> ids(final List<Validator> validators)
    {
        final List<NodeId> out = new ArrayList<>();
        validators.forEach(v -> out.add(v.id()));
        return out;
    }
}
