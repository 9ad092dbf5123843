package io.peerlane.tools.trace;

import io.peerlane.state.RegistrySettings;

import java.util.List;
import java.util.Objects;

/**
 * A whole trace, read and validated: the settings (from its {@code config} line, the engine defaults
 * otherwise) and its ops in file order. Immutable.
 */
public final class Trace
{
    private final RegistrySettings settings;
    private final List<TraceOp> ops;

    /**
     * @param settings the settings.
     * @param ops      the ops in order; copied.
     */
    public Trace(final RegistrySettings settings, final List<TraceOp> ops)
    {
        this.settings = Objects.requireNonNull(settings);
        this.ops = List.copyOf(ops);
    }

    /** @return the settings. */
    public RegistrySettings settings()
    {
        return settings;
    }

    /** @return the ops in file order, unmodifiable. */
    public List<TraceOp> ops()
    {
        return ops;
    }

    /**
     * @param other another trace.
     * @return whether both have equal settings and ops equal as JSON values, whatever their line numbers.
     */
    public boolean sameAs(final Trace other)
    {
        if (!settings.equals(other.settings) || ops.size() != other.ops.size())
        {
            return false;
        }
        for (int i = 0; i < ops.size(); i++)
        {
            if (!ops.get(i).sameOp(other.ops.get(i)))
            {
                return false;
            }
        }
        return true;
    }
}
