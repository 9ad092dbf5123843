package io.peerlane.state;

import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layout 2 keeps the registry's lastSeen and firstSeen beside each record; a layout 1 file is refused by name. */
class StateSnapshotVersionTest
{
    @Test
    void aSnapshotRoundTripsLivenessAndAnOlderLayoutIsRefused(@TempDir final Path dir) throws Exception
    {
        final RegistryState state = new RegistryState(RegistrySettings.defaults(), List.of());
        final CommitResult out = new CommitResult();
        final PeerRecord peer = PeerRecord.builder(NodeId.of(0, 0, 0, 7)).did("did:test:a").device("d")
            .publicKeyHex("0a").version(1).lastSeen(1_000).build();
        state.commit(MutationValue.upsert(5_000, peer, null), 0, out);
        state.commit(MutationValue.touch(6_000, peer.id(), 5_500), 1, out);
        final Path file = dir.resolve("state.snap");
        StateSnapshot.write(state, file);

        final RegistryView restored = StateSnapshot.read(file, RegistrySettings.defaults(), List.of()).view();
        assertEquals(peer, restored.get(peer.id()));
        assertEquals(5_500, restored.lastSeen(peer.id()), "the touched liveness");
        assertEquals(5_000, restored.firstSeen(peer.id()));
        assertEquals(1_000, restored.get(peer.id()).lastSeen(), "the record as announced");

        final byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(8, 1);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
        final Path old = dir.resolve("old.snap");
        Files.write(old, bytes);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> StateSnapshot.read(old, RegistrySettings.defaults(), List.of()));
        assertTrue(ex.getMessage().contains("layout version 1 is not supported (this build reads 2)"), ex.getMessage());
    }
}
