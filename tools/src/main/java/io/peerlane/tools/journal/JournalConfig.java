package io.peerlane.tools.journal;

import io.peerlane.registry.RegistrySettings;
import io.peerlane.tools.ExitCodes;
import io.peerlane.tools.ToolException;
import io.peerlane.tools.trace.Trace;
import io.peerlane.tools.trace.TraceFormatException;
import io.peerlane.tools.trace.TraceReader;
import io.peerlane.tools.trace.TraceWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The settings a journal was recorded with. The journal's binary layout has no settings record, so the tool
 * keeps them beside the segments in {@value #FILE_NAME}: a trace {@code config} line (TRACE.md), written by
 * {@code generate} and {@code import}; the journal reader ignores files that are not segments. A journal
 * without it (one an engine wrote) was recorded with settings the tool cannot know: they are taken as the
 * engine defaults, and the caller says so.
 */
public final class JournalConfig
{
    /** Name of the settings file in a journal's directory. */
    public static final String FILE_NAME = "peerlane-config.jsonl";

    private final RegistrySettings settings;
    private final boolean stored;

    private JournalConfig(final RegistrySettings settings, final boolean stored)
    {
        this.settings = settings;
        this.stored = stored;
    }

    /** @return the settings: the stored ones, or the engine defaults. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /** @return whether the journal directory holds a settings file. */
    public boolean stored()
    {
        return stored;
    }

    /**
     * @param directory a journal's directory.
     * @return its settings.
     * @throws ToolException corrupt input naming the file and line when the settings file is malformed.
     */
    public static JournalConfig read(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            return new JournalConfig(RegistrySettings.defaults(), false);
        }
        catch (final IOException ex)
        {
            throw new ToolException(ExitCodes.FAILURE, file + ": cannot read: " + ex.getMessage());
        }
        try
        {
            final Trace trace = TraceReader.parse(bytes);
            if (!trace.ops().isEmpty())
            {
                throw ToolException.corrupt(file + ": line " + trace.line(0) +
                    ": holds an op; a journal's settings file holds one config line");
            }
            return new JournalConfig(trace.settings(), true);
        }
        catch (final TraceFormatException ex)
        {
            throw ToolException.corrupt(file + ": " + ex.getMessage());
        }
    }

    /**
     * Writes the settings file of a journal: the config line, or an empty file for the defaults.
     *
     * @param directory the journal's directory, existing.
     * @param settings  the settings.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path directory, final RegistrySettings settings) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        if (TraceWriter.config(line, settings))
        {
            line.append('\n');
        }
        Files.write(directory.resolve(FILE_NAME), line.toString().getBytes(StandardCharsets.UTF_8));
    }
}
