package io.peerlane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A scratch directory of a benchmark (a journal, a counters file): made in {@code java.io.tmpdir}, deleted whole. */
public final class TempDirectory
{
    private TempDirectory()
    {
    }

    /** @param prefix the name's start. @return a new empty directory. */
    public static Path create(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a temporary directory in " +
                System.getProperty("java.io.tmpdir") + ": " + ex.getMessage(), ex);
        }
    }

    /** @param dir a directory made by {@link #create}, or null (nothing to do); deleted with all it holds. */
    public static void delete(final Path dir)
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
