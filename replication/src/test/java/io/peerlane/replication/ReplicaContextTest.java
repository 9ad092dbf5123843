package io.peerlane.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replica's context is frozen once concluded, as the engine's is: every setter throws naming the setting. */
class ReplicaContextTest
{
    @Test
    void everySetterThrowsOnceConcluded()
    {
        final ReplicaContext ctx = new ReplicaContext().id("r0").peer("r0", new InetSocketAddress("127.0.0.1", 1))
            .storageDirectory(Path.of("unused")).maxBatchOps(64);
        assertThrows(IllegalArgumentException.class, () -> new ReplicaContext().conclude(), "no id: refused");
        ctx.conclude();
        assertTrue(ctx.isConcluded());
        final Map<String, Executable> setters = new LinkedHashMap<>();
        setters.put("id", () -> ctx.id("r1"));
        setters.put("peer", () -> ctx.peer("r1", new InetSocketAddress("127.0.0.1", 2)));
        setters.put("storageDirectory", () -> ctx.storageDirectory(Path.of("elsewhere")));
        setters.put("maxBatchOps", () -> ctx.maxBatchOps(1));
        setters.put("electionTimeout", () -> ctx.electionTimeout(Duration.ofSeconds(5)));
        setters.put("raftProperty", () -> ctx.raftProperty("raft.server.rpc.timeout.min", "1s"));
        for (final Map.Entry<String, Executable> setter : setters.entrySet())
        {
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, setter.getValue(),
                setter.getKey());
            assertTrue(thrown.getMessage().startsWith(setter.getKey() + ": cannot be changed after conclude()"),
                thrown.getMessage());
        }
        assertEquals("r0", ctx.id());
        assertEquals(64, ctx.maxBatchOps());
        ctx.conclude();   // a second conclude does nothing
    }
}
