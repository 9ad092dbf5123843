package io.peerlane.metrics;

import org.agrona.concurrent.status.CountersReader;

/**
 * The layout of the counters file, {@value #FILE_NAME} in the directory an engine is given
 * ({@code EngineContext.countersDirectory}). Like Aeron's CnC file, it is a header followed by the two
 * buffers of an Agrona {@link org.agrona.concurrent.status.CountersManager}, so another process maps the file
 * and reads every counter live, without the engine's help and without a lock.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic "PLCT" (0x504C4354)                 |  0  written last, with a release store
 *  +---------------------------------------------------------------+
 *  |                        layout version                         |  4  {@value #VERSION}
 *  +---------------------------------------------------------------+
 *  |                   pid of the engine's process                 |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 start time, ms since the epoch                | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      heartbeat, ms since the epoch (each sample, ~0.1 s)      | 24  release store
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     stop time, ms since the epoch; 0 while the engine runs    | 32  release store at close
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     metadata buffer length                    | 40
 *  +---------------------------------------------------------------+
 *  |                      values buffer length                     | 44
 *  +---------------------------------------------------------------+
 *  |                     reserved (zero) to byte 127               | 48
 *  +---------------------------------------------------------------+
 *  |      metadata buffer: Agrona counter records (type id, label)  | 128
 *  +---------------------------------------------------------------+
 *  |      values buffer: one 128-byte slot per counter              | 128 + metadata length
 *  +---------------------------------------------------------------+
 * </pre>
 * Numbers are in the platform's byte order (the file is read on the machine that writes it). A reader refuses a
 * file whose magic is not yet written (being created), or whose version is not {@value #VERSION}: a new layout
 * gets a new version. The file outlives the engine, marked by its stop time, so its last values can be read.
 */
public final class CountersDescriptor
{
    /** The file's name inside the counters directory. */
    public static final String FILE_NAME = "peerlane-counters.dat";
    /** "PLCT". */
    public static final int MAGIC = 0x504C4354;
    /** The layout version this code writes and reads. */
    public static final int VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the pid. */
    public static final int PID_OFFSET = 8;
    /** Offset of the start time. */
    public static final int START_OFFSET = 16;
    /** Offset of the heartbeat. */
    public static final int HEARTBEAT_OFFSET = 24;
    /** Offset of the stop time. */
    public static final int STOP_OFFSET = 32;
    /** Offset of the metadata buffer's length. */
    public static final int METADATA_LENGTH_OFFSET = 40;
    /** Offset of the values buffer's length. */
    public static final int VALUES_LENGTH_OFFSET = 44;
    /** Length of the header; the metadata buffer starts here. */
    public static final int HEADER_LENGTH = 128;
    /**
     * A heartbeat older than this means the engine that wrote the file is gone (its process may be alive with
     * another engine's pid reused, or stuck). Long: a JVM in back-to-back full collections of a large heap holds
     * the sampler for seconds, and must not look dead to {@code stat} (Aeron's driver timeout is 10 s too).
     */
    public static final long HEARTBEAT_TIMEOUT_MS = 10_000;

    private CountersDescriptor()
    {
    }

    /**
     * @param counters how many counters the file must hold.
     * @return the values buffer's length for them.
     */
    public static int valuesLength(final int counters)
    {
        return counters * CountersReader.COUNTER_LENGTH;
    }

    /**
     * @param counters how many counters the file must hold.
     * @return the metadata buffer's length for them.
     */
    public static int metadataLength(final int counters)
    {
        return counters * CountersReader.METADATA_LENGTH;
    }
}
