package io.peerlane.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that writes and maps through to a real one until a byte budget shared by all its siblings
 * runs out: a write then writes what fits and fails, and a mapping larger than what is left fails, as a full
 * disk does (the mapped writer claims a segment's space when it maps it); it also counts forces.
 */
final class FaultyChannel extends FileChannel
{
    private final FileChannel delegate;
    private final AtomicLong budget;
    private final AtomicInteger forces;

    FaultyChannel(final FileChannel delegate, final AtomicLong budget, final AtomicInteger forces)
    {
        this.delegate = delegate;
        this.budget = budget;
        this.forces = forces;
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        final long left = budget.get();
        if (left <= 0)
        {
            throw new IOException("No space left on device");
        }
        if (src.remaining() > left)
        {
            final int limit = src.limit();
            src.limit(src.position() + (int)left);
            final int n = delegate.write(src);
            src.limit(limit);
            budget.addAndGet(-n);
            return n;
        }
        final int n = delegate.write(src);
        budget.addAndGet(-n);
        return n;
    }

    @Override
    public void force(final boolean metaData) throws IOException
    {
        forces.incrementAndGet();
        delegate.force(metaData);
    }

    @Override
    public FileChannel truncate(final long size) throws IOException
    {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long position() throws IOException
    {
        return delegate.position();
    }

    @Override
    public FileChannel position(final long newPosition) throws IOException
    {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException
    {
        return delegate.size();
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        return delegate.read(dst);
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length)
    {
        throw new UnsupportedOperationException("the writer hands over one buffer at a time");
    }

    @Override
    public long transferTo(final long position, final long count, final WritableByteChannel target)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(final ReadableByteChannel src, final long position, final long count)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public int read(final ByteBuffer dst, final long position) throws IOException
    {
        return delegate.read(dst, position);
    }

    @Override
    public int write(final ByteBuffer src, final long position)
    {
        throw new UnsupportedOperationException("the writer appends");
    }

    @Override
    public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException
    {
        if (budget.addAndGet(-size) < 0)
        {
            budget.set(0);
            throw new IOException("No space left on device");
        }
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(final long position, final long size, final boolean shared)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(final long position, final long size, final boolean shared)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() throws IOException
    {
        delegate.close();
    }
}
