package io.peerlane.bench;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;
import io.peerlane.state.CommitResult;

/**
 * Hands a commit's event lines to observers in turn, as the baselines that reuse the rules do: line by
 * line, observer by observer, one that throws is counted and skipped (as the engine's publish stage does).
 */
final class ObserverDelivery
{
    private final PeerObserver[] observers;
    private final RegistryEvent event = new RegistryEvent();
    long failures;

    ObserverDelivery(final PeerObserver[] observers)
    {
        this.observers = observers;
    }

    void deliver(final CommitResult result)
    {
        final int lines = result.lineCount();
        for (int line = 0; line < lines; line++)
        {
            event.wrap(result, line);
            for (final PeerObserver observer : observers)
            {
                try
                {
                    observer.onEvent(event);
                }
                catch (final Throwable ex)
                {
                    failures++;
                }
            }
        }
    }
}
