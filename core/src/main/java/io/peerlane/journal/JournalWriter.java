package io.peerlane.journal;

import io.peerlane.config.Configuration;
import io.peerlane.mutation.Mutation;
import io.peerlane.state.CommitResult;
import org.agrona.IoUtil;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Appends each committed op with its outcome to a journal (layout in {@link JournalDescriptor}).
 * <p>
 * Each segment file is mapped whole ({@code FileChannel.map}, sparse up to the segment bound) and
 * {@link #append} encodes the frame in place with a flyweight ({@link FrameEncoder} over an Agrona
 * {@code UnsafeBuffer}, CRC32C over the mapped bytes): no staging buffer, no copy, no system call and no
 * allocation per record. A frame becomes visible when its length word is stored, last, so a process killed at
 * any moment leaves whole frames and then a slot of length 0, which a reader reports as the torn tail. The
 * {@link ForcePolicy} decides when the mapped pages are forced to the device ({@link #endOfBatch()}). A
 * segment rolls when the next frame's upper bound would pass the bound: the full one is forced (unless
 * {@link ForcePolicy#NEVER}), unmapped and cut to the bytes written before the next file is created, so only
 * the last segment can ever hold unwritten space. The next segment is created, mapped and touched page by page
 * ahead of the roll, from half way through the current one, on a thread of its own ({@link SegmentPreparer};
 * {@link Context#prefault(boolean)}), so the
 * appends store into pages already allocated and mapped instead of faulting each one in on the writer's thread.
 * <p>
 * A failure (a segment that cannot be created, mapped, forced or cut, or a full disk under a sparse
 * mapping, which the JVM raises as an {@code InternalError} from the faulting store) throws a
 * {@link JournalException} naming the file at once and stops the writer: every later call throws too, and the
 * caller decides whether to stop publishing or to drop the journal. Records already appended stay whole.
 * <p>
 * Opening a directory that already holds a journal checks it with {@link JournalVerifier}, cuts a torn tail
 * off the last segment, and goes on in a new segment, so a restarted engine extends the journal it replayed.
 * Single-threaded: one thread owns a writer (the compact stage's, or the pipelined journal lane's).
 */
public final class JournalWriter implements AutoCloseable
{
    // Copied from the concluded Context when opened, whose setters throw from then on.
    private final Path directory;
    private final long segmentLength;
    private final ForcePolicy forcePolicy;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final ChannelFactory channelFactory;
    private final FrameEncoder encoder;
    private final long forceIntervalNs;
    /** Prepares the next segment ahead on a thread of its own; null when the context turned that off. */
    private final SegmentPreparer preparer;
    private FileChannel channel;
    private MappedByteBuffer map;
    private int mapCapacity;
    private Path file;
    private long segmentIndex;
    private int written;
    /** Where the next segment's preparation starts: half way through this one; past any offset once started. */
    private int prepareAt = Integer.MAX_VALUE;
    private int forcedTo;
    private long lastSequence;
    private long lastForceNs;
    private long forceCount;
    private boolean unforced;
    private long bytesTotal;
    private long forceNanosTotal;
    private boolean failed;
    private boolean closed;

    private JournalWriter(final Context ctx, final long nextSegmentIndex, final long lastSequence)
    {
        this.directory = ctx.directory;
        this.segmentLength = ctx.segmentLength;
        this.forcePolicy = ctx.forcePolicy;
        this.nanoClock = ctx.nanoClock;
        this.epochClock = ctx.epochClock;
        this.channelFactory = ctx.channelFactory;
        this.encoder = new FrameEncoder(ctx.majorVersion);
        this.forceIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.forceIntervalMs);
        this.segmentIndex = nextSegmentIndex - 1;
        this.lastSequence = lastSequence;
        this.lastForceNs = nanoClock.nanoTime();
        this.preparer = ctx.prefault ? new SegmentPreparer(directory, channelFactory) : null;
    }

    /**
     * Opens a writer on a directory, creating it when missing. An existing journal there is checked and
     * extended: a torn tail is cut off its last segment and records go on in a new segment.
     *
     * @param ctx the settings; concluded here.
     * @return the writer.
     * @throws JournalCorruptException when the existing journal is damaged before its end.
     * @throws JournalException        when the directory cannot be read or created.
     */
    public static JournalWriter open(final Context ctx)
    {
        ctx.conclude();
        final Path dir = ctx.directory;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create the journal directory", dir, -1, ex);
        }
        try
        {
            SegmentPreparer.deleteLeftovers(dir);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot delete a segment a stopped writer was preparing", dir, -1, ex);
        }

        final JournalReport report = JournalVerifier.verify(dir);
        if (null != report.corruption())
        {
            throw report.corruption();
        }
        long nextIndex = 0;
        if (report.segmentCount() > 0)
        {
            nextIndex = report.lastSegmentIndex() + 1;
            if (report.tornTail())
            {
                cutTornTail(report.tornTailFile(), report.tornTailOffset());
                if (report.tornTailOffset() == 0)
                {
                    nextIndex--;
                }
            }
        }
        return new JournalWriter(ctx, nextIndex, report.lastSequence());
    }

    private static void cutTornTail(final Path file, final long offset)
    {
        try
        {
            if (offset == 0)
            {
                Files.delete(file);
                return;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                ch.truncate(offset);
                ch.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot cut the torn tail", file, offset, ex);
        }
    }

    /**
     * Encodes one op and its outcome into the mapped segment; forced to the device as the
     * {@link ForcePolicy} says, at an {@link #endOfBatch()}.
     *
     * @param sequence the ring sequence, greater than every sequence appended before.
     * @param time     the event time the commit stage used.
     * @param m        the op, with the votes it was given.
     * @param outcome  the outcome the commit stage gave it.
     * @throws IllegalArgumentException when the sequence does not increase or a string is longer than the
     *                                  layout allows; nothing is appended and the writer goes on (the engine
     *                                  treats it as a journal failure: see its {@code JournalFailurePolicy}).
     * @throws JournalException         when a write fails, or the writer has stopped or is closed.
     */
    public void append(final long sequence, final long time, final Mutation m, final CommitResult outcome)
    {
        checkUsable();
        if (sequence <= lastSequence)
        {
            throw new IllegalArgumentException("sequence " + sequence + " does not follow " + lastSequence);
        }
        if (null == m || null == outcome || null == outcome.code())
        {
            throw new IllegalArgumentException("an op and its outcome are required");
        }
        final long bound = FrameEncoder.maxFrameLength(m, outcome);
        try
        {
            if (null == map)
            {
                openSegment(segmentIndex + 1, sequence, bound);
            }
            else if (written + bound > mapCapacity || (written > HEADER_LENGTH && written + bound > segmentLength))
            {
                // A segment mapped larger for one big first frame still takes nothing after it past the bound.
                closeSegment();
                openSegment(segmentIndex + 1, sequence, bound);
            }
            final int length = encoder.encodeFrame(written, bound, sequence, time, m, outcome);
            written += length;
            bytesTotal += length;
            lastSequence = sequence;
            unforced = true;
            if (written >= prepareAt)
            {
                prepareAt = Integer.MAX_VALUE;
                preparer.prepare(segmentIndex + 1, segmentLength);
            }
        }
        catch (final IOException | InternalError ex)
        {
            throw fail(ex);
        }
    }

    /**
     * Forces what was appended to the device when the {@link ForcePolicy} says so; the records are in the
     * file (the page cache) from the moment {@link #append} returns.
     *
     * @throws JournalException when a force fails, or the writer has stopped or is closed.
     */
    public void endOfBatch()
    {
        checkUsable();
        if (unforced && (forcePolicy == ForcePolicy.EVERY_BATCH ||
            (forcePolicy == ForcePolicy.EVERY_N_MS && nanoClock.nanoTime() - lastForceNs >= forceIntervalNs)))
        {
            try
            {
                force();
            }
            catch (final IOException | RuntimeException | InternalError ex)
            {
                throw fail(ex);
            }
        }
    }

    /**
     * Forces what is pending unless the policy is {@link ForcePolicy#NEVER}, cuts the segment to the bytes
     * written and closes it. A writer closed on a directory that holds no segment and was given no record
     * leaves one header-only segment, so that an empty journal reads as a journal of 0 records. Closing a
     * stopped writer only lets go of its file. Idempotent.
     *
     * @throws JournalException when the last force or the cut fails.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (failed || (null == map && segmentIndex >= 0))
        {
            stopPreparer();
            return;
        }
        try
        {
            if (null == map)
            {
                // Nothing was ever recorded here: a header-only segment 0 makes the empty journal a journal.
                openSegment(0, lastSequence + 1, 0);
            }
            stopPreparer();
            closeSegment();
        }
        catch (final IOException | RuntimeException | InternalError ex)
        {
            throw fail(ex);
        }
    }

    private void stopPreparer()
    {
        if (null != preparer)
        {
            preparer.close();
        }
    }

    /** @return the sequence of the last op appended (or found when opening), or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return the segment being written, or null before the first append. */
    public Path currentFile()
    {
        return null == map ? null : file;
    }

    /** @return whether a write failed and the writer stopped. */
    public boolean failed()
    {
        return failed;
    }

    /** @return how many times mapped records were forced to the device; for the writer's own thread. */
    public long forceCount()
    {
        return forceCount;
    }

    private void checkUsable()
    {
        if (failed)
        {
            throw new JournalException("the writer stopped after a write failure", file, written, null);
        }
        if (closed)
        {
            throw new JournalException("the writer is closed", directory, -1, null);
        }
    }

    private void openSegment(final long index, final long firstSequence, final long frameBound) throws IOException
    {
        final long size = Math.max(segmentLength, HEADER_LENGTH + frameBound);
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("a frame of up to " + frameBound + " bytes does not fit a segment");
        }
        file = directory.resolve(segmentFileName(index));
        segmentIndex = index;
        written = 0;
        forcedTo = 0;
        // A segment already there is never replaced: the writer's own CREATE_NEW below refuses it.
        SegmentPreparer.Prepared prepared = null;
        IOException preparation = null;
        if (!closed && null != preparer && !Files.exists(file))
        {
            try
            {
                prepared = preparer.take(index, size);
            }
            catch (final IOException ex)
            {
                // Creating the segment here may still work (a left-over file, a passing error): try that first.
                preparation = ex;
            }
        }
        if (null != prepared)
        {
            channel = prepared.channel;
            map = prepared.map;
            mapCapacity = map.capacity();
        }
        else
        {
            try
            {
                channel = channelFactory.open(file);
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
            catch (final IOException | RuntimeException ex)
            {
                if (null != preparation)
                {
                    ex.addSuppressed(preparation);
                }
                throw ex;
            }
            mapCapacity = (int)size;
        }
        encoder.wrap(map);
        encoder.encodeHeader(index, firstSequence, lastSequence, epochClock.time(), segmentLength);
        if (null != prepared)
        {
            // Visible under its own name only once its header is in it.
            Files.move(prepared.file, file, StandardCopyOption.ATOMIC_MOVE);
        }
        written = HEADER_LENGTH;
        unforced = true;
        if (forcePolicy != ForcePolicy.NEVER)
        {
            forceDirectory();
        }
        // Half a segment ahead: enough for the preparer to touch the next one, and a journal that never fills
        // half a segment never prepares one.
        prepareAt = null == preparer ? Integer.MAX_VALUE : (int)Math.min(Integer.MAX_VALUE - 1, segmentLength / 2);
    }

    private void force() throws IOException
    {
        final long start = nanoClock.nanoTime();
        map.force(forcedTo, written - forcedTo);
        forcedTo = written;
        forceCount++;
        unforced = false;
        lastForceNs = nanoClock.nanoTime();
        forceNanosTotal += lastForceNs - start;
    }

    /** @return bytes handed to the files since opened; for the writer's own thread (the engine's counters). */
    public long bytesWritten()
    {
        return bytesTotal;
    }

    /** @return time spent forcing the files to the device since opened, ns; for the writer's own thread. */
    public long forceNanos()
    {
        return forceNanosTotal;
    }

    /** Forces (unless NEVER), unmaps, cuts the unwritten space off and closes the segment. */
    private void closeSegment() throws IOException
    {
        if (unforced && forcePolicy != ForcePolicy.NEVER)
        {
            force();
        }
        unmap();
        final FileChannel ch = channel;
        channel = null;
        try
        {
            ch.truncate(written);
            if (forcePolicy != ForcePolicy.NEVER)
            {
                ch.force(true);
            }
        }
        finally
        {
            ch.close();
        }
    }

    private void unmap()
    {
        final MappedByteBuffer m = map;
        if (null != m)
        {
            encoder.release();
            map = null;
            mapCapacity = 0;
            IoUtil.unmap(m);
        }
    }

    /** The new file's name must survive a power cut too; not every platform can force a directory. */
    private void forceDirectory()
    {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Best effort: on platforms that cannot open a directory the file system orders metadata itself.
        }
    }

    /** Stops the writer, cutting the file back to its last whole frame so nothing half written remains. */
    private JournalException fail(final Throwable cause)
    {
        failed = true;
        final long goodLength = written;
        final Path failedFile = file;
        unmap();
        if (null != preparer)
        {
            try
            {
                preparer.close();
            }
            catch (final RuntimeException ex)
            {
                cause.addSuppressed(ex);
            }
        }
        if (null != channel)
        {
            try
            {
                channel.truncate(goodLength);
            }
            catch (final IOException | RuntimeException ex)
            {
                cause.addSuppressed(ex);
            }
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                cause.addSuppressed(ex);
            }
            channel = null;
        }
        return new JournalException("write failed, the writer has stopped: " + cause, failedFile, goodLength, cause);
    }

    /** Opens a new segment file for writing; a seam for tests that make writes fail. */
    @FunctionalInterface
    interface ChannelFactory
    {
        FileChannel open(Path file) throws IOException;
    }

    /**
     * The writer's settings, in two lifetimes, as Aeron's contexts. Before {@link #conclude()} (which
     * {@link JournalWriter#open} and an engine's {@code EngineContext.conclude()} call) a builder: fluent
     * setters, nothing checked. {@code conclude()} runs once: every setting not given by a setter is read from its
     * system property ({@code peerlane.journal.*}, in {@link Configuration}), else takes its default, and all are
     * checked, the first bad one named with its value (and its property, when it came from one). After that the
     * context is frozen: every setter throws {@link IllegalStateException} naming the setting, so the settings a
     * writer or an engine was opened with are the ones its context shows. Opening another writer with the same
     * concluded context is allowed (a restart); a writer of other settings needs a new context.
     * <p>
     * The clocks are code and have no property; {@link #writeBufferLength(int)} is ignored and has none.
     */
    public static final class Context
    {
        /** Default of {@link #forcePolicy(ForcePolicy)}. */
        public static final ForcePolicy FORCE_POLICY_DEFAULT = Configuration.JOURNAL_FORCE_POLICY_DEFAULT;
        /** Default of {@link #forceIntervalMs(long)}. */
        public static final long FORCE_INTERVAL_MS_DEFAULT = Configuration.JOURNAL_FORCE_INTERVAL_MS_DEFAULT;
        /** Default of {@link #prefault(boolean)}. */
        public static final boolean PREFAULT_DEFAULT = Configuration.JOURNAL_PREFAULT_DEFAULT;
        /** Default of the ignored {@link #writeBufferLength(int)}: 1 MiB. */
        public static final int WRITE_BUFFER_LENGTH_DEFAULT = 1024 * 1024;

        // Unset until conclude() fills each one from its property or its default.
        private Path directory;
        private Long segmentLength;
        private ForcePolicy forcePolicy;
        private boolean forcePolicySet;
        private Long forceIntervalMs;
        private Boolean prefault;
        private int writeBufferLength = WRITE_BUFFER_LENGTH_DEFAULT;
        private EpochClock epochClock = SystemEpochClock.INSTANCE;
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;
        private ChannelFactory channelFactory = path ->
            FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        private int majorVersion = MAJOR_VERSION;
        private boolean concluded;

        /** @param directory where the segments go; required, here or by its property. @return this. */
        public Context directory(final Path directory)
        {
            checkOpen("directory");
            this.directory = directory;
            return this;
        }

        /** @return where the segments go: as set, else from {@code peerlane.journal.dir}; null when neither. */
        public Path directory()
        {
            return null == directory ? Configuration.pathValue(Configuration.JOURNAL_DIR_PROP_NAME) : directory;
        }

        /**
         * @param segmentLength bound of a segment file in bytes (default 64 MiB); a record longer than the bound
         *                      gets a segment of its own.
         * @return this.
         */
        public Context segmentLength(final long segmentLength)
        {
            checkOpen("segmentLength");
            this.segmentLength = segmentLength;
            return this;
        }

        /** @return bound of a segment file in bytes. */
        public long segmentLength()
        {
            return null == segmentLength ? Configuration.longValue(
                Configuration.JOURNAL_SEGMENT_LENGTH_PROP_NAME, SEGMENT_LENGTH_DEFAULT) : segmentLength;
        }

        /** @param forcePolicy when to force to the device. @return this. */
        public Context forcePolicy(final ForcePolicy forcePolicy)
        {
            checkOpen("forcePolicy");
            this.forcePolicy = forcePolicy;
            this.forcePolicySet = true;
            return this;
        }

        /** @return when to force to the device. */
        public ForcePolicy forcePolicy()
        {
            return forcePolicySet ? forcePolicy : Configuration.enumValue(
                Configuration.JOURNAL_FORCE_POLICY_PROP_NAME, ForcePolicy.class, FORCE_POLICY_DEFAULT);
        }

        /** @param forceIntervalMs least time between forces under {@link ForcePolicy#EVERY_N_MS}. @return this. */
        public Context forceIntervalMs(final long forceIntervalMs)
        {
            checkOpen("forceIntervalMs");
            this.forceIntervalMs = forceIntervalMs;
            return this;
        }

        /** @return least time between forces under {@link ForcePolicy#EVERY_N_MS}. */
        public long forceIntervalMs()
        {
            return null == forceIntervalMs ? Configuration.longValue(
                Configuration.JOURNAL_FORCE_INTERVAL_MS_PROP_NAME, FORCE_INTERVAL_MS_DEFAULT) : forceIntervalMs;
        }

        /**
         * Kept for source compatibility; ignored since records are encoded straight into the mapped segment.
         *
         * @param writeBufferLength checked to lie in [1, {@link JournalDescriptor#MAX_FRAME_LENGTH}], else unused.
         * @return this.
         * @deprecated no staging buffer any more; nothing to size.
         */
        @Deprecated
        public Context writeBufferLength(final int writeBufferLength)
        {
            checkOpen("writeBufferLength");
            this.writeBufferLength = writeBufferLength;
            return this;
        }

        /**
         * @param prefault true (the default) to create, map and touch every page of the next segment ahead on a
         *                 thread of its own, so that appends only store into pages already there; false to create
         *                 each segment when the writer rolls to it, its pages faulted in by the appends.
         * @return this.
         */
        public Context prefault(final boolean prefault)
        {
            checkOpen("prefault");
            this.prefault = prefault;
            return this;
        }

        /** @return whether the next segment is prepared ahead. */
        public boolean prefault()
        {
            return null == prefault ?
                Configuration.booleanValue(Configuration.JOURNAL_PREFAULT_PROP_NAME, PREFAULT_DEFAULT) : prefault;
        }

        /** @param epochClock clock for the creation time in segment headers. @return this. */
        public Context epochClock(final EpochClock epochClock)
        {
            checkOpen("epochClock");
            this.epochClock = epochClock;
            return this;
        }

        /** @param nanoClock clock for {@link ForcePolicy#EVERY_N_MS}. @return this. */
        public Context nanoClock(final NanoClock nanoClock)
        {
            checkOpen("nanoClock");
            this.nanoClock = nanoClock;
            return this;
        }

        /** For tests of the older layout: the major version new segments are written in. @return this. */
        Context majorVersion(final int majorVersion)
        {
            checkOpen("majorVersion");
            this.majorVersion = majorVersion;
            return this;
        }

        Context channelFactory(final ChannelFactory channelFactory)
        {
            checkOpen("channelFactory");
            this.channelFactory = channelFactory;
            return this;
        }

        /**
         * Resolves and checks every setting once; a second call does nothing. Nothing is changed when a check
         * fails, so the context can be corrected and concluded again.
         *
         * @return this.
         * @throws IllegalArgumentException naming the first bad setting, its value and (when it came from one)
         *                                  its system property.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            final Path directory = directory();
            final long segmentLength = segmentLength();
            final ForcePolicy forcePolicy = forcePolicy();
            final long forceIntervalMs = forceIntervalMs();
            final boolean prefault = prefault();
            if (null == directory)
            {
                throw new IllegalArgumentException("directory is required (a setter, or the system property " +
                    Configuration.JOURNAL_DIR_PROP_NAME + ")");
            }
            if (segmentLength < MIN_SEGMENT_LENGTH || segmentLength > MAX_SEGMENT_LENGTH)
            {
                throw new IllegalArgumentException(Configuration.label("segmentLength", null != this.segmentLength,
                    Configuration.JOURNAL_SEGMENT_LENGTH_PROP_NAME) + " " + segmentLength + " is outside [" +
                    MIN_SEGMENT_LENGTH + ", " + MAX_SEGMENT_LENGTH + "] (a segment is mapped whole)");
            }
            if (null == forcePolicy)
            {
                throw new IllegalArgumentException("forcePolicy is required");
            }
            if (forceIntervalMs < 0)
            {
                throw new IllegalArgumentException(Configuration.label("forceIntervalMs", null != this.forceIntervalMs,
                    Configuration.JOURNAL_FORCE_INTERVAL_MS_PROP_NAME) + " " + forceIntervalMs + " is negative");
            }
            if (writeBufferLength < 1 || writeBufferLength > MAX_FRAME_LENGTH)
            {
                throw new IllegalArgumentException(
                    "writeBufferLength " + writeBufferLength + " is outside [1, " + MAX_FRAME_LENGTH + "]");
            }
            if (null == epochClock || null == nanoClock || null == channelFactory)
            {
                throw new IllegalArgumentException("clocks are required");
            }
            this.directory = directory;
            this.segmentLength = segmentLength;
            this.forcePolicy = forcePolicy;
            this.forcePolicySet = true;
            this.forceIntervalMs = forceIntervalMs;
            this.prefault = prefault;
            concluded = true;
            return this;
        }

        /** @return true once {@link #conclude()} has run: the context is frozen. */
        public boolean isConcluded()
        {
            return concluded;
        }

        private void checkOpen(final String setting)
        {
            if (concluded)
            {
                throw Configuration.concluded(setting, "a journal writer or an engine was opened with this " +
                    "JournalWriter.Context");
            }
        }
    }
}
