package io.peerlane.journal;

import io.peerlane.state.CommitResult;
import io.peerlane.state.Mutation;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Appends each committed op with its outcome to a journal (layout in {@link JournalDescriptor}).
 * <p>
 * {@link #append} encodes the frame into one reused buffer and allocates nothing; the buffer goes to the
 * file whole at {@link #endOfBatch()} (the Disruptor's end of batch), when it has filled past
 * {@link Context#writeBufferLength(int)}, before a segment rolls, and at {@link #close()}. Whole frames only
 * are handed to the channel, and a failed write is cut back to the last whole frame, so a failure never
 * corrupts what was written before. A write failure throws a {@link JournalException} naming the file at
 * once and stops the writer: every later call throws too, and the caller decides whether to stop publishing
 * or to drop the journal.
 * <p>
 * Opening a directory that already holds a journal checks it with a {@link JournalReader}, cuts a torn tail
 * off the last segment, and goes on in a new segment, so a restarted engine extends the journal it replayed.
 * Single-threaded: one journal stage owns a writer.
 */
public final class JournalWriter implements AutoCloseable
{
    private final Context ctx;
    private final FrameEncoder encoder;
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final long forceIntervalNs;
    private FileChannel channel;
    private Path file;
    private long segmentIndex;
    private long written;
    private long lastSequence;
    private long lastForceNs;
    private boolean unforced;
    private long bytesTotal;
    private long forceNanosTotal;
    private boolean failed;
    private boolean closed;

    private JournalWriter(final Context ctx, final long nextSegmentIndex, final long lastSequence)
    {
        this.ctx = ctx;
        this.encoder = new FrameEncoder(ctx.writeBufferLength + 64 * 1024);
        this.forceIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.forceIntervalMs);
        this.segmentIndex = nextSegmentIndex - 1;
        this.lastSequence = lastSequence;
        this.lastForceNs = ctx.nanoClock.nanoTime();
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
     * Encodes one op and its outcome; it reaches the file at the next {@link #endOfBatch()} at the latest.
     *
     * @param sequence the ring sequence, greater than every sequence appended before.
     * @param time     the event time the commit stage used.
     * @param m        the op, with the votes it was given.
     * @param outcome  the outcome the commit stage gave it.
     * @throws IllegalArgumentException when the sequence does not increase or a string is longer than the
     *                                  layout allows; nothing is appended and the writer goes on.
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
        final int before = encoder.length();
        encoder.encodeFrame(sequence, time, m, outcome);
        try
        {
            if (null == channel)
            {
                openSegment(segmentIndex + 1, sequence);
            }
            else if (written + encoder.length() > ctx.segmentLength && written + before > HEADER_LENGTH)
            {
                write(before);
                closeSegment();
                encoder.compactFrom(before);
                openSegment(segmentIndex + 1, sequence);
            }
            lastSequence = sequence;
            if (encoder.length() >= ctx.writeBufferLength)
            {
                write(encoder.length());
            }
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
    }

    /**
     * Writes every appended frame to the file and forces it to the device as the {@link ForcePolicy} says.
     *
     * @throws JournalException when a write fails, or the writer has stopped or is closed.
     */
    public void endOfBatch()
    {
        checkUsable();
        try
        {
            write(encoder.length());
            if (unforced && (ctx.forcePolicy == ForcePolicy.EVERY_BATCH ||
                (ctx.forcePolicy == ForcePolicy.EVERY_N_MS && ctx.nanoClock.nanoTime() - lastForceNs >= forceIntervalNs)))
            {
                force();
            }
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
    }

    /**
     * Writes what is pending, forces it unless the policy is {@link ForcePolicy#NEVER}, and closes the file.
     * Closing a stopped writer only lets go of its file. Idempotent.
     *
     * @throws JournalException when the last write fails.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (failed || null == channel)
        {
            return;
        }
        try
        {
            write(encoder.length());
            closeSegment();
        }
        catch (final IOException ex)
        {
            throw fail(ex);
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
        return null == channel ? null : file;
    }

    /** @return whether a write failed and the writer stopped. */
    public boolean failed()
    {
        return failed;
    }

    private void checkUsable()
    {
        if (failed)
        {
            throw new JournalException("the writer stopped after a write failure", file, written, null);
        }
        if (closed)
        {
            throw new JournalException("the writer is closed", ctx.directory, -1, null);
        }
    }

    private void openSegment(final long index, final long firstSequence) throws IOException
    {
        file = ctx.directory.resolve(segmentFileName(index));
        segmentIndex = index;
        written = 0;
        channel = ctx.channelFactory.open(file);
        encoder.encodeHeader(header, index, firstSequence, lastSequence, ctx.epochClock.time(), ctx.segmentLength);
        header.limit(HEADER_LENGTH).position(0);
        while (header.hasRemaining())
        {
            channel.write(header);
        }
        written = HEADER_LENGTH;
        unforced = true;
        if (ctx.forcePolicy != ForcePolicy.NEVER)
        {
            forceDirectory();
        }
    }

    /** Hands bytes 0 to {@code length} of the buffer to the file and drops them from the buffer. */
    private void write(final int length) throws IOException
    {
        if (length == 0)
        {
            return;
        }
        final ByteBuffer buffer = encoder.buffer();
        buffer.limit(length).position(0);
        try
        {
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
        finally
        {
            buffer.clear();
        }
        written += length;
        bytesTotal += length;
        unforced = true;
        if (length == encoder.length())
        {
            encoder.clear();
        }
    }

    private void force() throws IOException
    {
        final long start = ctx.nanoClock.nanoTime();
        channel.force(false);
        unforced = false;
        lastForceNs = ctx.nanoClock.nanoTime();
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

    private void closeSegment() throws IOException
    {
        if (unforced && ctx.forcePolicy != ForcePolicy.NEVER)
        {
            force();
        }
        final FileChannel ch = channel;
        channel = null;
        ch.close();
    }

    /** The new file's name must survive a power cut too; not every platform can force a directory. */
    private void forceDirectory()
    {
        try (FileChannel dir = FileChannel.open(ctx.directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Best effort: on platforms that cannot open a directory the file system orders metadata itself.
        }
    }

    /** Stops the writer, cutting the file back to its last whole frame so a partial write leaves no trace. */
    private JournalException fail(final IOException cause)
    {
        failed = true;
        final long goodLength = written;
        final Path failedFile = file;
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
        encoder.clear();
        return new JournalException("write failed, the writer has stopped: " + cause, failedFile, goodLength, cause);
    }

    /** Opens a new segment file for writing; a seam for tests that make writes fail. */
    @FunctionalInterface
    interface ChannelFactory
    {
        FileChannel open(Path file) throws IOException;
    }

    /** The writer's settings, with fluent setters; {@link #conclude()} checks them once. */
    public static final class Context
    {
        /** Default of {@link #forcePolicy(ForcePolicy)}. */
        public static final ForcePolicy FORCE_POLICY_DEFAULT = ForcePolicy.EVERY_N_MS;
        /** Default of {@link #forceIntervalMs(long)}. */
        public static final long FORCE_INTERVAL_MS_DEFAULT = 1000;
        /** Default of {@link #writeBufferLength(int)}: 1 MiB. */
        public static final int WRITE_BUFFER_LENGTH_DEFAULT = 1024 * 1024;

        private Path directory;
        private long segmentLength = SEGMENT_LENGTH_DEFAULT;
        private ForcePolicy forcePolicy = FORCE_POLICY_DEFAULT;
        private long forceIntervalMs = FORCE_INTERVAL_MS_DEFAULT;
        private int writeBufferLength = WRITE_BUFFER_LENGTH_DEFAULT;
        private EpochClock epochClock = SystemEpochClock.INSTANCE;
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;
        private ChannelFactory channelFactory =
            path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

        /** @param directory where the segments go; required. @return this. */
        public Context directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }

        /** @return where the segments go. */
        public Path directory()
        {
            return directory;
        }

        /**
         * @param segmentLength bound of a segment file in bytes (default 64 MiB); a record longer than the bound
         *                      gets a segment of its own.
         * @return this.
         */
        public Context segmentLength(final long segmentLength)
        {
            this.segmentLength = segmentLength;
            return this;
        }

        /** @return bound of a segment file in bytes. */
        public long segmentLength()
        {
            return segmentLength;
        }

        /** @param forcePolicy when to force to the device. @return this. */
        public Context forcePolicy(final ForcePolicy forcePolicy)
        {
            this.forcePolicy = forcePolicy;
            return this;
        }

        /** @return when to force to the device. */
        public ForcePolicy forcePolicy()
        {
            return forcePolicy;
        }

        /** @param forceIntervalMs least time between forces under {@link ForcePolicy#EVERY_N_MS}. @return this. */
        public Context forceIntervalMs(final long forceIntervalMs)
        {
            this.forceIntervalMs = forceIntervalMs;
            return this;
        }

        /** @return least time between forces under {@link ForcePolicy#EVERY_N_MS}. */
        public long forceIntervalMs()
        {
            return forceIntervalMs;
        }

        /** @param writeBufferLength bytes of frames held before a write even inside a batch. @return this. */
        public Context writeBufferLength(final int writeBufferLength)
        {
            this.writeBufferLength = writeBufferLength;
            return this;
        }

        /** @param epochClock clock for the creation time in segment headers. @return this. */
        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        /** @param nanoClock clock for {@link ForcePolicy#EVERY_N_MS}. @return this. */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        Context channelFactory(final ChannelFactory channelFactory)
        {
            this.channelFactory = channelFactory;
            return this;
        }

        /**
         * Checks every setting.
         *
         * @return this.
         * @throws IllegalArgumentException naming the first bad setting.
         */
        public Context conclude()
        {
            if (null == directory)
            {
                throw new IllegalArgumentException("directory is required");
            }
            if (segmentLength < MIN_SEGMENT_LENGTH)
            {
                throw new IllegalArgumentException(
                    "segmentLength " + segmentLength + " is below " + MIN_SEGMENT_LENGTH);
            }
            if (null == forcePolicy)
            {
                throw new IllegalArgumentException("forcePolicy is required");
            }
            if (forceIntervalMs < 0)
            {
                throw new IllegalArgumentException("forceIntervalMs " + forceIntervalMs + " is negative");
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
            return this;
        }
    }
}
