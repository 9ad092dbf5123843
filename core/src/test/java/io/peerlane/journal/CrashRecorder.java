package io.peerlane.journal;

import io.peerlane.engine.EngineContext;
import io.peerlane.engine.PeerlaneEngine;
import io.peerlane.engine.Topology;

import java.nio.file.Path;

/**
 * The child JVM of {@link JournalCrashTest}: an engine recording the seeded {@link CrashWorkload} to a journal
 * as fast as one producer can publish, until it is killed. Prints "published N" once N ops are in the ring.
 * Arguments: journal directory, seed, topology, force policy, segment length.
 */
public final class CrashRecorder
{
    private CrashRecorder()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final CrashWorkload workload = new CrashWorkload(Long.parseLong(args[1]));
        final EngineContext ctx = new EngineContext().topology(Topology.valueOf(args[2]))
            .settings(CrashWorkload.SETTINGS)
            .journal(new JournalWriter.Context().directory(dir).forcePolicy(ForcePolicy.valueOf(args[3]))
                .forceIntervalMs(5).segmentLength(Long.parseLong(args[4])));
        final PeerlaneEngine engine = PeerlaneEngine.launch(ctx);
        for (long n = 1; ; n++)
        {
            engine.publish(workload.next(), false);
            if (n == 2_000)
            {
                System.out.println("published " + n);
                System.out.flush();
            }
        }
    }
}
