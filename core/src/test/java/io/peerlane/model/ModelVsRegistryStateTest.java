package io.peerlane.model;

import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential property test: the same seeded op sequences go to the {@link ReferenceModel} and to
 * {@link RegistryState}; outcome lines, event lines, and the peer, tombstone, ban and rate window counts must
 * be equal after every op, and the state lines every few ops and at the end.
 * <p>
 * Defaults: 300 seeds of 400 ops. {@code -Dpeerlane.model.seed=N} replays one seed,
 * {@code -Dpeerlane.model.seeds} and {@code -Dpeerlane.model.ops} change the sizes. Each failing seed is
 * printed with the op that diverged.
 */
class ModelVsRegistryStateTest
{
    private static final int SEEDS = Integer.getInteger("peerlane.model.seeds", 300);
    private static final int OPS = Integer.getInteger("peerlane.model.ops", 400);
    /** State lines (and their digest) are compared every so many ops and after the last: every op costs seconds. */
    private static final int STATE_EVERY = 4;

    @Test
    void registryStateAgreesWithTheModel()
    {
        final Long only = Long.getLong("peerlane.model.seed");
        final List<String> failures = new ArrayList<>();
        final long first = null == only ? 1 : only;
        final long last = null == only ? SEEDS : only;
        for (long seed = first; seed <= last; seed++)
        {
            final String failure = run(seed, OPS, null);
            if (null != failure)
            {
                System.out.println(failure);
                failures.add(failure);
            }
        }
        if (!failures.isEmpty())
        {
            fail(failures.size() + " failing seed(s); first:\n" + failures.get(0));
        }
    }

    @Test
    void generatorReachesEveryOutcomeAndReason()
    {
        final java.util.Set<String> seen = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 60; seed++)
        {
            final RandomOps gen = new RandomOps(seed);
            final ReferenceModel model = new ReferenceModel(gen.settings(), gen.rules());
            int line = 0;
            for (final MutationValue op : gen.ops(OPS))
            {
                for (final String l : model.apply(++line, op))
                {
                    seen.add(token(l, "\"outcome\":\""));
                    seen.add(token(l, "\"reason\":\""));
                    seen.add(token(l, "\"cause\":\""));
                    seen.add(token(l, "\"event\":\""));
                }
            }
        }
        for (final String expected : List.of(
            "ADDED", "UPDATED", "REMOVED", "NOT_FOUND", "STALE", "TOUCHED", "BATCH_COMMITTED", "BATCH_FAILED",
            "TICKED", "BAN_SET", "BAN_LIFTED", "REJECTED", "ABORTED", "BANNED", "RATE_LIMITED", "IDENTITY_CONFLICT",
            "DEVICE_LIMIT", "SUBNET_LIMIT", "CAPACITY", "BAN_LIMIT", "validator-set", "audit", "VETO", "EXCEPTION",
            "TIMEOUT", "EVICTED", "EXPIRED", "BATCH", "NO_GATEWAY", "HOP_JUMP"))
        {
            assertTrue(seen.contains(expected), "the generator never reached " + expected + "; saw " + seen);
        }
    }

    /**
     * @return null when both sides agree on every line, otherwise a report naming the seed and the op.
     */
    static String run(final long seed, final int count, final AdmissionRule unknownToTheModel)
    {
        final RandomOps gen = new RandomOps(seed);
        final RegistrySettings settings = gen.settings();
        final ReferenceModel model = new ReferenceModel(settings, gen.rules());
        final List<AdmissionRule> rules = new ArrayList<>();
        for (final ReferenceModel.Rule rule : gen.rules())
        {
            rules.add((proposed, current, reader) -> rule.check(proposed, current));
        }
        if (null != unknownToTheModel)
        {
            rules.add(unknownToTheModel);
        }
        final RegistryState state = new RegistryState(settings, rules);
        final CommitResult result = new CommitResult();
        final Map<PeerRecord, CommitLines.CachedLine> lineCache = new IdentityHashMap<>();
        final List<MutationValue> ops = gen.ops(count);
        for (int i = 0; i < ops.size(); i++)
        {
            final MutationValue op = ops.get(i);
            final int line = i + 1;
            final List<String> expected = model.apply(line, op);
            state.commit(op, i, result);
            final List<String> actual = CommitLines.of(line, result);
            String why = null;
            if (!expected.equals(actual))
            {
                why = "lines differ";
            }
            else if (model.tombstoneCount() != state.tombstoneCount())
            {
                why = "tombstones: model " + model.tombstoneCount() + ", state " + state.tombstoneCount();
            }
            else if (model.banCount() != state.banCount())
            {
                why = "bans: model " + model.banCount() + ", state " + state.banCount();
            }
            else if (model.didRateWindowCount() != state.rateWindowCount())
            {
                why = "per-DID rate windows: model " + model.didRateWindowCount() + ", state " + state.rateWindowCount();
            }
            else if (model.size() != state.view().size())
            {
                why = "live peers: model " + model.size() + ", state " + state.view().size();
            }
            else if ((line % STATE_EVERY == 0 || line == ops.size()) &&
                !model.stateLines().equals(CommitLines.state(state.view(), lineCache)))
            {
                why = "state lines differ";
            }
            if (null != why)
            {
                return "seed " + seed + " (" + settings + "): " + why + " at op " + line + ": " + VotedOps.describe(op) +
                    "\n  model: " + String.join("\n         ", expected) +
                    "\n  state: " + String.join("\n         ", actual) +
                    "\n  model state: " + String.join("\n               ", model.stateLines()) +
                    "\n  state state: " + String.join("\n               ", CommitLines.state(state.view()));
            }
        }
        return null;
    }

    @Test
    void aStateThatBreaksOneRuleIsReported()
    {
        // The comparison must be able to fail: a state with one extra rule diverges on some seed, and the
        // report names the seed and the op.
        String report = null;
        for (long seed = 1; seed <= 20 && null == report; seed++)
        {
            report = run(seed, OPS, (proposed, current, reader) -> proposed.version() == 2 ? "EXTRA" : null);
        }
        assertTrue(null != report && report.startsWith("seed ") && report.contains("EXTRA"), String.valueOf(report));
    }

    private static String token(final String line, final String prefix)
    {
        final int at = line.indexOf(prefix);
        if (at < 0)
        {
            return "";
        }
        final int from = at + prefix.length();
        return line.substring(from, line.indexOf('"', from));
    }
}
