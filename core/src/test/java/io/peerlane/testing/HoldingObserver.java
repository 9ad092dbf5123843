package io.peerlane.testing;

import io.peerlane.observer.PeerObserver;
import io.peerlane.observer.RegistryEvent;

import java.util.concurrent.CountDownLatch;

/**
 * An observer that holds its lane inside its first callback until released: {@link #entered} opens when a
 * callback has begun (from then on the lane frees no slot), {@link #release} lets every callback go.
 */
public final class HoldingObserver implements PeerObserver
{
    public final CountDownLatch entered = new CountDownLatch(1);
    public final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void onEvent(final RegistryEvent event)
    {
        entered.countDown();
        try
        {
            release.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
