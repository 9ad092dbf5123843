package io.peerlane.subsystem.validator;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import org.agrona.collections.Object2ObjectHashMap;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The validators among the live peers ({@code nodeType == VALIDATOR}), their voting power, and the quorum:
 * the smallest power strictly greater than two thirds of the total.
 * <p>
 * Arithmetic is exact integer arithmetic: one power is below 2^53 but a sum of many is not, so the total is
 * an unsigned 128-bit value held in two longs (no allocation when the set changes), and
 * {@link #hasQuorum(long)} compares {@code 3 * power} with {@code 2 * total} in 128 bits. No floating point
 * is involved anywhere.
 * <p>
 * {@link #version()} moves with every change to the set (a validator joins, leaves, or changes power or
 * key) and never otherwise, so a consumer can tell whether the set it acted on is still current.
 * <p>
 * Every method takes a private monitor that only this set's writer and readers use.
 * <p>
 * {@link #put} and {@link #remove}, the event path, allocate nothing once the set has held its largest
 * number of validators: the records sit in an open-addressing {@link Object2ObjectHashMap} (no node per
 * put), the total is two longs and the version one. {@link BigInteger}s are made only by the queries that
 * return one, and {@link #replaceAll}, a resynchronisation, builds a fresh set.
 */
public final class ValidatorSet
{
    private static final BigInteger TWO = BigInteger.valueOf(2);
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private final Object lock = new Object();
    private final Object2ObjectHashMap<NodeId, PeerRecord> validators = new Object2ObjectHashMap<>();
    private long totalHi;
    private long totalLo;
    private long version;

    /** Makes an empty set at version 0. */
    public ValidatorSet()
    {
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

    /**
     * Applies a peer's record: a validator joins or is refreshed, a peer that is no longer a validator
     * leaves.
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
            final PeerRecord previous = validators.put(record.id(), record);
            if (null != previous && previous.votingPower() == record.votingPower() &&
                previous.publicKey().equals(record.publicKey()))
            {
                return false;
            }
            if (null != previous)
            {
                subtract(previous.votingPower());
            }
            add(record.votingPower());
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
            final PeerRecord previous = validators.remove(id);
            if (null == previous)
            {
                return false;
            }
            subtract(previous.votingPower());
            version++;
            return true;
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
            final boolean changed = !sameValidators(next.validators);
            validators.clear();
            validators.putAll(next.validators);
            totalHi = next.totalHi;
            totalLo = next.totalLo;
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
            final PeerRecord r = validators.get(id);
            return null == r ? 0 : r.votingPower();
        }
    }

    /** @return the validators' records, in id order. */
    public List<PeerRecord> validators()
    {
        final List<PeerRecord> out;
        synchronized (lock)
        {
            out = new ArrayList<>(validators.values());
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
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
                final PeerRecord r = validators.get(id);
                if (null != r)
                {
                    distinct.put(id, r.votingPower());
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
                validators.clear();
                totalHi = 0;
                totalLo = 0;
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
        final Map<NodeId, PeerRecord> other;
        synchronized (((ValidatorSet)o).lock)
        {
            other = new HashMap<>(((ValidatorSet)o).validators);
        }
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
            for (final PeerRecord r : validators.values())
            {
                h += r.id().hashCode() ^ Long.hashCode(r.votingPower());
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

    private boolean sameValidators(final Map<NodeId, PeerRecord> other)
    {
        if (other.size() != validators.size())
        {
            return false;
        }
        for (final Map.Entry<NodeId, PeerRecord> e : other.entrySet())
        {
            final PeerRecord mine = validators.get(e.getKey());
            if (null == mine || mine.votingPower() != e.getValue().votingPower() ||
                !mine.publicKey().equals(e.getValue().publicKey()))
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
