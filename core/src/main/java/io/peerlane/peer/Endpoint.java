package io.peerlane.peer;

import java.util.Objects;

/**
 * One address a peer can be reached at. Immutable; its IP (if the address has one) is read once here,
 * at the API boundary, so that the commit stage never parses text.
 */
public final class Endpoint
{
    private final String address;
    private final Protocol protocol;
    private final long latencyMs;
    private final double signal;
    private final IpAddress ip;

    private Endpoint(final String address, final Protocol protocol, final long latencyMs, final double signal)
    {
        this.address = address;
        this.protocol = protocol;
        this.latencyMs = latencyMs;
        this.signal = signal;
        this.ip = IpAddress.fromEndpointAddress(address);
    }

    /**
     * Validates and makes an endpoint.
     *
     * @param field     the field's path for errors, such as {@code peer.endpoints[0]}.
     * @param address   1 to 255 printable ASCII characters.
     * @param protocol  the transport.
     * @param latencyMs integer in [0, 2^53).
     * @param signal    number in [0, 1].
     * @return the endpoint.
     * @throws InvalidInputException naming the field when a value is out of range.
     */
    public static Endpoint of(
        final String field, final String address, final Protocol protocol, final long latencyMs, final double signal)
    {
        if (null == address)
        {
            throw new InvalidInputException(field + ".address", null, "is required");
        }
        if (address.isEmpty() || address.length() > Limits.MAX_ADDRESS_CHARS)
        {
            throw new InvalidInputException(
                field + ".address", address, "must be 1 to 255 characters, got " + address.length());
        }
        for (int i = 0; i < address.length(); i++)
        {
            final char c = address.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new InvalidInputException(
                    field + ".address", address, "must be printable ASCII (bad character at " + i + ")");
            }
        }
        if (null == protocol)
        {
            throw new InvalidInputException(field + ".protocol", null, "is required");
        }
        Limits.checkSafe(field + ".latencyMs", latencyMs);
        Limits.checkUnit(field + ".signal", signal);
        return new Endpoint(address, protocol, latencyMs, signal);
    }

    /**
     * @param address   1 to 255 printable ASCII characters.
     * @param protocol  the transport.
     * @param latencyMs integer in [0, 2^53).
     * @param signal    number in [0, 1].
     * @return the endpoint.
     */
    public static Endpoint of(final String address, final Protocol protocol, final long latencyMs, final double signal)
    {
        return of("endpoint", address, protocol, latencyMs, signal);
    }

    /** @return the address text. */
    public String address()
    {
        return address;
    }

    /** @return the transport. */
    public Protocol protocol()
    {
        return protocol;
    }

    /** @return measured latency in milliseconds. */
    public long latencyMs()
    {
        return latencyMs;
    }

    /** @return signal quality in [0, 1]. */
    public double signal()
    {
        return signal;
    }

    /** @return the IP of the address, or null when it has none (a host name, a Bluetooth address). */
    public IpAddress ip()
    {
        return ip;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Endpoint))
        {
            return false;
        }
        final Endpoint that = (Endpoint)o;
        return address.equals(that.address) && protocol == that.protocol && latencyMs == that.latencyMs &&
            Double.compare(signal, that.signal) == 0;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(address, protocol, latencyMs, signal);
    }

    @Override
    public String toString()
    {
        return protocol + " " + address;
    }
}
