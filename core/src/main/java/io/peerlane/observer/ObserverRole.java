package io.peerlane.observer;

/**
 * How an observer takes part in the pipeline.
 * <p>
 * <b>Quarantine.</b> An observer whose callbacks threw, or whose votes were late, more than its
 * {@code ObserverOptions.quarantineAfter} times is QUARANTINED: it is reported so by its stats and the health
 * report until {@code PeerlaneEngine.readmit(name)}. Quarantine takes only the vote away: a quarantined
 * {@link #CRITICAL} observer is no longer asked to vote (its upserts go on as if it accepted), and it goes on
 * receiving every committed event. For a {@link #STANDARD} or {@link #BEST_EFFORT} observer, which never
 * vote, quarantine is a label and nothing more: it still receives every event (a slow standard one still
 * slows producers), so unregister it to stop it.
 */
public enum ObserverRole
{
    /**
     * Votes before commit (a refusal, an exception or a late vote makes the upsert ABORTED), then receives
     * committed events. Quarantined, it no longer votes but still receives every event.
     */
    CRITICAL,
    /**
     * Receives committed events on its publish lane; a slow one slows producers (back-pressure). Quarantine
     * only labels it: it still receives every event.
     */
    STANDARD,
    /**
     * Receives committed events on a thread and queue of its own and never slows producers; when it falls a
     * ring behind it is told so ({@link PeerObserver#onOverrun}) and re-synchronised from a fresh snapshot.
     * Quarantine only labels it: it still receives every event.
     */
    BEST_EFFORT
}
