package io.peerlane.engine;

import org.agrona.concurrent.Agent;

/**
 * Lets the journal stage force records on an idle engine under {@link io.peerlane.journal.ForcePolicy#EVERY_N_MS}:
 * the writer checks its interval only at an end of batch, so without traffic the last records would stay
 * unforced until the next event or close. This agent, on a thread of its own, publishes itself as a CONTROL
 * event every force interval (skipped when the ring is full, like a resync request); the journal stage's end
 * of batch then forces when due, and every other stage passes it by (it implements no {@link ControlEvent}
 * method: the tick itself is the point). Nothing is allocated per tick.
 */
final class JournalTick implements Agent, ControlEvent
{
    private final RingPublisher publisher;
    private final long intervalNs;
    private long nextNs;

    JournalTick(final RingPublisher publisher, final long intervalMs)
    {
        this.publisher = publisher;
        this.intervalNs = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.nextNs = System.nanoTime() + intervalNs;
    }

    @Override
    public int doWork()
    {
        final long now = System.nanoTime();
        if (now - nextNs < 0 || publisher.isClosed())
        {
            return 0;
        }
        nextNs = now + intervalNs;
        publisher.tryPublishControl(this);
        return 1;
    }

    @Override
    public String roleName()
    {
        return "peerlane-journal-tick";
    }
}
