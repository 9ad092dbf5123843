package io.peerlane.state;

import io.peerlane.peer.Discovery;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.NodeType;
import io.peerlane.peer.PeerRecord;
import io.peerlane.peer.Protocol;
import io.peerlane.peer.PublicKey;
import io.peerlane.peer.Tier;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.CRC32C;


/**
 * A state snapshot file: everything the rules depend on, so that an engine started from it plus the journal
 * after it ends with exactly the registry the recording engine had.
 * <pre>
 *   0                   8          12         20         28         36
 *   +-------------------+----------+----------+----------+----------+
 *   | magic "PLSNAP01"  | version  | sequence | eventSeq | time     |
 *   +-------------------+----------+----------+----------+----------+
 *   | peers: count, then each record, its lastSeen and firstSeen     |
 *   | tombstones: count, then (id, version, madeAt)                  |
 *   | bans: count, then (kind, value, until), oldest first           |
 *   | rate windows: second, count, minute, DID count, (did, count)   |
 *   +----------------------------------------------------------------+
 *   | CRC32C of every byte before it (8 bytes, big-endian)           |
 *   +----------------------------------------------------------------+
 * </pre>
 * All integers are big-endian ({@link DataOutputStream}); strings are modified UTF-8. The file is written to
 * a temporary name and moved into place, so a crash never leaves half a snapshot under the real name.
 */
public final class StateSnapshot
{
    /** File magic. */
    public static final long MAGIC = 0x504C534E41503031L;
    /** Layout version. */
    public static final int VERSION = 2;

    private StateSnapshot()
    {
    }

    /**
     * Writes the state; call on the writer's thread (the engine does it through the ring).
     *
     * @param state the state.
     * @param file  where to write.
     */
    public static void write(final RegistryState state, final Path file)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            state.writeSnapshot(out);
            out.flush();
            final CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, bytes.toByteArray());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads a snapshot into a new state.
     *
     * @param file      the snapshot.
     * @param settings  rule settings.
     * @param userRules admission rules.
     * @return the state as it was when the snapshot was taken.
     * @throws IllegalArgumentException naming the file when it is not a valid snapshot.
     */
    public static RegistryState read(final Path file, final RegistrySettings settings, final List<AdmissionRule> userRules)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file + ": " + ex.getMessage(), ex);
        }
        if (bytes.length < 20)
        {
            throw new IllegalArgumentException("snapshot " + file + ": " + bytes.length + " bytes is too short");
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong())
        {
            throw new IllegalArgumentException("snapshot " + file + ": checksum mismatch, the file is corrupt");
        }
        try
        {
            final DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8));
            if (in.readLong() != MAGIC)
            {
                throw new IllegalArgumentException("snapshot " + file + ": not a Peerlane snapshot (bad magic)");
            }
            final int version = in.readInt();
            if (version != VERSION)
            {
                throw new IllegalArgumentException("snapshot " + file + ": layout version " + version +
                    " is not supported (this build reads " + VERSION + ")");
            }
            return RegistryState.readSnapshot(in, settings, userRules);
        }
        catch (final EOFException ex)
        {
            throw new IllegalArgumentException("snapshot " + file + ": ends early", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file + ": " + ex.getMessage(), ex);
        }
    }

    static void writeRecord(final DataOutputStream out, final PeerRecord r) throws IOException
    {
        out.write(r.id().toBytes());
        out.writeUTF(r.did());
        out.writeUTF(r.device());
        final byte[] key = r.publicKey().toBytes();
        out.writeInt(key.length);
        out.write(key);
        out.writeLong(r.version());
        out.writeLong(r.lastSeen());
        out.writeByte(r.endpoints().size());
        for (final Endpoint e : r.endpoints())
        {
            out.writeUTF(e.address());
            out.writeByte(e.protocol().ordinal());
            out.writeLong(e.latencyMs());
            out.writeDouble(e.signal());
        }
        out.writeByte(r.tier().ordinal());
        out.writeDouble(r.trust());
        out.writeByte(r.nodeType().ordinal());
        out.writeLong(r.votingPower());
        out.writeByte((r.authenticated() ? 1 : 0) | (r.quantumSecure() ? 2 : 0) | (r.pinned() ? 4 : 0));
        out.writeByte(r.discovery().ordinal());
        out.writeBoolean(null != r.nextHop());
        if (null != r.nextHop())
        {
            out.write(r.nextHop().toBytes());
        }
        out.writeShort(r.hopCount());
        out.writeDouble(r.routeQuality());
    }

    static PeerRecord readRecord(final DataInputStream in) throws IOException
    {
        final PeerRecord.Builder b = PeerRecord.builder(readId(in)).fieldPrefix("snapshot.peer");
        b.did(in.readUTF()).device(in.readUTF());
        final int keyLength = in.readInt();
        if (keyLength < 1 || keyLength > 4096)
        {
            throw new IOException("public key length " + keyLength + " is outside [1, 4096]");
        }
        final byte[] key = new byte[keyLength];
        in.readFully(key);
        b.publicKey(PublicKey.fromBytes("snapshot.peer.publicKey", key)).version(in.readLong()).lastSeen(in.readLong());
        final int endpoints = in.readUnsignedByte();
        for (int i = 0; i < endpoints; i++)
        {
            b.endpoint(Endpoint.of("snapshot.peer.endpoints[" + i + "]", in.readUTF(),
                enumAt(Protocol.values(), in.readUnsignedByte()), in.readLong(), in.readDouble()));
        }
        b.tier(enumAt(Tier.values(), in.readUnsignedByte())).trust(in.readDouble())
            .nodeType(enumAt(NodeType.values(), in.readUnsignedByte())).votingPower(in.readLong());
        final int flags = in.readUnsignedByte();
        b.authenticated((flags & 1) != 0).quantumSecure((flags & 2) != 0).pinned((flags & 4) != 0)
            .discovery(enumAt(Discovery.values(), in.readUnsignedByte()));
        if (in.readBoolean())
        {
            b.nextHop(readId(in));
        }
        return b.hopCount(in.readUnsignedShort()).routeQuality(in.readDouble()).build();
    }

    static NodeId readId(final DataInputStream in) throws IOException
    {
        final byte[] id = new byte[NodeId.BYTES];
        in.readFully(id);
        return NodeId.fromBytes(id);
    }

    private static <E> E enumAt(final E[] values, final int ordinal) throws IOException
    {
        if (ordinal >= values.length)
        {
            throw new IOException("enum ordinal " + ordinal + " is outside [0, " + (values.length - 1) + "]");
        }
        return values[ordinal];
    }
}
