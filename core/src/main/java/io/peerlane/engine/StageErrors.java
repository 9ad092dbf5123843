package io.peerlane.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Errors thrown by the engine's own threads outside any observer callback: counted and the last one kept. */
final class StageErrors
{
    private final AtomicLong count = new AtomicLong();
    private volatile Throwable last;

    void record(final Throwable error)
    {
        count.incrementAndGet();
        last = error;
    }

    long count()
    {
        return count.get();
    }

    Throwable last()
    {
        return last;
    }
}
