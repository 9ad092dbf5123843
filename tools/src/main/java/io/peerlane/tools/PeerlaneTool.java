package io.peerlane.tools;

import io.peerlane.tools.output.OutputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load-replay tool: {@code generate}, {@code import}, {@code export}, {@code verify}, {@code replay},
 * {@code stat}, {@code replicate-bench}.
 * <p>
 * Every way a run can end maps to one exit code of {@link ExitCodes} and, when it is not a success, one line on
 * stderr: bad input never prints a stack trace.
 */
@Command(name = "peerlane tool", mixinStandardHelpOptions = true, version = "peerlane tool 0.1.0",
    description = "Generates workloads, converts traces and journals, checks journals and replays them through " +
        "the engine.",
    subcommands = {GenerateCommand.class, ImportCommand.class, ExportCommand.class, VerifyCommand.class,
        ReplayCommand.class, StatCommand.class, ReplicateBenchCommand.class})
public final class PeerlaneTool implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        final String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : null;
        // Built now: out of memory, the handler must not need to allocate to say so.
        final String outOfMemory = OutOfMemory.line(command);
        // An engine or progress thread that runs out of heap ends the run with the same one line, not a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) ->
        {
            try
            {
                OutputFile.dropAll();
                System.err.println(ex instanceof OutOfMemoryError ? outOfMemory : (null == command ? "peerlane tool" :
                    command) + ": failed on thread " + thread.getName() + ": " + ex);
                System.err.flush();
            }
            finally
            {
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            }
        });
        int code;
        try
        {
            code = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
        }
        catch (final OutOfMemoryError ex)
        {
            // Unwound, the heap is free again: drop what a close could not delete while it was full.
            OutputFile.dropAll();
            System.err.println(outOfMemory);
            System.err.flush();
            code = ExitCodes.FAILURE;
        }
        System.exit(code);
    }

    /**
     * The tool's command line with its exit-code handling, for {@code main} and for tests that run it in-process.
     *
     * @param out stdout.
     * @param err stderr.
     * @return the command line; {@code execute(args)} returns the exit code.
     */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        final CommandLine cl = new CommandLine(new PeerlaneTool());
        cl.setOut(out);
        cl.setErr(err);
        final Map<String, String> codes = new LinkedHashMap<>();
        for (final String entry : ExitCodes.HELP_LIST)
        {
            final int colon = entry.indexOf(':');
            codes.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        applyExitCodeHelp(cl, codes);
        cl.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) ->
        {
            final int code;
            final String message;
            if (ex instanceof ToolException)
            {
                code = ((ToolException)ex).exitCode();
                message = ex.getMessage();
            }
            else if (ex instanceof CommandLine.ParameterException)
            {
                code = ExitCodes.USAGE;
                message = ex.getMessage();
            }
            else
            {
                code = ExitCodes.FAILURE;
                message = "failed: " + ex;
            }
            c.getErr().println(c.getCommandName() + ": " + message);
            c.getErr().flush();
            c.getOut().flush();
            return code;
        });
        return cl;
    }

    private static void applyExitCodeHelp(final CommandLine cl, final Map<String, String> codes)
    {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (final CommandLine sub : cl.getSubcommands().values())
        {
            applyExitCodeHelp(sub, codes);
        }
    }
}
