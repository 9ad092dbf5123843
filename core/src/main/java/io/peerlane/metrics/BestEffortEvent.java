package io.peerlane.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A best-effort observer fell a ring behind (overrun), or was re-synchronised from a snapshot. Disabled by default.
 * Callers check {@link #enabled()} before allocating one, so it costs a flag read when off.
 */
@Name(BestEffortEvent.NAME)
@Label("Best-effort overrun or resync")
@Category({"Peerlane", "Observers"})
@Description("A best-effort observer fell a ring behind, or was re-synchronised from a fresh snapshot")
@Enabled(false)
@StackTrace(false)
public final class BestEffortEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.BestEffort";
    private static final EventType TYPE = EventType.getEventType(BestEffortEvent.class);

    /** The observer's name. */
    @Label("Observer")
    public String observer;

    /** True for an overrun, false for a resync. */
    @Label("Overrun")
    public boolean overrun;

    /** At an overrun the last event seq it was given; at a resync the snapshot's event seq. */
    @Label("Event seq")
    public long eventSeq;

    /** @return whether a recording wants this event now. */
    public static boolean enabled()
    {
        return TYPE.isEnabled();
    }
}
