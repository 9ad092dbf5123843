package io.peerlane.metrics;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another process's view of an engine's counters file ({@link CountersDescriptor}), mapped read-only: what the
 * {@code stat} tool and tests read. Reading never writes to the file and never waits for the engine.
 */
public final class CountersFile implements AutoCloseable
{
    /** Why a counters file cannot be read. */
    public enum Problem
    {
        /** No file there. */
        NOT_FOUND,
        /** The file is shorter than its header says, or its magic is not written yet. */
        NOT_READY,
        /** Another layout version. */
        INCOMPATIBLE
    }

    /** A counters file that cannot be read, with why. */
    public static final class CountersFileException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        CountersFileException(final Problem problem, final String message)
        {
            super(message);
            this.problem = problem;
        }

        /** @return why. */
        public Problem problem()
        {
            return problem;
        }
    }

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader reader;

    private CountersFile(final MappedByteBuffer mapped, final UnsafeBuffer header, final CountersReader reader)
    {
        this.mapped = mapped;
        this.header = header;
        this.reader = reader;
    }

    /**
     * @param directory a counters directory.
     * @return the mapped file.
     * @throws CountersFileException when there is no file, it is not finished, or it has another version.
     */
    public static CountersFile open(final Path directory)
    {
        final Path file = directory.resolve(CountersDescriptor.FILE_NAME);
        final long length;
        try
        {
            length = Files.isRegularFile(file) ? Files.size(file) : -1;
        }
        catch (final IOException ex)
        {
            throw new CountersFileException(Problem.NOT_FOUND, file + ": cannot be read: " + ex.getMessage());
        }
        if (length < 0)
        {
            throw new CountersFileException(Problem.NOT_FOUND, "no Peerlane counters file in " + directory +
                " (no " + CountersDescriptor.FILE_NAME + "): is an engine running with countersDirectory " + directory + "?");
        }
        if (length < CountersDescriptor.HEADER_LENGTH)
        {
            throw new CountersFileException(Problem.NOT_READY, file + ": " + length + " bytes, shorter than its " +
                CountersDescriptor.HEADER_LENGTH + "-byte header: not a finished counters file");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "counters");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersDescriptor.HEADER_LENGTH);
        try
        {
            final int magic = header.getIntVolatile(CountersDescriptor.MAGIC_OFFSET);
            if (magic != CountersDescriptor.MAGIC)
            {
                throw new CountersFileException(Problem.NOT_READY, file + ": magic 0x" + Integer.toHexString(magic) +
                    ", expected 0x" + Integer.toHexString(CountersDescriptor.MAGIC) + ": being created, or not a Peerlane counters file");
            }
            final int version = header.getInt(CountersDescriptor.VERSION_OFFSET);
            if (version != CountersDescriptor.VERSION)
            {
                throw new CountersFileException(Problem.INCOMPATIBLE, file + ": counters layout version " + version +
                    ", this Peerlane reads version " + CountersDescriptor.VERSION + " only (written by another Peerlane release)");
            }
            final int metadataLength = header.getInt(CountersDescriptor.METADATA_LENGTH_OFFSET);
            final int valuesLength = header.getInt(CountersDescriptor.VALUES_LENGTH_OFFSET);
            if (metadataLength < 0 || valuesLength < 0 ||
                (long)CountersDescriptor.HEADER_LENGTH + metadataLength + valuesLength > length)
            {
                throw new CountersFileException(Problem.NOT_READY, file + ": " + length + " bytes, its header says " +
                    (CountersDescriptor.HEADER_LENGTH + (long)metadataLength + valuesLength) + ": truncated");
            }
            final CountersReader reader = new CountersReader(
                new UnsafeBuffer(mapped, CountersDescriptor.HEADER_LENGTH, metadataLength),
                new UnsafeBuffer(mapped, CountersDescriptor.HEADER_LENGTH + metadataLength, valuesLength),
                StandardCharsets.US_ASCII);
            return new CountersFile(mapped, header, reader);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
    }

    /** @return the reader of every counter. */
    public CountersReader reader()
    {
        return reader;
    }

    /** @return the writing engine's pid. */
    public long pid()
    {
        return header.getLong(CountersDescriptor.PID_OFFSET);
    }

    /** @return when the engine started, ms since the epoch. */
    public long startMs()
    {
        return header.getLong(CountersDescriptor.START_OFFSET);
    }

    /** @return the engine's last heartbeat, ms since the epoch. */
    public long heartbeatMs()
    {
        return header.getLongVolatile(CountersDescriptor.HEARTBEAT_OFFSET);
    }

    /** @return when the engine stopped, ms since the epoch, or 0 while it runs. */
    public long stoppedMs()
    {
        return header.getLongVolatile(CountersDescriptor.STOP_OFFSET);
    }

    /**
     * @param nowMs now, ms since the epoch.
     * @return whether an engine writes the file now: not stopped, its heartbeat fresh and its process alive.
     */
    public boolean running(final long nowMs)
    {
        return stoppedMs() == 0 && nowMs - heartbeatMs() <= CountersDescriptor.HEARTBEAT_TIMEOUT_MS &&
            ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @param kind  a kind.
     * @param tag   its tag, or null.
     * @return the value of the allocated counter of that kind and tag, or -1 when there is none.
     */
    public long value(final CounterKind kind, final String tag)
    {
        final String label = kind.label(tag);
        final long[] found = {-1};
        reader.forEach((counterId, typeId, keyBuffer, l) ->
        {
            if (typeId == kind.typeId() && l.equals(label))
            {
                found[0] = reader.getCounterValue(counterId);
            }
        });
        return found[0];
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
