package io.peerlane.metrics;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's counters: an Agrona {@link CountersManager} over the counters file of {@link CountersDescriptor}
 * when a directory is named, over a plain direct buffer otherwise.
 * <p>
 * How the hot path stays free of locks and garbage: every counter is an {@link AtomicCounter} over 8 bytes of
 * the values buffer, allocated once (when the engine is built, or when an observer registers) and, on the hot
 * path, written by one thread only, its owner (the commit stage, a lane, a relay, the journal stage or the
 * sampler), with a plain read and a release store ({@code incrementRelease}, {@code setRelease}): no CAS, no
 * fence, nothing allocated. The exception is an observer's two fault counters (failures, deadline misses),
 * which more than one thread may count and {@code readmit()} resets: they are incremented atomically
 * ({@code increment}, a CAS), on the fault path only. Readers (the stat tool in another process, the Micrometer binder, {@code healthReport()}) read
 * values with a volatile load and never write. Only allocation and freeing take this object's lock, and
 * no stage thread ever does either.
 * <p>
 * Freed counters (an unregistered observer's) are reused only after {@link #FREE_TO_REUSE_MS}, so that a reader
 * that just listed one does not read another's value under its label. The buffers are never unmapped while
 * this object is reachable: a counter's owner may still hold it after close, and the file keeps the last values.
 */
public final class EngineCounters
{
    /** How long a freed counter's slot stays unused before it may be allocated again. */
    public static final long FREE_TO_REUSE_MS = 10_000;

    /**
     * One allocated counter: its id in the buffers, its registration id (unique for the life of this object, so
     * a reader holding an id can tell the counter from a later one given the same slot), what it measures and its tag.
     */
    public record Entry(int id, long registrationId, CounterKind kind, String tag)
    {
    }

    private final CountersManager manager;
    private final AtomicBuffer header;
    private final Path file;
    private final Entry[] entries;
    private long registrations;
    private final ByteBuffer mapped;

    private EngineCounters(final ByteBuffer whole, final int counters, final Path file)
    {
        this.mapped = whole;
        this.file = file;
        final int metadataLength = CountersDescriptor.metadataLength(counters);
        final int valuesLength = CountersDescriptor.valuesLength(counters);
        header = new UnsafeBuffer(whole, 0, CountersDescriptor.HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(whole, CountersDescriptor.HEADER_LENGTH, metadataLength);
        final UnsafeBuffer values = new UnsafeBuffer(whole, CountersDescriptor.HEADER_LENGTH + metadataLength, valuesLength);
        manager = new CountersManager(metadata, values, StandardCharsets.US_ASCII,
            System::currentTimeMillis, FREE_TO_REUSE_MS);
        entries = new Entry[counters];
        final long now = System.currentTimeMillis();
        header.putLong(CountersDescriptor.PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(CountersDescriptor.START_OFFSET, now);
        header.putLong(CountersDescriptor.HEARTBEAT_OFFSET, now);
        header.putLong(CountersDescriptor.STOP_OFFSET, 0);
        header.putInt(CountersDescriptor.METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(CountersDescriptor.VALUES_LENGTH_OFFSET, valuesLength);
        header.putInt(CountersDescriptor.VERSION_OFFSET, CountersDescriptor.VERSION);
        header.putIntRelease(CountersDescriptor.MAGIC_OFFSET, CountersDescriptor.MAGIC);
    }

    /**
     * Counters in a plain direct buffer, readable only from this process.
     *
     * @param counters how many counters it holds.
     * @return the counters.
     */
    public static EngineCounters inMemory(final int counters)
    {
        return new EngineCounters(ByteBuffer.allocateDirect(fileLength(counters)), counters, null);
    }

    /**
     * Counters in {@code directory}/{@value CountersDescriptor#FILE_NAME}, readable live from other processes. A
     * file left by an engine that has stopped (or whose heartbeat is older than
     * {@link CountersDescriptor#HEARTBEAT_TIMEOUT_MS}) is replaced; one an engine is still writing is not.
     *
     * @param directory the directory, created if missing.
     * @param counters  how many counters it holds.
     * @return the counters.
     * @throws IllegalArgumentException when the directory cannot be used, or another engine writes there now.
     */
    public static EngineCounters mapped(final Path directory, final int counters)
    {
        final Path file = directory.resolve(CountersDescriptor.FILE_NAME);
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("countersDirectory: value " + directory + " cannot be created: " + ex);
        }
        if (Files.exists(file))
        {
            try (CountersFile existing = CountersFile.open(directory))
            {
                if (existing.running(System.currentTimeMillis()))
                {
                    throw new IllegalArgumentException("countersDirectory: value " + directory +
                        " is in use by a running engine (pid " + existing.pid() + ", heartbeat " +
                        (System.currentTimeMillis() - existing.heartbeatMs()) + " ms ago)");
                }
            }
            catch (final CountersFile.CountersFileException ex)
            {
                // Another version's file, or one never finished: replaced below.
            }
            try
            {
                Files.delete(file);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("countersDirectory: value " + directory + ": the old " +
                    CountersDescriptor.FILE_NAME + " cannot be replaced: " + ex);
            }
        }
        final MappedByteBuffer buffer;
        try
        {
            buffer = IoUtil.mapNewFile(file.toFile(), fileLength(counters));
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("countersDirectory: value " + directory + ": " + file.getFileName() +
                " cannot be created: " + ex, ex);
        }
        return new EngineCounters(buffer, counters, file);
    }

    private static int fileLength(final int counters)
    {
        return CountersDescriptor.HEADER_LENGTH + CountersDescriptor.metadataLength(counters) +
            CountersDescriptor.valuesLength(counters);
    }

    /**
     * Allocates a counter; never called by a stage thread on its hot path.
     *
     * @param kind what it measures.
     * @param tag  its tag, or null for a kind without one.
     * @return the counter, starting at 0.
     * @throws IllegalStateException when every counter is in use.
     */
    public synchronized AtomicCounter newCounter(final CounterKind kind, final String tag)
    {
        final AtomicCounter counter = manager.newCounter(kind.label(tag), kind.typeId());
        final long registrationId = ++registrations;
        manager.setCounterRegistrationId(counter.id(), registrationId);
        entries[counter.id()] = new Entry(counter.id(), registrationId, kind, tag);
        return counter;
    }

    /**
     * Frees a counter: its slot may be reused after {@link #FREE_TO_REUSE_MS}.
     *
     * @param counter a counter of this object's.
     */
    public synchronized void free(final AtomicCounter counter)
    {
        if (!counter.isClosed())
        {
            entries[counter.id()] = null;
            counter.close();
        }
    }

    /** @return the counters allocated now, in id order. */
    public synchronized List<Entry> entries()
    {
        final List<Entry> out = new ArrayList<>();
        for (final Entry e : entries)
        {
            if (null != e)
            {
                out.add(e);
            }
        }
        return out;
    }

    /** @return free counter slots. */
    public synchronized int available()
    {
        return manager.available();
    }

    /** @return a reader of every counter's value, safe from any thread. */
    public CountersReader reader()
    {
        return manager;
    }

    /**
     * @param id a counter's id.
     * @return its value now (a volatile read).
     */
    public long value(final int id)
    {
        return manager.getCounterValue(id);
    }

    /** @return the counters file, or null when the counters are in memory. */
    public Path file()
    {
        return file;
    }

    /**
     * Marks the engine alive for readers in other processes; by the sampler, at each sample.
     *
     * @param epochMs now.
     */
    public void heartbeat(final long epochMs)
    {
        header.putLongRelease(CountersDescriptor.HEARTBEAT_OFFSET, epochMs);
    }

    /**
     * Marks the engine stopped: readers report it so and keep the last values. The buffers stay mapped.
     *
     * @param epochMs now.
     */
    public void markStopped(final long epochMs)
    {
        header.putLongRelease(CountersDescriptor.HEARTBEAT_OFFSET, epochMs);
        header.putLongRelease(CountersDescriptor.STOP_OFFSET, epochMs);
        if (mapped instanceof MappedByteBuffer)
        {
            ((MappedByteBuffer)mapped).force();
        }
    }

    /** @return whether {@link #markStopped(long)} was called. */
    public boolean stopped()
    {
        return header.getLongVolatile(CountersDescriptor.STOP_OFFSET) != 0;
    }
}
