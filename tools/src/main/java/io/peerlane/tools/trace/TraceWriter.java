package io.peerlane.tools.trace;

import io.peerlane.digest.CanonicalJson;
import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.mutation.Mutation;
import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link Trace} back as canonical input lines: a {@code config} line first when the settings are
 * not all defaults (holding the settings that differ, in TRACE.md's order), then one line per op with keys
 * in TRACE.md's order ({@code op}, {@code t}, then the op's fields) and every record field written.
 * Reading the output gives ops equal to the ones written; comments and formatting are not kept.
 */
public final class TraceWriter
{
    private TraceWriter()
    {
    }

    /**
     * @param trace the trace.
     * @param out   receives the lines, each ending in {@code \n}.
     * @throws IOException when {@code out} fails.
     */
    public static void write(final Trace trace, final Appendable out) throws IOException
    {
        final StringBuilder line = new StringBuilder(512);
        if (config(line, trace.settings()))
        {
            out.append(line.append('\n'));
        }
        for (final MutationValue op : trace.ops())
        {
            line.setLength(0);
            out.append(op(line, op).append('\n'));
        }
    }

    /**
     * @param trace the trace.
     * @return its canonical text.
     */
    public static String toText(final Trace trace)
    {
        final StringBuilder out = new StringBuilder();
        try
        {
            write(trace, out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /**
     * Appends the config line of the settings that differ from the defaults.
     *
     * @param out      receives the line, without its newline.
     * @param settings the settings.
     * @return false, appending nothing, when every setting is at its default.
     */
    public static boolean config(final StringBuilder out, final RegistrySettings settings)
    {
        final RegistrySettings d = RegistrySettings.defaults();
        if (settings.equals(d))
        {
            return false;
        }
        out.append("{\"op\":\"config\"");
        setting(out, "maxPeers", settings.maxPeers(), d.maxPeers());
        setting(out, "peerTtlMs", settings.peerTtlMs(), d.peerTtlMs());
        setting(out, "tombstoneTtlMs", settings.tombstoneTtlMs(), d.tombstoneTtlMs());
        setting(out, "maxTombstones", settings.maxTombstones(), d.maxTombstones());
        setting(out, "maxDevicesPerDid", settings.maxDevicesPerDid(), d.maxDevicesPerDid());
        setting(out, "maxPeersPerSubnet", settings.maxPeersPerSubnet(), d.maxPeersPerSubnet());
        setting(out, "maxBans", settings.maxBans(), d.maxBans());
        setting(out, "globalRateLimitPerSec", settings.globalRateLimitPerSec(), d.globalRateLimitPerSec());
        setting(out, "didRateLimitPerMin", settings.didRateLimitPerMin(), d.didRateLimitPerMin());
        if (null != settings.authorizedValidatorKeys())
        {
            out.append(",\"authorizedValidatorKeys\":[");
            boolean first = true;
            for (final PublicKey key : settings.authorizedValidatorKeys())
            {
                out.append(first ? "\"" : ",\"").append(key.toHex()).append('"');
                first = false;
            }
            out.append(']');
        }
        out.append('}');
        return true;
    }

    /**
     * Appends one op line.
     *
     * @param out receives the line, without its newline.
     * @param op  the op.
     * @return {@code out}.
     */
    public static StringBuilder op(final StringBuilder out, final Mutation op)
    {
        out.append("{\"op\":\"").append(opName(op)).append("\",\"t\":").append(op.time());
        switch (op.kind())
        {
            case UPSERT:
                CanonicalJson.record(out.append(",\"peer\":"), op.record());
                break;
            case REMOVE:
                out.append(",\"id\":\"").append(op.id().toHex()).append('"');
                break;
            case TOUCH:
                out.append(",\"id\":\"").append(op.id().toHex()).append("\",\"lastSeen\":").append(op.lastSeen());
                break;
            case BATCH:
                batchOps(out, op.batch());
                break;
            case BAN:
            case UNBAN:
                final Ban ban = op.ban();
                out.append(",\"kind\":\"").append(ban.kind().name().toLowerCase()).append("\",\"value\":");
                CanonicalJson.string(out, ban.value());
                if (ban.until() != Ban.FOREVER)
                {
                    out.append(",\"until\":").append(ban.until());
                }
                break;
            default:
                break;
        }
        return out.append('}');
    }

    private static void batchOps(final StringBuilder out, final Batch batch)
    {
        out.append(",\"ops\":[");
        for (int i = 0; i < batch.size(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            if (batch.isUpsert(i))
            {
                CanonicalJson.record(out.append("{\"op\":\"upsert\",\"peer\":"), batch.record(i)).append('}');
            }
            else
            {
                out.append("{\"op\":\"remove\",\"id\":\"").append(batch.removeId(i).toHex()).append("\"}");
            }
        }
        out.append(']');
    }

    private static String opName(final Mutation op)
    {
        return op.kind().name().toLowerCase();
    }

    private static void setting(final StringBuilder out, final String name, final long value, final long defaultValue)
    {
        if (value != defaultValue)
        {
            out.append(",\"").append(name).append("\":").append(value);
        }
    }
}
