package io.peerlane.bench;

/** The latencies measured per contender, in nanoseconds. */
public enum Metric
{
    /** From the op's send time (intended time in rate mode) to the decision of its outcome. */
    COMMIT("commit", "publish to commit", "publishToCommit"),
    /** From the op's send time to its event reaching the last observer. */
    OBSERVER("observer", "publish to observer", "publishToObserver"),
    /** Time the producer spent inside the publish call. */
    HOLD_UP("hold-up", "producer hold-up", "producerHoldUp");

    private final String fileName;
    private final String title;
    private final String jsonName;

    Metric(final String fileName, final String title, final String jsonName)
    {
        this.fileName = fileName;
        this.title = title;
        this.jsonName = jsonName;
    }

    /** @return the field name in {@code summary.json}. */
    public String jsonName()
    {
        return jsonName;
    }

    /** @return the name used in file names. */
    public String fileName()
    {
        return fileName;
    }

    /** @return the name used in reports. */
    public String title()
    {
        return title;
    }
}
