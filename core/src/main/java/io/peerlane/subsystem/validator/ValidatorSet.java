package io.peerlane.subsystem.validator;

import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.PublicKey;
import io.peerlane.state.NodeIdMap;
import org.agrona.collections.Object2IntHashMap;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of validators and their voting power, and the quorum: the smallest power strictly greater than two
 * thirds of the total. It follows either the registry ({@link #put} and {@link #remove}: the live peers of
 * {@code nodeType == VALIDATOR}, as {@link ValidatorSetObserver} feeds it) or a consensus engine
 * ({@link #apply}: one change set per step, all or nothing, with CometBFT's checks).
 * <p>
 * Arithmetic is exact integer arithmetic: one power is below 2^63 but a sum of many is not, so the total is
 * an unsigned 128-bit value held in two longs (no allocation when the set changes), and
 * {@link #hasQuorum(long)} compares {@code 3 * power} with {@code 2 * total} in 128 bits. No floating point
 * is involved anywhere.
 * <p>
 * {@link #version()} moves with every change to the set (a validator joins, leaves, or changes power or
 * key; an applied change set moves it once) and never otherwise, so a consumer can tell whether the set it
 * acted on is still current. A refused change set leaves the set and its version as they were.
 * <p>
 * Every method takes a private monitor that only this set's writer and readers use.
 * <p>
 * {@link #put}, {@link #remove} and {@link #apply} allocate nothing once the set has held its largest number
 * of validators and checked its largest change set: validators are mutable slots in an open-addressing
 * {@link NodeIdMap} (no node per put, ids inline), taken from and given back to a free list; {@code apply}
 * finds duplicate ids with a reused {@link Object2IntHashMap} and checks every entry against the current set
 * and a 128-bit running total before it changes anything, so a refusal needs no undo. {@link BigInteger}s
 * are made only by the queries that return one, the views allocate the lists they return, and
 * {@link #replaceAll}, a resynchronisation, builds a fresh set. A refusal throws (it is not a steady state).
 */
public final class ValidatorSet
{
    /** CometBFT's cap on the total voting power, {@code MaxInt64 / 8}: the default of {@link #maxTotalPower()}. */
    public static final long MAX_TOTAL_POWER_DEFAULT = Long.MAX_VALUE / 8;

    private static final BigInteger TWO = BigInteger.valueOf(2);
    private static final BigInteger THREE = BigInteger.valueOf(3);

    /** A validator as the set holds it: mutable, pooled. */
    private static final class Slot
    {
        NodeId id;
        PublicKey key;
        long power;
        Slot nextFree;
    }

    private final Object lock = new Object();
    private final long maxTotalPower;
    private final NodeIdMap<Slot> validators = new NodeIdMap<>();
    /** Scratch for {@link #apply}: entry index by id, to find duplicates. */
    private final Object2IntHashMap<NodeId> seenInChangeSet = new Object2IntHashMap<>(-1);
    private Slot freeSlots;
    private long totalHi;
    private long totalLo;
    private long version;

    /** Makes an empty set at version 0, with {@link #MAX_TOTAL_POWER_DEFAULT} as the cap of {@link #apply}. */
    public ValidatorSet()
    {
        this(MAX_TOTAL_POWER_DEFAULT);
    }

    /**
     * @param maxTotalPower most total power a change set may leave ({@link #apply}), at least 0; 0 for no
     *                      cap. The registry path ({@link #put}) is bounded by the registry instead.
     * @throws InvalidInputException when it is negative.
     */
    public ValidatorSet(final long maxTotalPower)
    {
        if (maxTotalPower < 0)
        {
            throw new InvalidInputException("maxTotalPower", maxTotalPower, "must be at least 0 (0: no cap)");
        }
        this.maxTotalPower = maxTotalPower;
    }

    /**
     * @param live the live records; those that are not validators are left out.
     * @return the set of the validators among them.
     */
    public static ValidatorSet rebuild(final Collection<PeerRecord> live)
    {
        final ValidatorSet set = new ValidatorSet();
        for (final PeerRecord r : live)
        {
            set.put(r);
        }
        return set;
    }

    /** @return the cap on the total power a change set may leave, 0 for none. */
    public long maxTotalPower()
    {
        return maxTotalPower;
    }

    /**
     * Applies a peer's record: a validator joins or is refreshed, a peer that is no longer a validator
     * leaves. A validator record of power 0 is a validator of power 0 (the registry's view).
     *
     * @param record the peer's live record.
     * @return whether the set changed (and {@link #version()} moved).
     */
    public boolean put(final PeerRecord record)
    {
        if (record.nodeType() != NodeType.VALIDATOR)
        {
            return remove(record.id());
        }
        synchronized (lock)
        {
            final Slot slot = validators.get(record.id());
            if (null == slot)
            {
                join(record.id(), record.publicKey(), record.votingPower());
            }
            else
            {
                if (slot.power == record.votingPower() && slot.key.equals(record.publicKey()))
                {
                    return false;
                }
                change(slot, record.publicKey(), record.votingPower());
            }
            version++;
            return true;
        }
    }

    /**
     * @param id a peer that left.
     * @return whether it was a validator (and {@link #version()} moved).
     */
    public boolean remove(final NodeId id)
    {
        synchronized (lock)
        {
            final Slot slot = validators.remove(id);
            if (null == slot)
            {
                return false;
            }
            leave(slot);
            version++;
            return true;
        }
    }

    /**
     * Applies one consensus step's validator updates, all or nothing. The change set is refused, and the set
     * and its version left as they were, when an entry has no id, a negative power, or an id that an earlier
     * entry already has; when it removes (power 0) a validator the set does not hold, or adds one without a
     * key; when it would leave no validator; or when the total power would pass {@link #maxTotalPower()}.
     * An accepted change set moves {@link #version()} once if it changed anything.
     *
     * @param changes the step's updates; not changed.
     * @return whether the set changed.
     * @throws InvalidInputException naming the offending entry ({@code changes[i].power}, ...), its value and
     *                               the rule, or {@code changes} for a rule of the whole set.
     */
    public boolean apply(final ValidatorChangeSet changes)
    {
        synchronized (lock)
        {
            check(changes);
            boolean changed = false;
            for (int i = 0, n = changes.size(); i < n; i++)
            {
                final NodeId id = changes.id(i);
                final long power = changes.power(i);
                final PublicKey key = changes.publicKey(i);
                final Slot slot = validators.get(id);
                if (0 == power)
                {
                    leave(validators.remove(id));
                    changed = true;
                }
                else if (null == slot)
                {
                    join(id, key, power);
                    changed = true;
                }
                else if (slot.power != power || (null != key && !key.equals(slot.key)))
                {
                    change(slot, null == key ? slot.key : key, power);
                    changed = true;
                }
            }
            if (changed)
            {
                version++;
            }
            return changed;
        }
    }

    /**
     * Makes the set hold exactly the validators among {@code live}; the version moves once when that
     * changes anything.
     *
     * @param live the live records.
     * @return whether the set changed.
     */
    public boolean replaceAll(final Collection<PeerRecord> live)
    {
        final ValidatorSet next = rebuild(live);
        synchronized (lock)
        {
            final boolean changed = !sameValidators(next.snapshot());
            releaseAll();
            for (final Slot s : next.validators.values())
            {
                join(s.id, s.key, s.power);
            }
            if (changed)
            {
                version++;
            }
            return changed;
        }
    }

    /** @return the version: 0 when made, one more for every change. */
    public long version()
    {
        synchronized (lock)
        {
            return version;
        }
    }

    /** @return number of validators. */
    public int size()
    {
        synchronized (lock)
        {
            return validators.size();
        }
    }

    /**
     * @param id a node id.
     * @return whether it is a validator.
     */
    public boolean contains(final NodeId id)
    {
        synchronized (lock)
        {
            return validators.containsKey(id);
        }
    }

    /**
     * @param id a node id.
     * @return its voting power, 0 when it is not a validator.
     */
    public long votingPower(final NodeId id)
    {
        synchronized (lock)
        {
            final Slot s = validators.get(id);
            return null == s ? 0 : s.power;
        }
    }

    /**
     * @param id a node id.
     * @return the validator, or null when it is not one.
     */
    public Validator get(final NodeId id)
    {
        synchronized (lock)
        {
            final Slot s = validators.get(id);
            return null == s ? null : new Validator(s.id, s.key, s.power);
        }
    }

    /** @return the validators in id order. */
    public List<Validator> validators()
    {
        final List<Validator> out = snapshot();
        out.sort(Validator.BY_ID);
        return out;
    }

    /** @return the validators by power, highest first, then in id order: the proposer order of consensus code. */
    public List<Validator> byPower()
    {
        final List<Validator> out = snapshot();
        out.sort(Validator.BY_POWER);
        return out;
    }

    /** @return the sum of every validator's power. */
    public BigInteger totalPower()
    {
        synchronized (lock)
        {
            return unsigned128(totalHi, totalLo);
        }
    }

    /** @return the smallest power strictly greater than two thirds of the total: floor(2 * total / 3) + 1. */
    public BigInteger quorum()
    {
        return totalPower().multiply(TWO).divide(THREE).add(BigInteger.ONE);
    }

    /**
     * @param ids some peers.
     * @return the summed power of those that are validators, each counted once.
     */
    public BigInteger powerOf(final Collection<NodeId> ids)
    {
        final Map<NodeId, Long> distinct = new HashMap<>();
        synchronized (lock)
        {
            for (final NodeId id : ids)
            {
                final Slot s = validators.get(id);
                if (null != s)
                {
                    distinct.put(id, s.power);
                }
            }
        }
        BigInteger sum = BigInteger.ZERO;
        for (final long p : distinct.values())
        {
            sum = sum.add(BigInteger.valueOf(p));
        }
        return sum;
    }

    /**
     * @param power a power, at least 0.
     * @return whether it is strictly more than two thirds of the total: {@code 3 * power > 2 * total}.
     */
    public boolean hasQuorum(final long power)
    {
        if (power < 0)
        {
            throw new IllegalArgumentException("power must be at least 0, got " + power);
        }
        final long threeHi = Math.multiplyHigh(power, 3);
        final long threeLo = power * 3;
        synchronized (lock)
        {
            final long twoHi = (totalHi << 1) | (totalLo >>> 63);
            final long twoLo = totalLo << 1;
            return threeHi != twoHi ? Long.compareUnsigned(threeHi, twoHi) > 0 : Long.compareUnsigned(threeLo, twoLo) > 0;
        }
    }

    /**
     * @param power a power, at least 0, of any size.
     * @return whether it is strictly more than two thirds of the total: {@code 3 * power > 2 * total}.
     */
    public boolean hasQuorum(final BigInteger power)
    {
        if (power.signum() < 0)
        {
            throw new IllegalArgumentException("power must be at least 0, got " + power);
        }
        return power.multiply(THREE).compareTo(totalPower().multiply(TWO)) > 0;
    }

    /** Removes every validator; the version moves when there was one. */
    public void clear()
    {
        synchronized (lock)
        {
            if (!validators.isEmpty())
            {
                releaseAll();
                version++;
            }
        }
    }

    /** Two sets are equal when they hold the same validators with the same keys and powers; versions aside. */
    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ValidatorSet))
        {
            return false;
        }
        final List<Validator> other = ((ValidatorSet)o).snapshot();
        synchronized (lock)
        {
            return sameValidators(other);
        }
    }

    @Override
    public int hashCode()
    {
        synchronized (lock)
        {
            int h = 0;
            for (final Slot s : validators.values())
            {
                h += s.id.hashCode() ^ Long.hashCode(s.power);
            }
            return h;
        }
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "ValidatorSet{validators=" + validators.size() + ", total=" + unsigned128(totalHi, totalLo) +
                ", version=" + version + "}";
        }
    }

    /** Refuses the change set, naming the entry, unless every rule holds; changes nothing. */
    private void check(final ValidatorChangeSet changes)
    {
        seenInChangeSet.clear();
        int count = validators.size();
        long hi = totalHi;
        long lo = totalLo;
        for (int i = 0, n = changes.size(); i < n; i++)
        {
            final NodeId id = changes.id(i);
            final long power = changes.power(i);
            if (null == id)
            {
                throw new InvalidInputException("changes[" + i + "].id", null, "is required");
            }
            final int earlier = seenInChangeSet.put(id, i);
            if (earlier >= 0)
            {
                throw new InvalidInputException("changes[" + i + "].id", id.toHex(),
                    "is already changed by changes[" + earlier + "] (one entry per validator)");
            }
            if (power < 0)
            {
                throw new InvalidInputException("changes[" + i + "].power", power, "must be at least 0 (0 removes)");
            }
            final Slot slot = validators.get(id);
            if (null == slot && 0 == power)
            {
                throw new InvalidInputException("changes[" + i + "].id", id.toHex(),
                    "is not a validator, so it cannot be removed");
            }
            if (null == slot && null == changes.publicKey(i))
            {
                throw new InvalidInputException("changes[" + i + "].publicKey", null, "is required for a new validator");
            }
            if (null != slot)
            {
                if (Long.compareUnsigned(lo, slot.power) < 0)
                {
                    hi--;
                }
                lo -= slot.power;
                count--;
            }
            if (0 != power)
            {
                final long sum = lo + power;
                if (Long.compareUnsigned(sum, lo) < 0)
                {
                    hi++;
                }
                lo = sum;
                count++;
            }
        }
        if (0 == count)
        {
            throw new InvalidInputException("changes", changes.size() + " entries",
                "would leave no validator (the set holds " + validators.size() + ")");
        }
        if (0 != maxTotalPower && (0 != hi || Long.compareUnsigned(lo, maxTotalPower) > 0))
        {
            throw new InvalidInputException("changes", "a total power of " + unsigned128(hi, lo),
                "passes maxTotalPower " + maxTotalPower);
        }
    }

    private void join(final NodeId id, final PublicKey key, final long power)
    {
        Slot s = freeSlots;
        if (null == s)
        {
            s = new Slot();
        }
        else
        {
            freeSlots = s.nextFree;
            s.nextFree = null;
        }
        s.id = id;
        s.key = key;
        s.power = power;
        validators.put(id, s);
        add(power);
    }

    private void change(final Slot slot, final PublicKey key, final long power)
    {
        subtract(slot.power);
        add(power);
        slot.key = key;
        slot.power = power;
    }

    private void leave(final Slot slot)
    {
        subtract(slot.power);
        slot.id = null;
        slot.key = null;
        slot.power = 0;
        slot.nextFree = freeSlots;
        freeSlots = slot;
    }

    private void releaseAll()
    {
        for (final Slot s : validators.values())
        {
            s.id = null;
            s.key = null;
            s.nextFree = freeSlots;
            freeSlots = s;
        }
        validators.clear();
        totalHi = 0;
        totalLo = 0;
    }

    private List<Validator> snapshot()
    {
        synchronized (lock)
        {
            final List<Validator> out = new ArrayList<>(validators.size());
            for (final Slot s : validators.values())
            {
                out.add(new Validator(s.id, s.key, s.power));
            }
            return out;
        }
    }

    private boolean sameValidators(final List<Validator> other)
    {
        if (other.size() != validators.size())
        {
            return false;
        }
        for (final Validator v : other)
        {
            final Slot mine = validators.get(v.id());
            if (null == mine || mine.power != v.votingPower() || !mine.key.equals(v.publicKey()))
            {
                return false;
            }
        }
        return true;
    }

    private void add(final long power)
    {
        final long lo = totalLo + power;
        if (Long.compareUnsigned(lo, totalLo) < 0)
        {
            totalHi++;
        }
        totalLo = lo;
    }

    private void subtract(final long power)
    {
        if (Long.compareUnsigned(totalLo, power) < 0)
        {
            totalHi--;
        }
        totalLo -= power;
    }

    private static BigInteger unsigned128(final long hi, final long lo)
    {
        final BigInteger low = BigInteger.valueOf(lo >>> 1).shiftLeft(1).or(BigInteger.valueOf(lo & 1));
        return BigInteger.valueOf(hi).shiftLeft(64).or(low);
    }
}
