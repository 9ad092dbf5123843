package io.peerlane.peer;

/**
 * The bounds of TRACE.md shared by validation, the trace codec and the journal.
 * <p>
 * Every time, time to live, version, count and setting lies in [0, 2^53) so that no sum of two of
 * them overflows a long and every one of them survives a round trip through a JSON number.
 */
public final class Limits
{
    /** Exclusive upper bound of every integer field: 2^53. */
    public static final long MAX_SAFE_EXCLUSIVE = 1L << 53;
    /** Longest DID, in characters. */
    public static final int MAX_DID_CHARS = 256;
    /** Longest device name, in characters. */
    public static final int MAX_DEVICE_CHARS = 64;
    /** Longest public key, in bytes. */
    public static final int MAX_PUBLIC_KEY_BYTES = 4096;
    /** Most endpoints on one record. */
    public static final int MAX_ENDPOINTS = 16;
    /** Longest endpoint address, in characters. */
    public static final int MAX_ADDRESS_CHARS = 255;
    /** Largest hop count. */
    public static final int MAX_HOP_COUNT = 255;
    /** Most ops in one batch. */
    public static final int MAX_BATCH_OPS = 1024;

    private Limits()
    {
    }

    /**
     * Checks an integer field against [0, 2^53).
     *
     * @param field name of the field for the error.
     * @param value the value.
     * @return the value.
     */
    public static long checkSafe(final String field, final long value)
    {
        if (value < 0 || value >= MAX_SAFE_EXCLUSIVE)
        {
            throw new InvalidInputException(field, value, "is outside [0, 2^53)");
        }
        return value;
    }

    /**
     * Checks a fraction against [0, 1].
     *
     * @param field name of the field for the error.
     * @param value the value.
     * @return the value.
     */
    public static double checkUnit(final String field, final double value)
    {
        if (!(value >= 0.0 && value <= 1.0))
        {
            throw new InvalidInputException(field, value, "is outside [0, 1]");
        }
        return value;
    }
}
