package io.peerlane.journal;

import io.peerlane.journal.JournalCorruptException.Defect;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.zip.CRC32C;

import static io.peerlane.journal.JournalDescriptor.*;

/**
 * Reads a journal's records in order across its segments (layout in {@link JournalDescriptor}).
 * <p>
 * The last record of the last segment may be cut short by a crash: that torn tail is reported (see
 * {@link #tornTail()} and the {@link TornTailListener}) and ignored. Anything else wrong is a
 * {@link JournalCorruptException} naming the file, the offset and the last good sequence, thrown when the
 * reader reaches it, so every entry returned before it is intact. Whatever the bytes, nothing escapes but a
 * {@link JournalCorruptException} or, when the file system fails, a {@link JournalException}.
 * <p>
 * Each segment is mapped read-only and read in place: the CRC32C runs over the mapped bytes and the decoder
 * reads the fields straight from them, so nothing is copied but the values an entry holds. A slot whose
 * length word is 0 in the last segment is the unwritten end a killed writer leaves (see
 * {@link JournalDescriptor}); it is the torn tail, unless a whole record follows it, which is damage. So is a
 * last segment's header a killed writer had not finished (magic 0, or, from an older writer, the magic with a
 * CRC of 0) when no record follows it; in any other segment such a header is damage. Not thread-safe.
 */
public final class JournalReader implements AutoCloseable
{
    /** What {@link #advance()} returns for a record it checked without decoding. */
    static final JournalEntry CHECKED = new JournalEntry(null, -1, -1, -1, null, null);

    private final Path directory;
    private final TornTailListener listener;
    private final List<Path> segments;
    private final long[] segmentIndices;
    private final CRC32C crc = new CRC32C();
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameChecker checker = new FrameChecker();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private MappedByteBuffer window;

    private int segment = -1;
    private FileChannel channel;
    private Path file;
    private long fileSize;
    private long previousSize;
    private long position;
    private long segmentFirstSequence;
    private boolean segmentHasRecord;
    private boolean allowTrailing;
    /** Whether the open segment is version 2's (packed), else version 1's. */
    private boolean packed;
    /** The open segment's version's shortest frame. */
    private int minFrameLength = MIN_FRAME_LENGTH_V1;

    private long recordCount;
    private Path recordFile;
    private long recordOffset = -1;
    private long precedingSequence = NO_SEQUENCE;
    private long firstSequence = NO_SEQUENCE;
    private long lastSequence = NO_SEQUENCE;
    private boolean done;
    private Path tornTailFile;
    private long tornTailOffset = -1;
    private JournalCorruptException corruption;

    private JournalReader(final Path directory, final TornTailListener listener, final List<Path> segments,
        final long[] segmentIndices)
    {
        this.directory = directory;
        this.listener = listener;
        this.segments = segments;
        this.segmentIndices = segmentIndices;
    }

    /**
     * @param directory the journal's directory.
     * @return a reader positioned before the first record.
     * @throws JournalException when the directory cannot be listed.
     */
    public static JournalReader open(final Path directory)
    {
        return open(directory, null);
    }

    /**
     * @param directory the journal's directory.
     * @param listener  told of a torn tail, or null.
     * @return a reader positioned before the first record.
     * @throws JournalException when the directory cannot be listed.
     */
    public static JournalReader open(final Path directory, final TornTailListener listener)
    {
        final List<long[]> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory))
        {
            for (final Path p : dir)
            {
                final Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p))
                {
                    found.add(new long[]{Long.parseLong(m.group(1))});
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot list the journal directory: " + ex, directory, -1, ex);
        }
        found.sort((a, b) -> Long.compare(a[0], b[0]));
        final List<Path> segments = new ArrayList<>(found.size());
        final long[] indices = new long[found.size()];
        for (int i = 0; i < indices.length; i++)
        {
            indices[i] = found.get(i)[0];
            segments.add(directory.resolve(segmentFileName(indices[i])));
        }
        return new JournalReader(directory, listener, segments, indices);
    }

    /**
     * @return the next record, or null at the end of the journal (after a torn tail, if any).
     * @throws JournalCorruptException when the journal is damaged before its end; thrown again by later calls.
     * @throws JournalException        when a file cannot be read.
     */
    public JournalEntry next()
    {
        return read(true);
    }

    /**
     * Checks the next record as {@link #next()} does (framing, CRC, sequence, layout) without building an
     * entry: what {@link JournalVerifier} runs at memory speed.
     *
     * @return whether a record was checked; false at the end of the journal.
     * @throws JournalCorruptException when the journal is damaged before its end; thrown again by later calls.
     * @throws JournalException        when a file cannot be read.
     */
    public boolean advance()
    {
        return null != read(false);
    }

    /** @return the segment file of the record last returned or checked, or null before the first. */
    public Path recordFile()
    {
        return recordFile;
    }

    /** @return the offset in {@link #recordFile()} of the record last returned or checked, or -1. */
    public long recordOffset()
    {
        return recordOffset;
    }

    private JournalEntry read(final boolean decode)
    {
        if (null != corruption)
        {
            throw corruption;
        }
        try
        {
            while (!done)
            {
                if (null == channel && !openNextSegment())
                {
                    continue;
                }
                final JournalEntry entry = readFrame(decode);
                if (null != entry)
                {
                    return entry;
                }
            }
            return null;
        }
        catch (final JournalCorruptException ex)
        {
            corruption = ex;
            done = true;
            closeChannel();
            throw ex;
        }
        catch (final IOException ex)
        {
            done = true;
            closeChannel();
            throw new JournalException("read failed: " + ex, file, position, ex);
        }
        catch (final InternalError ex)
        {
            // A mapped page that is gone: the file was cut while mapped (a live writer's roll, or another hand).
            done = true;
            closeChannel();
            throw new JournalException("read failed: the segment was cut while it was read (" + ex.getMessage() + ")",
                file, position, ex);
        }
    }

    /** @return number of segment files in the journal. */
    public int segmentCount()
    {
        return segments.size();
    }

    /** @return index of the first segment file, or -1 when there is none. */
    public long firstSegmentIndex()
    {
        return segmentIndices.length == 0 ? -1 : segmentIndices[0];
    }

    /**
     * @return the sequence of the last record before the first segment, as its header names it (known once the
     * first header was read): {@link JournalDescriptor#NO_SEQUENCE} for a journal that starts at its beginning;
     * any other value means that earlier segments are gone (pruned after a snapshot, or lost), so the records up
     * to this sequence must come from elsewhere.
     */
    public long precedingSequence()
    {
        return precedingSequence;
    }

    /** @return index of the last segment file, or -1 when there is none. */
    public long lastSegmentIndex()
    {
        return segmentIndices.length == 0 ? -1 : segmentIndices[segmentIndices.length - 1];
    }

    /** @return records returned so far. */
    public long recordCount()
    {
        return recordCount;
    }

    /** @return sequence of the first record returned, or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long firstSequence()
    {
        return firstSequence;
    }

    /** @return sequence of the last record returned, or {@link JournalDescriptor#NO_SEQUENCE}. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return whether the last segment ended inside a record (known once {@link #next()} returned null). */
    public boolean tornTail()
    {
        return null != tornTailFile;
    }

    /** @return the segment with the torn tail, or null. */
    public Path tornTailFile()
    {
        return tornTailFile;
    }

    /** @return offset of the torn record, the first byte ignored, or -1. */
    public long tornTailOffset()
    {
        return tornTailOffset;
    }

    /** @return the journal's directory. */
    public Path directory()
    {
        return directory;
    }

    @Override
    public void close()
    {
        done = true;
        closeChannel();
    }

    private boolean openNextSegment() throws IOException
    {
        segment++;
        if (segment >= segments.size())
        {
            done = true;
            return false;
        }
        previousSize = fileSize;
        file = segments.get(segment);
        position = 0;
        segmentHasRecord = false;
        if (segment > 0 && segmentIndices[segment] != segmentIndices[segment - 1] + 1)
        {
            throw corrupt(Defect.BAD_SEGMENT_ORDER, "segment " + (segmentIndices[segment - 1] + 1) + " is missing", 0);
        }
        channel = FileChannel.open(file, StandardOpenOption.READ);
        fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE)
        {
            throw new JournalException("the segment has " + fileSize + " bytes; this reader maps segments of at most " +
                Integer.MAX_VALUE + " bytes", file, 0, null);
        }
        window = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
        window.order(ByteOrder.LITTLE_ENDIAN);
        view.wrap(window);
        readHeader();
        return !done;
    }

    private void readHeader() throws IOException
    {
        final boolean last = segment == segments.size() - 1;
        if (fileSize >= 8)
        {
            if (window.getLong(0) != MAGIC && !(last && headerUnwritten()))
            {
                throw corrupt(Defect.BAD_MAGIC, "the segment does not start with the journal magic", 0);
            }
        }
        if (fileSize < HEADER_LENGTH || (last && headerUnwritten()))
        {
            endSegment(last, "the segment ends inside its header", 0);
            return;
        }
        final int major = window.getShort(MAJOR_VERSION_OFFSET) & 0xFFFF;
        final int minor = window.getShort(MINOR_VERSION_OFFSET) & 0xFFFF;
        final int headerLength = window.getInt(HEADER_LENGTH_OFFSET);
        if (major != MAJOR_VERSION && major != MAJOR_VERSION_1)
        {
            throw corrupt(Defect.UNSUPPORTED_VERSION, "major version " + major + (major > MAJOR_VERSION ?
                " is newer than this reader's " : " is unknown to this reader, which reads " + MAJOR_VERSION_1 +
                " to ") + MAJOR_VERSION, 0);
        }
        packed = major >= 2;
        minFrameLength = packed ? MIN_FRAME_LENGTH : MIN_FRAME_LENGTH_V1;
        allowTrailing = minor > MINOR_VERSION;
        if (allowTrailing ? headerLength < HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH :
            headerLength != HEADER_LENGTH)
        {
            throw corrupt(Defect.BAD_HEADER, "header length " + headerLength, 0);
        }
        if (fileSize < headerLength)
        {
            endSegment(last, "the segment ends inside its header", 0);
            return;
        }
        crc.reset();
        window.limit(HEADER_CRC_OFFSET).position(0);
        crc.update(window);
        window.limit(headerLength).position(HEADER_LENGTH);
        crc.update(window);
        window.clear();

        if ((int)crc.getValue() != window.getInt(HEADER_CRC_OFFSET))
        {
            if (last && headerCrcUnwritten())
            {
                // An older writer stored the magic, then the CRC: killed between the two, it left this.
                endSegment(true, "the segment's header has its magic but not yet its CRC", 0);
                return;
            }
            throw corrupt(Defect.BAD_HEADER, "the header fails its CRC", 0);
        }
        if (window.getLong(SEGMENT_INDEX_OFFSET) != segmentIndices[segment])
        {
            throw corrupt(Defect.BAD_SEGMENT_ORDER, "the header names segment " + window.getLong(SEGMENT_INDEX_OFFSET), 0);
        }
        final long previousLastSequence = window.getLong(PREVIOUS_LAST_SEQUENCE_OFFSET);
        if (segment == 0)
        {
            precedingSequence = previousLastSequence;
        }
        if (segment > 0 && previousLastSequence != lastSequence)
        {
            final Path previous = segments.get(segment - 1);
            throw new JournalCorruptException(Defect.TRUNCATED, "records are missing at its end: " + file.getFileName() +
                " follows sequence " + previousLastSequence, previous, previousSize, lastSequence, null);
        }
        segmentFirstSequence = window.getLong(FIRST_SEQUENCE_OFFSET);
        if (lastSequence != NO_SEQUENCE && segmentFirstSequence <= lastSequence)
        {
            throw corrupt(Defect.BAD_SEQUENCE, "first sequence " + segmentFirstSequence + " does not follow " +
                lastSequence, 0);
        }
        position = headerLength;
    }

    /** @return the next entry of the open segment, or null when the segment (or the journal) ended. */
    private JournalEntry readFrame(final boolean decode) throws IOException
    {
        final boolean last = segment == segments.size() - 1;
        final long remaining = fileSize - position;
        if (remaining == 0)
        {
            closeChannel();
            return null;
        }
        if (remaining < FRAME_PREAMBLE_LENGTH)
        {
            endSegment(last, "the segment ends inside a record's length", position);
            return null;
        }
        final int at = (int)position;
        final int length = window.getInt(at + FRAME_LENGTH_OFFSET);
        final int check = window.getInt(at + LENGTH_CHECK_OFFSET);
        if (length == 0 && last)
        {
            final long follower = wholeFrameAfter(position);
            if (follower >= 0)
            {
                throw corrupt(Defect.BAD_LENGTH, "frame length 0, yet a whole record lies at offset " + follower,
                    position);
            }
            endSegment(true, "", position);
            return null;
        }
        if (check != ~length || length < minFrameLength || length > MAX_FRAME_LENGTH)
        {
            throw corrupt(Defect.BAD_LENGTH, "frame length " + length + " with check " + check, position);
        }
        if (length > remaining)
        {
            endSegment(last, "the segment ends inside a record of " + length + " bytes", position);
            return null;
        }
        final int start = (int)position;
        if (FrameEncoder.crc(view, start + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET) !=
            window.getInt(start + CRC_OFFSET))
        {
            throw corrupt(Defect.BAD_CRC, "the record fails its CRC", position);
        }
        final long sequence;
        try
        {
            sequence = checker.sequence(window, start, length, packed);
        }
        catch (final FrameDecoder.MalformedRecordException ex)
        {
            throw new JournalCorruptException(Defect.BAD_RECORD, "the record does not decode: " + ex.getMessage(),
                file, position, lastSequence, ex);
        }
        if (!segmentHasRecord && sequence != segmentFirstSequence)
        {
            throw corrupt(Defect.BAD_SEQUENCE, "the first record's sequence " + sequence +
                " is not the header's first sequence " + segmentFirstSequence, position);
        }
        if (lastSequence != NO_SEQUENCE && sequence <= lastSequence)
        {
            throw corrupt(Defect.BAD_SEQUENCE, "sequence " + sequence + " does not follow " + lastSequence, position);
        }
        JournalEntry entry = CHECKED;
        try
        {
            if (decode)
            {
                entry = decoder.decode(window, start, length, file, position, allowTrailing, packed);
            }
            else
            {
                checker.check(window, start, length, allowTrailing, packed);
            }
        }
        catch (final FrameDecoder.MalformedRecordException ex)
        {
            throw new JournalCorruptException(Defect.BAD_RECORD, "the record does not decode: " + ex.getMessage(),
                file, position, lastSequence, ex);
        }
        if (recordFile != file)
        {
            recordFile = file;
        }
        recordOffset = position;
        position += length;
        segmentHasRecord = true;
        recordCount++;
        if (firstSequence == NO_SEQUENCE)
        {
            firstSequence = sequence;
        }
        lastSequence = sequence;
        return entry;
    }

    /** A segment that stops inside a structure: a torn tail when it is the last one, damage otherwise. */
    private void endSegment(final boolean last, final String what, final long offset)
    {
        if (!last)
        {
            throw corrupt(Defect.TRUNCATED, what, offset);
        }
        tornTailFile = file;
        tornTailOffset = offset;
        done = true;
        closeChannel();
        if (null != listener)
        {
            listener.onTornTail(tornTailFile, tornTailOffset, lastSequence);
        }
    }

    /**
     * Whether the last segment's header is space a killed writer left: the magic, stored last, is 0 and no
     * record follows (the first slot's length is 0 too, or there is no room for one).
     */
    private boolean headerUnwritten()
    {
        return window.getLong(MAGIC_OFFSET) == 0 && noRecordAfterHeader();
    }

    /**
     * Whether the last segment's header is one an older writer was killed in the middle of: it stored the
     * magic before the CRC, so its header could be left with the magic, every field and a CRC of 0, and no
     * record after it. (This writer stores the CRC before the magic, so it never leaves that.)
     */
    private boolean headerCrcUnwritten()
    {
        return window.getInt(HEADER_CRC_OFFSET) == 0 && noRecordAfterHeader();
    }

    /** Whether no record follows the header: the first slot's length is 0, or there is no room for one. */
    private boolean noRecordAfterHeader()
    {
        return fileSize < HEADER_LENGTH + FRAME_PREAMBLE_LENGTH || window.getInt(HEADER_LENGTH) == 0;
    }

    /**
     * @return the offset of a whole, CRC-checked frame after the unwritten slot at {@code slot}, or -1. A
     * killed writer leaves at most the body of one unfinished frame there; a whole frame means that the
     * length word was damaged, not left unwritten.
     */
    private long wholeFrameAfter(final long slot)
    {
        int end = (int)fileSize;
        while (end > slot && window.get(end - 1) == 0)
        {
            end--;
        }
        for (int q = (int)slot + 1; q <= end - minFrameLength; q++)
        {
            final int length = window.getInt(q);
            if (length >= minFrameLength && length <= MAX_FRAME_LENGTH && (long)q + length <= fileSize &&
                window.getInt(q + LENGTH_CHECK_OFFSET) == ~length &&
                FrameEncoder.crc(view, q + CRC_COVERED_OFFSET, length - CRC_COVERED_OFFSET) ==
                window.getInt(q + CRC_OFFSET))
            {
                return q;
            }
        }
        return -1;
    }

    private JournalCorruptException corrupt(final Defect defect, final String message, final long offset)
    {
        return new JournalCorruptException(defect, message, file, offset, lastSequence, null);
    }

    private void closeChannel()
    {
        final MappedByteBuffer mapped = window;
        if (null != mapped)
        {
            window = null;
            view.wrap(0, 0);
            IoUtil.unmap(mapped);
        }
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Read-only: nothing to lose.
            }
            channel = null;
        }
    }
}
