package io.peerlane.admission;

import org.junit.jupiter.api.function.Executable;

/** One invalid input: the call that must be refused, the field it must name and the value it must quote. */
final class BadInput
{
    final String what;
    final String field;
    final String value;
    final Executable call;

    /**
     * @param what  a description for failures.
     * @param field the field the refusal must name.
     * @param value the refused value as text ({@code String.valueOf}), "null" when it is missing.
     * @param call  the call.
     */
    BadInput(final String what, final String field, final Object value, final Executable call)
    {
        this.what = what;
        this.field = field;
        this.value = String.valueOf(value);
        this.call = call;
    }

    @Override
    public String toString()
    {
        final String v = value.length() > 100 ? value.substring(0, 100) + "...(" + value.length() + " chars)" : value;
        return what + " -> " + field + " = " + v;
    }
}
