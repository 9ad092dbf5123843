package io.peerlane.tools.output;

import io.peerlane.tools.ToolException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before any work, an output that would overwrite an input: the same file (through any path or
 * link), a file inside an input journal's directory, an input inside an output directory, or two outputs on
 * one file. A usage error (exit 2): nothing has been read or written yet.
 */
public final class OutputPaths
{
    private final List<Path> inputs = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();

    /**
     * @param what  how the user named it, such as {@code journal /tmp/j}.
     * @param input a file or a journal directory that the command reads.
     * @return this.
     */
    public OutputPaths input(final String what, final Path input)
    {
        inputs.add(canonical(input));
        inputNames.add(what);
        return this;
    }

    /**
     * @param option the option that names it, such as {@code --outcomes}.
     * @param output a file or directory the command writes, or null when not asked for.
     * @return this.
     * @throws ToolException a usage error when it is, holds or lies inside an input, or another output.
     */
    public OutputPaths output(final String option, final Path output)
    {
        if (null == output)
        {
            return this;
        }
        final Path out = canonical(output);
        for (int i = 0; i < inputs.size(); i++)
        {
            final Path in = inputs.get(i);
            if (out.equals(in))
            {
                throw ToolException.usage(option + " " + output + ": is the input " + inputNames.get(i) +
                    "; writing it would destroy the input");
            }
            if (out.startsWith(in))
            {
                throw ToolException.usage(option + " " + output + ": lies inside the input " + inputNames.get(i) +
                    "; write it outside the journal directory");
            }
            if (in.startsWith(out))
            {
                throw ToolException.usage(option + " " + output + ": holds the input " + inputNames.get(i));
            }
        }
        for (int i = 0; i < outputs.size(); i++)
        {
            if (out.equals(outputs.get(i)) && !(Files.exists(out) && !Files.isRegularFile(out)))
            {
                throw ToolException.usage(option + " " + output + ": is also the output of " + outputNames.get(i));
            }
        }
        outputs.add(out);
        outputNames.add(option);
        return this;
    }

    /**
     * The real path, following links as far as the path exists, so that two names of one file compare equal;
     * the missing rest is appended as written.
     */
    static Path canonical(final Path path)
    {
        Path p = path.toAbsolutePath().normalize();
        Path rest = null;
        while (null != p)
        {
            if (Files.exists(p))
            {
                try
                {
                    final Path real = p.toRealPath();
                    return null == rest ? real : real.resolve(rest);
                }
                catch (final IOException ex)
                {
                    break;
                }
            }
            final Path name = p.getFileName();
            if (null == name)
            {
                break;
            }
            rest = null == rest ? name : name.resolve(rest);
            p = p.getParent();
        }
        return path.toAbsolutePath().normalize();
    }
}
