package io.peerlane.replication;

import io.peerlane.mutation.MutationValue;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.InvalidInputException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The leader's batching thread: takes the voted ops producers queued, puts up to {@code maxBatchOps} of them
 * in one log entry, and submits it to the local Raft server (its own request path, no client hop), keeping
 * up to {@code maxInFlightEntries} entries submitted and not yet applied. An entry is submitted as soon as
 * the thread finds ops waiting: batches grow with load (one op when idle, full entries under pressure), so
 * batching costs no latency when the cluster is quiet.
 * <p>
 * One thread submits in queue order, and the Raft server appends a leader's writes in the order they are
 * submitted, so the log keeps each producer's order. The thread blocks when idle (no spinning).
 */
final class EntryBatcher implements Runnable
{
    private static final OutcomeCode[] CODES = OutcomeCode.values();

    /** One producer's op, voted, waiting for its entry to be applied. */
    static final class Pending
    {
        final MutationValue op;
        final CompletableFuture<OutcomeCode> outcome = new CompletableFuture<>();

        Pending(final MutationValue op)
        {
            this.op = op;
        }
    }

    private static final Pending STOP = new Pending(null);

    private final ArrayBlockingQueue<Pending> queue;
    private final RaftServer server;
    private final RegistryStateMachine stateMachine;
    private final RaftGroupId groupId;
    private final RaftPeerId localId;
    private final Supplier<String> leaderId;
    private final int maxBatchOps;
    private final Semaphore inFlight;
    private final ClientId clientId = ClientId.randomId();
    private final LogEntryCodec codec = new LogEntryCodec();
    private long callId;
    private volatile boolean stopped;

    EntryBatcher(
        final RaftServer server,
        final RegistryStateMachine stateMachine,
        final RaftGroupId groupId,
        final RaftPeerId localId,
        final Supplier<String> leaderId,
        final int maxBatchOps,
        final int maxInFlightEntries)
    {
        this.server = server;
        this.stateMachine = stateMachine;
        this.groupId = groupId;
        this.localId = localId;
        this.leaderId = leaderId;
        this.maxBatchOps = maxBatchOps;
        this.inFlight = new Semaphore(maxInFlightEntries);
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, 4 * maxBatchOps * maxInFlightEntries));
    }

    /** Producer thread: queues a voted op (blocking while the queue is full: back-pressure). */
    void offer(final Pending pending)
    {
        if (stopped)
        {
            pending.outcome.completeExceptionally(new UnknownOutcomeException("the replica is closed", null, null));
            return;
        }
        try
        {
            queue.put(pending);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            pending.outcome.completeExceptionally(ex);
            return;
        }
        // The batcher may have stopped and drained the queue between the check above and the put: then nobody
        // takes this op, so take it back and fail it (if the batcher took it after all, remove finds nothing).
        if (stopped && queue.remove(pending))
        {
            pending.outcome.completeExceptionally(new UnknownOutcomeException("the replica is closed", null, null));
        }
    }

    @Override
    public void run()
    {
        final List<Pending> batch = new ArrayList<>(maxBatchOps);
        final List<MutationValue> ops = new ArrayList<>(maxBatchOps);
        try
        {
            while (true)
            {
                final Pending first = queue.take();
                if (first == STOP)
                {
                    break;
                }
                // In the batch before the wait, so that an interrupt while waiting fails it rather than losing it.
                batch.add(first);
                inFlight.acquire();
                queue.drainTo(batch, maxBatchOps - 1);
                // Ops queued after STOP (before stopped is set) may follow it: submit what precedes it only.
                final int stopAt = batch.indexOf(STOP);
                final List<Pending> after = stopAt < 0 ? List.of() : new ArrayList<>(batch.subList(stopAt + 1, batch.size()));
                if (stopAt >= 0)
                {
                    batch.subList(stopAt, batch.size()).clear();
                }
                submit(batch, ops);
                batch.clear();
                ops.clear();
                if (stopAt >= 0)
                {
                    failAll(after, "the replica closed");
                    break;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            // From take() (nothing held) or from acquire() (no permit taken): the batch, if any, fails below.
            Thread.currentThread().interrupt();
        }
        finally
        {
            stopped = true;
            failAll(batch, "the replica closed before the entry was submitted");
            batch.clear();
            Pending p;
            while (null != (p = queue.poll()))
            {
                if (p != STOP)
                {
                    p.outcome.completeExceptionally(new UnknownOutcomeException("the replica closed", null, null));
                }
            }
        }
    }

    private static void failAll(final List<Pending> pending, final String why)
    {
        for (final Pending p : pending)
        {
            if (p != STOP)
            {
                p.outcome.completeExceptionally(new UnknownOutcomeException(why, null, null));
            }
        }
    }

    private void submit(final List<Pending> batch, final List<MutationValue> ops)
    {
        for (int i = 0, n = batch.size(); i < n; i++)
        {
            ops.add(batch.get(i).op);
        }
        final Pending[] entry = batch.toArray(new Pending[0]);
        final CompletableFuture<RaftClientReply> reply;
        final long call = ++callId;
        try
        {
            final ByteString data = codec.encode(ops);
            stateMachine.propose(clientId, call, ops.toArray(new MutationValue[0]));
            final RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(localId)
                .setGroupId(groupId)
                .setCallId(call)
                .setMessage(Message.valueOf(data))
                .setType(RaftClientRequest.writeRequestType())
                .build();
            reply = server.submitClientRequestAsync(request);
        }
        catch (final Exception ex)
        {
            stateMachine.forget(call);
            inFlight.release();
            fail(entry, ex);
            return;
        }
        reply.whenComplete((r, error) ->
        {
            stateMachine.forget(call);
            inFlight.release();
            if (null != error)
            {
                fail(entry, error);
            }
            else if (!r.isSuccess())
            {
                fail(entry, r.getException());
            }
            else
            {
                try
                {
                    complete(entry, r.getMessage().getContent());
                }
                catch (final RuntimeException ex)
                {
                    // A reply that does not hold one outcome per op: fail what it did not complete.
                    fail(entry, ex);
                }
            }
        });
    }

    private static void complete(final Pending[] entry, final ByteString outcomes)
    {
        for (int i = 0; i < entry.length; i++)
        {
            final byte code = outcomes.byteAt(i);
            if (code == RegistryStateMachine.INVALID)
            {
                entry[i].outcome.completeExceptionally(new InvalidInputException(
                    "mutation", entry[i].op.kind(), "was refused by the engine's input checks when applied"));
            }
            else
            {
                entry[i].outcome.complete(CODES[code]);
            }
        }
    }

    private void fail(final Pending[] entry, final Throwable error)
    {
        String leader = leaderId.get();
        if (error instanceof NotLeaderException && null != ((NotLeaderException)error).getSuggestedLeader())
        {
            leader = ((NotLeaderException)error).getSuggestedLeader().getId().toString();
        }
        final UnknownOutcomeException unknown = new UnknownOutcomeException(
            "an entry of " + entry.length + " ops was not acknowledged (" + error + ")", leader, error);
        for (final Pending p : entry)
        {
            p.outcome.completeExceptionally(unknown);
        }
    }

    /** Stops after the ops already queued; waits at most {@code timeoutMs} for their entries to be applied. */
    void stop(final Thread thread, final long timeoutMs) throws InterruptedException
    {
        if (!queue.offer(STOP, timeoutMs, TimeUnit.MILLISECONDS))
        {
            thread.interrupt();
        }
        thread.join(timeoutMs);
        if (thread.isAlive())
        {
            thread.interrupt();
            thread.join(timeoutMs);
        }
    }
}
