package io.peerlane.testing;

import io.peerlane.observer.RegistryEvent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link MirrorObserver} that is slow on purpose: it pauses for a set time on every event, and it can be
 * held at a gate (before it applies the next event) until the test opens it. A held observer waits at most
 * a minute, so a test that forgets to open the gate fails instead of hanging.
 */
public class SlowMirror extends MirrorObserver
{
    private volatile long pauseNanos;
    private volatile CountDownLatch gate;

    /** @param pauseNanos how long each event takes, in ns. */
    public SlowMirror(final long pauseNanos)
    {
        this.pauseNanos = pauseNanos;
    }

    /** @param pauseNanos how long each event takes from now on, in ns. */
    public void pauseNanos(final long pauseNanos)
    {
        this.pauseNanos = pauseNanos;
    }

    /** Holds the observer before its next event until {@link #open()}. */
    public void close()
    {
        gate = new CountDownLatch(1);
    }

    /** Lets a held observer go on. */
    public void open()
    {
        final CountDownLatch gate = this.gate;
        this.gate = null;
        if (null != gate)
        {
            gate.countDown();
        }
    }

    @Override
    public void onEvent(final RegistryEvent event)
    {
        final CountDownLatch gate = this.gate;
        if (null != gate)
        {
            try
            {
                gate.await(1, TimeUnit.MINUTES);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        final long pause = pauseNanos;
        if (pause > 0)
        {
            final long until = System.nanoTime() + pause;
            for (long left = pause; left > 0; left = until - System.nanoTime())
            {
                LockSupport.parkNanos(left);
            }
        }
        super.onEvent(event);
    }
}
