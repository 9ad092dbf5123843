package io.peerlane.engine;

/**
 * What a control event (an observer's registration, removal or resync, a snapshot, a journal tick) does
 * at each stage it passes, called by the stage as Agrona's runner calls an {@code Agent}: each stage asks
 * the event, instead of asking which event it is. Every method defaults to nothing, so an event implements
 * only the stages it acts at, and the stages hold no {@code instanceof} chain. A control event is made once
 * by the thread that publishes it; the stages allocate nothing to run it.
 * <p>
 * Each method runs on that stage's thread at the event's sequence, so a change it makes to the stage's own
 * lists takes effect at one point of the commit order in every stage.
 */
interface ControlEvent
{
    /**
     * At a prepare lane (in the compact topology, and in the pipelined one without prepare lanes, the votes
     * run on the commit thread and this runs there, just before {@link #onCommit}).
     *
     * @param lane the lane.
     */
    default void onPrepare(final PrepareLane lane)
    {
    }

    /**
     * At the commit stage, the single writer: the registry as of the sequence before this event.
     *
     * @param commit the commit stage.
     */
    default void onCommit(final CommitStage commit)
    {
    }

    /**
     * At a publish lane, after the commit stage has passed the event.
     *
     * @param lane the lane.
     */
    default void onPublish(final PublishLane lane)
    {
    }
}
