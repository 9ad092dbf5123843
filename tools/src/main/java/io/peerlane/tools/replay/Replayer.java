package io.peerlane.tools.replay;

import io.peerlane.digest.CanonicalJson;
import io.peerlane.engine.EngineContext;
import io.peerlane.engine.OutcomeListener;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;
import io.peerlane.engine.WaitStrategyKind;
import io.peerlane.mutation.Mutation;
import io.peerlane.observer.ObserverOptions;
import io.peerlane.observer.ObserverRole;
import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.outcome.AbortCause;
import io.peerlane.outcome.Outcome;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryView;
import io.peerlane.subsystem.validator.ValidatorSetObserver;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the real engine with the ops of a {@link ReplaySource}: publishes each at its pace with
 * {@link PeerlaneEngine#publish(Mutation, boolean)}, and takes each outcome on the commit thread through the
 * engine's outcome listener, in commit order.
 * <p>
 * The publisher keeps, per op, its label, recorded outcome and intended time in arrays of twice the ring's
 * size, indexed by the op's count: the k-th outcome the listener sees is the k-th op published, because one
 * thread publishes and the commit order is the ring order. An entry is overwritten only two ring laps later,
 * after the claim of a slot that the commit of op k had to free first, so the listener never reads a
 * half-replaced entry; the ring's publish and barrier order the writes before the reads.
 */
public final class Replayer implements OutcomeListener
{
    /** Name of the observer that writes the event lines. */
    public static final String EVENTS_OBSERVER = "replay-events";

    private final Options options;
    private final int mask;
    private final long[] labels;
    private final Outcome[] recorded;
    private final long[] intendedNs;
    private final StringBuilder outcomeLine = new StringBuilder(256);
    private final AtomicLong committed = new AtomicLong();
    private final LatencyLog latency;
    private long commitCount;
    private long lastCommitNs;
    private long differences;
    private IOException outputFailure;
    private Throwable listenerFailure;
    private String labelName = "line";

    /** @param options what to run and where the outputs go. */
    public Replayer(final Options options)
    {
        this.options = options;
        final int slots = 2 * options.ringSize;
        mask = slots - 1;
        labels = new long[slots];
        recorded = new Outcome[slots];
        intendedNs = new long[slots];
        latency = new LatencyLog(options.hlog, System.currentTimeMillis());
    }

    /** @return ops whose outcome has been decided so far; from any thread. */
    public long committed()
    {
        return committed.get();
    }

    /** @return the latency log, sampled by the progress thread. */
    public LatencyLog latency()
    {
        return latency;
    }

    /**
     * Runs every op of the source through a new engine, then closes it.
     *
     * @param source the ops.
     * @return what happened.
     * @throws IOException when an output cannot be written.
     */
    public Result run(final ReplaySource source) throws IOException
    {
        labelName = source.labelName();
        final RegistrySettings settings = options.settings;
        final boolean recordedVotes = source.hasRecordedVotes() && !options.revote;
        final EngineContext ctx = new EngineContext()
            .topology(options.topology)
            .waitStrategy(options.waitStrategy)
            .ringSize(options.ringSize)
            .settings(settings)
            .countersDirectory(options.countersDirectory)
            .outcomeListener(this);
        if (null != options.snapshot)
        {
            ctx.restoreFrom(options.snapshot, null);
        }
        if (!recordedVotes && null != settings.authorizedValidatorKeys())
        {
            ctx.observer(ValidatorSetObserver.NAME, ValidatorSetObserver.ROLE, ValidatorSetObserver.fromSettings(settings),
                ObserverOptions.defaults().quarantineAfter(0));
        }
        final EventWriter events = null == options.events ? null : new EventWriter(options.events);
        if (null != events)
        {
            ctx.observer(EVENTS_OBSERVER, ObserverRole.STANDARD, events, ObserverOptions.defaults().quarantineAfter(0));
        }
        final Pace pace = options.pace;
        final long startNs;
        long published = 0;
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        try
        {
            startNs = System.nanoTime();
            pace.start(startNs);
            while (source.next())
            {
                final Mutation m = source.mutation();
                final int slot = (int)(published & mask);
                labels[slot] = source.label();
                recorded[slot] = source.recorded();
                final long intended = pace.intended(published, m.time());
                if (pace.paced())
                {
                    Pace.awaitUntil(intended);
                }
                intendedNs[slot] = intended;
                engine.publish(m, recordedVotes);
                published++;
            }
        }
        finally
        {
            engine.close();
        }
        final long endNs = lastCommitNs;
        if (commitCount != published)
        {
            throw new IllegalStateException("the engine decided " + commitCount + " of " + published + " ops");
        }
        if (listenerFailure instanceof Error)
        {
            throw (Error)listenerFailure;
        }
        if (null != listenerFailure)
        {
            throw new IllegalStateException("the outcome of op " + (commitCount) + " could not be taken: " +
                listenerFailure, listenerFailure);
        }
        if (null != outputFailure)
        {
            throw outputFailure;
        }
        if (null != events && events.problem instanceof Error)
        {
            throw (Error)events.problem;
        }
        if (null != events && null != events.failure)
        {
            throw events.failure;
        }
        final RegistryView view = engine.view();
        final Result result = new Result();
        result.ops = published;
        result.elapsedNs = published == 0 ? 0 : endNs - startNs;
        result.differences = differences;
        result.peers = view.size();
        result.stateView = view;
        if (pace.paced() && published > 1)
        {
            final double intendedSeconds = (intendedNs[(int)((published - 1) & mask)] - startNs) / 1e9;
            result.intendedSeconds = intendedSeconds;
            result.targetRate = pace.fixedRate() > 0 ? pace.fixedRate() :
                intendedSeconds > 0 ? (published - 1) / intendedSeconds : 0;
        }
        return result;
    }

    /**
     * The engine counts and swallows what an outcome listener throws; an op this listener failed on must
     * still be counted, or every later outcome would be paired with the wrong op. So the count moves on in
     * {@code finally}, and the first failure (an output error, out of memory) is kept and ends the run.
     */
    @Override
    public void onCommit(final long sequence, final Mutation mutation, final CommitResult result)
    {
        final long now = System.nanoTime();
        final int slot = (int)(commitCount & mask);
        try
        {
            if (null == listenerFailure)
            {
                decided(slot, now, result);
            }
        }
        catch (final Throwable ex)
        {
            if (null == listenerFailure)
            {
                listenerFailure = ex;
            }
        }
        finally
        {
            recorded[slot] = null;
            lastCommitNs = now;
            committed.lazySet(++commitCount);
        }
    }

    private void decided(final int slot, final long now, final CommitResult result)
    {
        latency.record(now - intendedNs[slot]);
        final long label = labels[slot];
        if (null != options.outcomes && null == outputFailure)
        {
            outcomeLine.setLength(0);
            try
            {
                options.outcomes.append(CanonicalJson.outcome(outcomeLine, label, result).append('\n'));
            }
            catch (final IOException ex)
            {
                outputFailure = ex;
            }
        }
        final Outcome was = recorded[slot];
        if (null != was && !was.sameAs(result))
        {
            differences++;
            if (null != options.differences)
            {
                options.differences.println("DIFF " + labelName + " " + label + ": recorded " +
                    describe(was.code(), was.reason(), was.cause(), was.failedOp(), was.time()) + ", now " +
                    describe(result.code(), result.reason(), result.cause(), result.failedOp(), result.time()));
            }
        }
    }

    private static String describe(
        final OutcomeCode code, final String reason, final AbortCause cause, final int failedOp, final long time)
    {
        return code + (code == OutcomeCode.BATCH_FAILED ? " op " + failedOp : "") + (null == reason ? "" : " " + reason) +
            (null == cause ? "" : " " + cause) + " (t=" + time + ")";
    }

    /** Writes each committed event as TRACE.md's event line; a STANDARD observer, so it sees every event. */
    private static final class EventWriter implements PeerObserver
    {
        private final Appendable out;
        private final StringBuilder line = new StringBuilder(512);
        private IOException failure;
        private Throwable problem;

        EventWriter(final Appendable out)
        {
            this.out = out;
        }

        @Override
        public void onEvent(final RegistryEvent event)
        {
            if (null != failure)
            {
                return;
            }
            line.setLength(0);
            try
            {
                out.append(CanonicalJson.event(line, event).append('\n'));
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
            catch (final UncheckedIOException ex)
            {
                failure = ex.getCause();
            }
            catch (final Throwable ex)
            {
                // The engine isolates an observer that throws; a line missing from the file must still fail the run.
                problem = ex;
                failure = new IOException("an event line could not be written: " + ex);
            }
        }
    }

    /** What a replay did. */
    public static final class Result
    {
        long ops;
        long elapsedNs;
        long differences;
        int peers;
        double targetRate;
        double intendedSeconds;
        RegistryView stateView;

        /** @return seconds from the first op's intended time to the last's (0 at --pace max). */
        public double intendedSeconds()
        {
            return intendedSeconds;
        }

        /** @return ops published and decided. */
        public long ops()
        {
            return ops;
        }

        /** @return ns from the first publish to the last commit. */
        public long elapsedNs()
        {
            return elapsedNs;
        }

        /** @return ops whose outcome differs from the recording. */
        public long differences()
        {
            return differences;
        }

        /** @return live peers at the end. */
        public int peers()
        {
            return peers;
        }

        /** @return the rate the pace asked for in ops/s, 0 for none (max pace, or all ops at one time). */
        public double targetRate()
        {
            return targetRate;
        }

        /** @return the achieved rate in ops/s. */
        public double achievedRate()
        {
            return elapsedNs <= 0 ? 0 : ops * 1e9 / elapsedNs;
        }

        /** @return the registry at the end. */
        public RegistryView view()
        {
            return stateView;
        }
    }

    /** What to run and where its outputs go. */
    public static final class Options
    {
        Topology topology = Topology.COMPACT;
        WaitStrategyKind waitStrategy = WaitStrategyKind.BLOCKING;
        int ringSize = io.peerlane.config.Configuration.RING_SIZE_DEFAULT;
        Pace pace = Pace.parse("max");
        java.nio.file.Path countersDirectory;
        boolean revote;
        RegistrySettings settings = RegistrySettings.defaults();
        Appendable outcomes;
        Appendable events;
        PrintWriter differences;
        PrintStream hlog;
        java.nio.file.Path snapshot;

        /** @param v a state snapshot the engine starts from, or null for an empty registry. @return this. */
        public Options snapshot(final java.nio.file.Path v)
        {
            snapshot = v;
            return this;
        }

        /** @param v topology. @return this. */
        public Options topology(final Topology v)
        {
            topology = v;
            return this;
        }

        /** @param v wait strategy. @return this. */
        public Options waitStrategy(final WaitStrategyKind v)
        {
            waitStrategy = v;
            return this;
        }

        /** @param v ring slots, a power of two. @return this. */
        public Options ringSize(final int v)
        {
            ringSize = v;
            return this;
        }

        /** @param v where the engine keeps its counters file ({@code ./peerlane stat DIR}), or null. @return this. */
        public Options counters(final java.nio.file.Path v)
        {
            countersDirectory = v;
            return this;
        }

        /** @param v the pace. @return this. */
        public Options pace(final Pace v)
        {
            pace = v;
            return this;
        }

        /** @param v re-run critical votes instead of applying recorded refusals. @return this. */
        public Options revote(final boolean v)
        {
            revote = v;
            return this;
        }

        /** @param v the settings to run with (the source's, with overrides). @return this. */
        public Options settings(final RegistrySettings v)
        {
            settings = v;
            return this;
        }

        /** @param v receives outcome lines, or null. @return this. */
        public Options outcomes(final Appendable v)
        {
            outcomes = v;
            return this;
        }

        /** @param v receives event lines, or null. @return this. */
        public Options events(final Appendable v)
        {
            events = v;
            return this;
        }

        /** @param v receives a line per outcome that differs from the recording, or null. @return this. */
        public Options differences(final PrintWriter v)
        {
            differences = v;
            return this;
        }

        /** @param v receives the HdrHistogram interval log, or null. @return this. */
        public Options hlog(final PrintStream v)
        {
            hlog = v;
            return this;
        }
    }
}
