package io.peerlane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A file is replaced whole or not at all, and no temporary file is left behind either way. */
class AtomicFileTest
{
    @Test
    void replacesTheFileWhole(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("sub").resolve("out.txt");
        AtomicFile.write(file, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(file, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(file));
        assertEquals(List.of("out.txt"), listing(file.getParent()));
    }

    @Test
    void aWriterThatFailsHalfWayLeavesTheOldFileAndNoTemporaryOne(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("out.txt");
        Files.writeString(file, "old");
        final IOException ex = assertThrows(IOException.class, () -> AtomicFile.write(file, out ->
        {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", ex.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("out.txt"), listing(dir));
    }

    @Test
    void anIntervalLogNotCompletedLeavesNothing(@TempDir final Path dir) throws IOException
    {
        try (IntervalLog log = new IntervalLog(dir, "peerlane", List.of(Metric.COMMIT)))
        {
            log.write(Metric.COMMIT, new org.HdrHistogram.Histogram(3));
        }
        assertEquals(List.of(), listing(dir), "a failed contender leaves no partial log");
        try (IntervalLog log = new IntervalLog(dir, "peerlane", List.of(Metric.COMMIT)))
        {
            log.complete();
        }
        assertEquals(List.of(IntervalLog.fileName("peerlane", Metric.COMMIT)), listing(dir));
    }

    private static List<String> listing(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
