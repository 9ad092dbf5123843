package io.peerlane.engine;

/**
 * The producers awaiting outcomes in the current run of events, woken together by the one stage that
 * completes waiters: the commit stage without a journal, the journal stage (after its append and end of
 * batch) with one. Owned by that stage's thread; grows only when a run holds more waiters than ever before.
 */
final class WaiterBatch
{
    private MutationEvent[] events = new MutationEvent[16];
    private long[] sequences = new long[16];
    private int count;

    /** Keeps a slot whose producer awaits its outcome; the slot is not reused before {@link #completeAll}. */
    void add(final MutationEvent event, final long sequence)
    {
        if (count == events.length)
        {
            events = java.util.Arrays.copyOf(events, count * 2);
            sequences = java.util.Arrays.copyOf(sequences, count * 2);
        }
        events[count] = event;
        sequences[count++] = sequence;
    }

    /** Hands each kept slot's outcome (null for a control event) to its producer. */
    void completeAll()
    {
        for (int i = 0; i < count; i++)
        {
            final MutationEvent event = events[i];
            events[i] = null;
            event.waiter.complete(event.waiterToken, sequences[i],
                event.type == MutationEvent.DATA ? event.result : null);
        }
        count = 0;
    }
}
