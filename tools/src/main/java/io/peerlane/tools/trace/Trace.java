package io.peerlane.tools.trace;

import io.peerlane.mutation.MutationValue;
import io.peerlane.registry.RegistrySettings;

import java.util.List;
import java.util.Objects;

/**
 * A whole trace, read and validated: the settings (from its {@code config} line, the engine defaults
 * otherwise), its ops in file order and the line each op stands on, so that outcome lines and errors can name
 * it. Immutable.
 * <p>
 * The ops carry no votes: votes belong to whoever replays the trace (the trace runner decides the
 * validator-set vote, the engine runs its critical observers).
 */
public final class Trace
{
    private final RegistrySettings settings;
    private final List<MutationValue> ops;
    private final int[] lines;

    /**
     * @param settings the settings.
     * @param ops      the ops in order; copied.
     * @param lines    the line number of each op in the file, from 1; copied.
     */
    public Trace(final RegistrySettings settings, final List<MutationValue> ops, final int[] lines)
    {
        if (lines.length != ops.size())
        {
            throw new IllegalArgumentException(ops.size() + " ops on " + lines.length + " lines");
        }
        this.settings = Objects.requireNonNull(settings);
        this.ops = List.copyOf(ops);
        this.lines = lines.clone();
    }

    /**
     * A trace made in memory, its ops numbered as if they stood on lines 1, 2, ... of a file.
     *
     * @param settings the settings.
     * @param ops      the ops in order; copied.
     */
    public Trace(final RegistrySettings settings, final List<MutationValue> ops)
    {
        this(settings, ops, consecutive(ops.size()));
    }

    /** @return the settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /** @return the ops in file order, unmodifiable. */
    public List<MutationValue> ops()
    {
        return ops;
    }

    /**
     * @param index the op's index in {@link #ops()}.
     * @return the line number it stands on in the trace file, from 1.
     */
    public int line(final int index)
    {
        return lines[index];
    }

    /**
     * @param other another trace.
     * @return whether both have equal settings and ops equal as JSON values, whatever their line numbers.
     */
    public boolean sameAs(final Trace other)
    {
        return settings.equals(other.settings) && ops.equals(other.ops);
    }

    private static int[] consecutive(final int count)
    {
        final int[] lines = new int[count];
        for (int i = 0; i < count; i++)
        {
            lines[i] = i + 1;
        }
        return lines;
    }
}
