package io.peerlane.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A journal write that failed; the engine then stops publishing or drops the journal. Disabled by default. */
@Name(JournalFailureEvent.NAME)
@Label("Journal write failed")
@Category({"Peerlane", "Journal"})
@Description("A journal write failed")
@Enabled(false)
@StackTrace(false)
public final class JournalFailureEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.JournalFailure";

    /** The ring sequence of the mutation being written. */
    @Label("Sequence")
    public long sequence;

    /** What the engine does now: the failure policy. */
    @Label("Policy")
    public String policy;

    /** The error. */
    @Label("Error")
    public String error;
}
