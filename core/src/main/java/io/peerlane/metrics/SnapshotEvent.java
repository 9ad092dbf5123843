package io.peerlane.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A state snapshot written by the commit stage: a duration event (the commit stage is held for its length). */
@Name(SnapshotEvent.NAME)
@Label("State snapshot")
@Category({"Peerlane", "Journal"})
@Description("The commit stage wrote a state snapshot")
@Enabled(false)
@StackTrace(false)
public final class SnapshotEvent extends Event
{
    /** The event's name in JFR. */
    public static final String NAME = "io.peerlane.Snapshot";

    /** The file written. */
    @Label("File")
    public String file;

    /** The sequence the snapshot is as of, or -1 when it failed. */
    @Label("Sequence")
    public long sequence;

    /** Live peers written. */
    @Label("Peers")
    public long peers;

    /** The error, when it failed. */
    @Label("Error")
    public String error;
}
