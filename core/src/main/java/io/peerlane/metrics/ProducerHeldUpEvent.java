package io.peerlane.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A producer that found the ring full and waited for a slot: a duration event, recorded when the wait is
 * longer than its threshold (default 10 ms; set {@code threshold} in a JFR configuration). Disabled by
 * default; the producer's slow path checks {@link #enabled()} before it makes one.
 */
@Name(ProducerHeldUpEvent.NAME)
@Label("Producer held up")
@Category({"Peerlane", "Producers"})
@Description("A producer waited for a ring slot longer than the threshold")
@Enabled(false)
@Threshold("10 ms")
@StackTrace(true)
public final class ProducerHeldUpEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.ProducerHeldUp";

    /** The stage that was behind when the wait ended. */
    @Label("Stage behind")
    public String stage;

    /** @return whether a recording wants this event now. */
    public static boolean enabled()
    {
        return new ProducerHeldUpEvent().isEnabled();
    }
}
