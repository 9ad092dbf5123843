package io.peerlane.state;

import io.peerlane.outcome.OutcomeCode;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of outcomes and of refusal reasons, written by the commit stage and readable from any thread.
 * A reason is counted for REJECTED and ABORTED outcomes and for the op that failed a batch.
 */
public final class RegistryStats
{
    private final AtomicLongArray outcomes = new AtomicLongArray(OutcomeCode.values().length);
    private final ConcurrentHashMap<String, LongAdder> reasons = new ConcurrentHashMap<>();

    void count(final CommitResult result)
    {
        final int i = result.code().ordinal();
        outcomes.lazySet(i, outcomes.get(i) + 1);
        if (null != result.reason())
        {
            LongAdder adder = reasons.get(result.reason());
            if (null == adder)
            {
                adder = reasons.computeIfAbsent(result.reason(), k -> new LongAdder());
            }
            adder.increment();
        }
    }

    /**
     * @param code an outcome.
     * @return how many ops had it.
     */
    public long outcomes(final OutcomeCode code)
    {
        return outcomes.get(code.ordinal());
    }

    /**
     * @param reason a reason code or observer name.
     * @return how many refusals gave it.
     */
    public long reasons(final String reason)
    {
        final LongAdder adder = reasons.get(reason);
        return null == adder ? 0 : adder.sum();
    }

    /** @return every reason seen so far with its count, sorted by reason. */
    public Map<String, Long> reasons()
    {
        final Map<String, Long> out = new TreeMap<>();
        reasons.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** @return every outcome with a non-zero count. */
    public Map<OutcomeCode, Long> outcomes()
    {
        final Map<OutcomeCode, Long> out = new TreeMap<>();
        for (final OutcomeCode code : OutcomeCode.values())
        {
            final long n = outcomes.get(code.ordinal());
            if (n != 0)
            {
                out.put(code, n);
            }
        }
        return out;
    }
}
