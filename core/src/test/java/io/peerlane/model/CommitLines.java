package io.peerlane.model;

import io.peerlane.observer.RegistryEvent;
import io.peerlane.peer.PeerRecord;
import io.peerlane.state.Change;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryView;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders what the production code decided ({@link CommitResult}, {@link RegistryEvent},
 * {@link RegistryView}) as TRACE.md's canonical lines, with the model's writer, so the two sides compare
 * as text. Only the reading of the production objects lives here; the format is {@link CanonicalJson}'s and
 * {@link RecordLines}'.
 */
public final class CommitLines
{
    private CommitLines()
    {
    }

    /**
     * @param line   the op's line number.
     * @param result what the commit stage decided.
     * @return the outcome line, then the event lines.
     */
    public static List<String> of(final int line, final CommitResult result)
    {
        final List<String> out = new ArrayList<>();
        final CanonicalJson o = new CanonicalJson().open().key("line").number(line).key("outcome").string(result.code().name());
        if (result.failedOp() >= 0)
        {
            o.key("failedOp").number(result.failedOp());
        }
        if (null != result.reason())
        {
            o.key("reason").string(result.reason());
        }
        if (null != result.cause())
        {
            o.key("cause").string(result.cause().name());
        }
        out.add(o.close().toString());

        final RegistryEvent event = new RegistryEvent();
        for (int i = 0; i < result.lineCount(); i++)
        {
            event.wrap(result, i);
            final CanonicalJson j = new CanonicalJson().open().key("seq").number(event.seq());
            if (event.isBatch())
            {
                j.key("event").string("BATCH").key("changes").openArray();
                for (int c = 0; c < event.changeCount(); c++)
                {
                    j.open();
                    change(j, event.change(c));
                    j.close();
                }
                j.closeArray();
            }
            else
            {
                change(j, event.change());
            }
            out.add(j.close().toString());
        }
        return out;
    }

    /**
     * @param view the registry's view.
     * @return its state lines and the digest line.
     */
    public static List<String> state(final RegistryView view)
    {
        return state(view, new IdentityHashMap<>());
    }

    /**
     * @param view  the registry's view.
     * @param cache lines already written, by record identity (records are immutable), each with the
     *              registry's lastSeen and firstSeen it was written for; filled as it goes.
     * @return its state lines and the digest line.
     */
    public static List<String> state(final RegistryView view, final Map<PeerRecord, CachedLine> cache)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < view.size(); i++)
        {
            final PeerRecord r = view.recordAt(i);
            final long lastSeen = view.lastSeenAt(i);
            final long firstSeen = view.firstSeenAt(i);
            CachedLine cached = cache.get(r);
            if (null == cached || cached.lastSeen != lastSeen || cached.firstSeen != firstSeen)
            {
                cached = new CachedLine(lastSeen, firstSeen, RecordLines.stateLine(r, lastSeen, firstSeen));
                cache.put(r, cached);
            }
            lines.add(cached.line);
        }
        return RecordLines.withDigest(lines);
    }

    private static void change(final CanonicalJson j, final Change c)
    {
        j.key("event").string(c.type().name()).key("id").string(c.id().toHex());
        switch (c.type())
        {
            case ADDED:
                j.key("version").number(c.record().version());
                break;
            case UPDATED:
                j.key("version").number(c.record().version()).key("previousVersion").number(c.previousVersion());
                break;
            case REMOVED:
                j.key("cause").string(c.cause().name());
                break;
            default:
                j.key("lastSeen").number(c.lastSeen());
                break;
        }
    }

    /** A state line and the liveness it was written for. */
    public static final class CachedLine
    {
        final long lastSeen;
        final long firstSeen;
        final String line;

        CachedLine(final long lastSeen, final long firstSeen, final String line)
        {
            this.lastSeen = lastSeen;
            this.firstSeen = firstSeen;
            this.line = line;
        }
    }
}
