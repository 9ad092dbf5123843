package io.peerlane.digest;

import io.peerlane.state.RegistryView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The state digest of TRACE.md: SHA-256 over a view's state lines (canonical JSON, one per live peer in id
 * order, each with its newline), as lowercase hex. With no live peer it is the SHA-256 of nothing.
 * <p>
 * The state report and the digest are made by one loop, so the digest a report ends with is always the
 * digest of the lines above it. An instance reuses its line buffer and byte buffer; it is not thread-safe.
 */
public final class StateDigest
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final MessageDigest sha256;
    private final StringBuilder line = new StringBuilder(512);
    private byte[] bytes = new byte[512];

    /** Makes a digest with nothing fed to it. */
    public StateDigest()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param view a registry view.
     * @return the digest of its state lines, as lowercase hex.
     */
    public static String of(final RegistryView view)
    {
        return new StateDigest().feed(view, null);
    }

    /**
     * Writes the state report of a view: a state line per live peer in id order, then
     * {@code {"peers":N,"digest":"..."}}, each line ending in {@code \n}.
     *
     * @param view the view.
     * @param out  receives the lines.
     * @return the digest, as lowercase hex.
     * @throws IOException when {@code out} fails.
     */
    public String report(final RegistryView view, final Appendable out) throws IOException
    {
        try
        {
            final String digest = feed(view, out);
            line.setLength(0);
            CanonicalJson.digestLine(line, view.size(), digest).append('\n');
            out.append(line);
            return digest;
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    private String feed(final RegistryView view, final Appendable out)
    {
        sha256.reset();
        for (int i = 0; i < view.size(); i++)
        {
            line.setLength(0);
            CanonicalJson.stateLine(line, view.recordAt(i), view.lastSeenAt(i), view.firstSeenAt(i)).append('\n');
            update(line);
            if (null != out)
            {
                try
                {
                    out.append(line);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        return hex(sha256.digest());
    }

    private void update(final CharSequence text)
    {
        final int n = text.length();
        if (bytes.length < n)
        {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x80)
            {
                // Records hold ASCII only today; stay correct if that ever changes.
                sha256.update(text.toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[i] = (byte)c;
        }
        sha256.update(bytes, 0, n);
    }

    private static String hex(final byte[] digest)
    {
        final char[] chars = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++)
        {
            chars[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            chars[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(chars);
    }
}
