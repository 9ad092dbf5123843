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
 * An observer quarantined past its {@code quarantineAfter} faults, or readmitted. Disabled by default.
 * Callers check {@link #enabled()} before allocating one, so it costs a flag read when off.
 */
@Name(ObserverQuarantineEvent.NAME)
@Label("Observer quarantined or readmitted")
@Category({"Peerlane", "Observers"})
@Description("An observer went into quarantine after too many faults, or was readmitted")
@Enabled(false)
@StackTrace(false)
public final class ObserverQuarantineEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.ObserverQuarantine";
    private static final EventType TYPE = EventType.getEventType(ObserverQuarantineEvent.class);

    /** The observer's name. */
    @Label("Observer")
    public String observer;

    /** Its role. */
    @Label("Role")
    public String role;

    /** True when it went into quarantine, false when it was readmitted. */
    @Label("Quarantined")
    public boolean quarantined;

    /** Callbacks that threw, at the change. */
    @Label("Failures")
    public long failures;

    /** Votes past the deadline, at the change. */
    @Label("Deadline misses")
    public long deadlineMisses;

    /** The last error it threw, if any. */
    @Label("Last error")
    public String lastError;

    /** @return whether a recording wants this event now. */
    public static boolean enabled()
    {
        return TYPE.isEnabled();
    }
}
