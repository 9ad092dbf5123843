package io.peerlane.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A critical observer's vote past its deadline (the upsert is ABORTED with cause TIMEOUT). Disabled by default:
 * enable {@value #NAME} in a JFR configuration. Committed only after {@link #enabled()}, so it costs a flag read
 * when off.
 */
@Name(VoteDeadlineEvent.NAME)
@Label("Vote past its deadline")
@Category({"Peerlane", "Observers"})
@Description("A critical observer's vote took longer than its deadline; the upsert was aborted (TIMEOUT)")
@Enabled(false)
@StackTrace(false)
public final class VoteDeadlineEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.VoteDeadline";
    private static final EventType TYPE = EventType.getEventType(VoteDeadlineEvent.class);

    /** The observer's name. */
    @Label("Observer")
    public String observer;

    /** How long the vote took, or had taken when the lane gave up on it. */
    @Label("Elapsed")
    @Timespan(Timespan.NANOSECONDS)
    public long elapsed;

    /** The observer's deadline. */
    @Label("Deadline")
    @Timespan(Timespan.NANOSECONDS)
    public long deadline;

    /** @return whether a recording wants this event now. */
    public static boolean enabled()
    {
        return TYPE.isEnabled();
    }
}
