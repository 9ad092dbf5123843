package io.peerlane.tools;

/**
 * The one line the tool prints when the JVM runs out of heap, on whichever thread: the heap it had and how
 * to give it more. Whatever was being written is dropped (outputs are renamed into place only on success).
 */
final class OutOfMemory
{
    private OutOfMemory()
    {
    }

    /** @return the JVM's maximum heap in MiB. */
    static long heapMib()
    {
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    /**
     * @param command the subcommand, such as {@code replay}, or null.
     * @return the line.
     */
    static String line(final String command)
    {
        return (null == command ? "peerlane tool" : command) + ": out of memory: the JVM's heap of " + heapMib() +
            " MiB is too small for this run; give it more, such as PEERLANE_JAVA_OPTS=-Xmx4g ./peerlane tool ...";
    }
}
