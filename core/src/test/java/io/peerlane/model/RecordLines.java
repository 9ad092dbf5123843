package io.peerlane.model;

import io.peerlane.peer.Endpoint;
import io.peerlane.peer.PeerRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * TRACE.md's state lines: one per live peer with every record field in the table's order (defaults filled,
 * {@code nextHop} only when set), then {@code firstSeen}; and the closing {@code peers}/{@code digest} line.
 */
public final class RecordLines
{
    private RecordLines()
    {
    }

    /**
     * @param r         the record as stored.
     * @param lastSeen  the stored {@code lastSeen} (a touch may have raised it past the record's).
     * @param firstSeen the stored {@code firstSeen}.
     * @return the state line, without its newline.
     */
    public static String stateLine(final PeerRecord r, final long lastSeen, final long firstSeen)
    {
        final CanonicalJson j = new CanonicalJson().open();
        j.key("id").string(r.id().toHex());
        j.key("did").string(r.did());
        j.key("device").string(r.device());
        j.key("publicKey").string(r.publicKey().toHex());
        j.key("version").number(r.version());
        j.key("lastSeen").number(lastSeen);
        j.key("endpoints").openArray();
        for (final Endpoint e : r.endpoints())
        {
            j.open()
                .key("address").string(e.address())
                .key("protocol").string(e.protocol().name())
                .key("latencyMs").number(e.latencyMs())
                .key("signal").decimal(e.signal())
                .close();
        }
        j.closeArray();
        j.key("tier").string(r.tier().name());
        j.key("trust").decimal(r.trust());
        j.key("nodeType").string(r.nodeType().name());
        j.key("votingPower").number(r.votingPower());
        j.key("authenticated").bool(r.authenticated());
        j.key("quantumSecure").bool(r.quantumSecure());
        j.key("pinned").bool(r.pinned());
        j.key("discovery").string(r.discovery().name());
        if (null != r.nextHop())
        {
            j.key("nextHop").string(r.nextHop().toHex());
        }
        j.key("hopCount").number(r.hopCount());
        j.key("routeQuality").decimal(r.routeQuality());
        j.key("firstSeen").number(firstSeen);
        return j.close().toString();
    }

    /**
     * @param peerLines the state lines of the live peers, in id order.
     * @return those lines followed by the {@code {"peers":N,"digest":...}} line.
     */
    public static List<String> withDigest(final List<String> peerLines)
    {
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        for (final String line : peerLines)
        {
            sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        final StringBuilder hex = new StringBuilder(64);
        for (final byte b : sha.digest())
        {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        final List<String> out = new ArrayList<>(peerLines);
        out.add(new CanonicalJson().open().key("peers").number(peerLines.size()).key("digest").string(hex.toString())
            .close().toString());
        return out;
    }
}
