package io.peerlane.admission;

import io.peerlane.outcome.ChangeType;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.state.Change;
import io.peerlane.state.CommitResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable copy of what the commit stage decided for one op: the outcome and every change it made,
 * written as short lines ({@code "REMOVED 1 BANNED"}, {@code "ADDED 4"}) so that a test states the
 * expected events in one readable list.
 */
final class Committed
{
    final OutcomeCode code;
    final String reason;
    final int failedOp;
    final long time;
    final List<String> changes;

    private Committed(final CommitResult r)
    {
        code = r.code();
        reason = r.reason();
        failedOp = r.failedOp();
        time = r.time();
        final List<String> lines = new ArrayList<>(r.changeCount());
        for (int i = 0; i < r.changeCount(); i++)
        {
            lines.add(describe(r.change(i)));
        }
        changes = Collections.unmodifiableList(lines);
    }

    static Committed of(final CommitResult r)
    {
        return new Committed(r);
    }

    /** Peers of the tests have ids whose last word is a small number: the line names that number. */
    private static String describe(final Change c)
    {
        final String n = Long.toString(c.id().word(3));
        if (c.type() == ChangeType.REMOVED)
        {
            return "REMOVED " + n + " " + c.cause();
        }
        return c.type() + " " + n;
    }

    /** @return the outcome and its reason, such as {@code "REJECTED DEVICE_LIMIT"}. */
    String outcome()
    {
        return code + (null == reason ? "" : " " + reason) + (failedOp < 0 ? "" : " op " + failedOp);
    }

    @Override
    public String toString()
    {
        return outcome() + " " + changes;
    }
}
