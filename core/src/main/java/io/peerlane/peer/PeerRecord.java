package io.peerlane.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An immutable peer record with exactly the fields of a TRACE.md peer record, in that order. The registry
 * stores it by reference; what only the registry knows ({@code firstSeen}, and {@code lastSeen} as raised by
 * touches) it keeps beside the record (see {@code RegistryView.firstSeen} and {@code lastSeen}).
 * <p>
 * Every record is validated when it is built, so a record that exists is a valid one: the commit stage
 * never re-checks fields and never parses text. The subnets of its endpoints (IPv4 /24, IPv6 /48) are
 * worked out once here for the same reason.
 */
public final class PeerRecord
{
    /**
     * DID syntax of TRACE.md. Records are checked by {@link #isDid(String)}, a hand-written scan of exactly this
     * language (a seeded differential test holds the two together): the regex engine's matcher and its
     * allocations were a third of building a record.
     */
    public static final Pattern DID_PATTERN =
        Pattern.compile("did:[a-z0-9]+:[A-Za-z0-9._%-]+(:[A-Za-z0-9._%-]+)*");
    /** Device syntax of TRACE.md; checked by {@link #isDevice(String)}, as for {@link #DID_PATTERN}. */
    static final Pattern DEVICE_PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long[] NO_SUBNETS = new long[0];

    private final NodeId id;
    private final String did;
    private final String device;
    private final PublicKey publicKey;
    private final long version;
    private final long lastSeen;
    private final List<Endpoint> endpoints;
    private final Tier tier;
    private final double trust;
    private final NodeType nodeType;
    private final long votingPower;
    private final boolean authenticated;
    private final boolean quantumSecure;
    private final boolean pinned;
    private final Discovery discovery;
    private final NodeId nextHop;
    private final int hopCount;
    private final double routeQuality;
    private final long[] subnets;

    /**
     * @param text any string.
     * @return whether the whole of it matches {@link #DID_PATTERN}, without a regex: {@code did:}, a method of
     * one or more of [a-z0-9], {@code :}, then one or more segments of [A-Za-z0-9._%-]+ joined by single colons.
     */
    public static boolean isDid(final String text)
    {
        final int length = text.length();
        if (length < 7 || !text.startsWith("did:"))
        {
            return false;
        }
        int i = 4;
        while (i < length)
        {
            final char c = text.charAt(i);
            if ((c < 'a' || c > 'z') && (c < '0' || c > '9'))
            {
                break;
            }
            i++;
        }
        if (i == 4 || i >= length || text.charAt(i) != ':')
        {
            return false;
        }
        boolean segmentStart = true;
        for (i++; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == ':')
            {
                if (segmentStart)
                {
                    return false;
                }
                segmentStart = true;
            }
            else if (isIdChar(c))
            {
                segmentStart = false;
            }
            else
            {
                return false;
            }
        }
        return !segmentStart;
    }

    /** @return whether {@code c} is in [A-Za-z0-9._%-]. */
    private static boolean isIdChar(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
            c == '%' || c == '-';
    }

    /** @return whether the whole of {@code text} matches {@link #DEVICE_PATTERN}: 1 to 64 of [A-Za-z0-9_-]. */
    static boolean isDevice(final String text)
    {
        final int length = text.length();
        if (length < 1 || length > 64)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if ((c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-')
            {
                return false;
            }
        }
        return true;
    }

    private PeerRecord(final Builder b, final List<Endpoint> endpoints, final long[] subnets)
    {
        this.id = b.id;
        this.did = b.did;
        this.device = b.device;
        this.publicKey = b.publicKey;
        this.version = b.version;
        this.lastSeen = b.lastSeen;
        this.endpoints = endpoints;
        this.tier = b.tier;
        this.trust = b.trust;
        this.nodeType = b.nodeType;
        this.votingPower = b.votingPower;
        this.authenticated = b.authenticated;
        this.quantumSecure = b.quantumSecure;
        this.pinned = b.pinned;
        this.discovery = b.discovery;
        this.nextHop = b.nextHop;
        this.hopCount = b.hopCount;
        this.routeQuality = b.routeQuality;
        this.subnets = subnets;
    }

    private PeerRecord(final PeerRecord r, final long lastSeen, final long version)
    {
        this.id = r.id;
        this.did = r.did;
        this.device = r.device;
        this.publicKey = r.publicKey;
        this.version = version;
        this.lastSeen = lastSeen;
        this.endpoints = r.endpoints;
        this.tier = r.tier;
        this.trust = r.trust;
        this.nodeType = r.nodeType;
        this.votingPower = r.votingPower;
        this.authenticated = r.authenticated;
        this.quantumSecure = r.quantumSecure;
        this.pinned = r.pinned;
        this.discovery = r.discovery;
        this.nextHop = r.nextHop;
        this.hopCount = r.hopCount;
        this.routeQuality = r.routeQuality;
        this.subnets = r.subnets;
    }

    /**
     * @param id the peer's node id.
     * @return a builder with every optional field at its default.
     */
    public static Builder builder(final NodeId id)
    {
        return new Builder().id(id);
    }

    /**
     * @return a builder with no field set.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return a builder holding this record's fields.
     */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.id = id;
        b.did = did;
        b.device = device;
        b.publicKey = publicKey;
        b.version = version;
        b.lastSeen = lastSeen;
        b.endpoints.addAll(endpoints);
        b.tier = tier;
        b.trust = trust;
        b.nodeType = nodeType;
        b.votingPower = votingPower;
        b.authenticated = authenticated;
        b.quantumSecure = quantumSecure;
        b.pinned = pinned;
        b.discovery = discovery;
        b.nextHop = nextHop;
        b.hopCount = hopCount;
        b.routeQuality = routeQuality;
        return b;
    }

    /**
     * The same peer at another version and liveness, sharing every other field: for producers that
     * re-announce a known peer without rebuilding and re-validating the whole record.
     *
     * @param version  the new version, in [0, 2^53).
     * @param lastSeen the new liveness, in [0, 2^53).
     * @return the record.
     */
    public PeerRecord withVersion(final long version, final long lastSeen)
    {
        Limits.checkSafe("peer.version", version);
        Limits.checkSafe("peer.lastSeen", lastSeen);
        return new PeerRecord(this, lastSeen, version);
    }

    /** @return the node id. */
    public NodeId id()
    {
        return id;
    }

    /** @return the DID. */
    public String did()
    {
        return did;
    }

    /** @return the device name. */
    public String device()
    {
        return device;
    }

    /** @return the public key. */
    public PublicKey publicKey()
    {
        return publicKey;
    }

    /** @return the per-peer version (a signed record's sequence number or an incarnation). */
    public long version()
    {
        return version;
    }

    /** @return liveness, ms since the epoch. */
    public long lastSeen()
    {
        return lastSeen;
    }

    /** @return the endpoints, unmodifiable. */
    public List<Endpoint> endpoints()
    {
        return endpoints;
    }

    /** @return the trust tier. */
    public Tier tier()
    {
        return tier;
    }

    /** @return trust in [0, 1]. */
    public double trust()
    {
        return trust;
    }

    /** @return the node type. */
    public NodeType nodeType()
    {
        return nodeType;
    }

    /** @return voting power. */
    public long votingPower()
    {
        return votingPower;
    }

    /** @return whether the peer is authenticated. */
    public boolean authenticated()
    {
        return authenticated;
    }

    /** @return whether the peer's channel is quantum-secure. */
    public boolean quantumSecure()
    {
        return quantumSecure;
    }

    /** @return whether the peer is pinned: never evicted, never expired. */
    public boolean pinned()
    {
        return pinned;
    }

    /** @return how the peer was discovered. */
    public Discovery discovery()
    {
        return discovery;
    }

    /** @return the next hop towards the peer, or null when it is direct. */
    public NodeId nextHop()
    {
        return nextHop;
    }

    /** @return hops to the peer. */
    public int hopCount()
    {
        return hopCount;
    }

    /** @return route quality in [0, 1]. */
    public double routeQuality()
    {
        return routeQuality;
    }

    /**
     * @return number of distinct subnets (IPv4 /24, IPv6 /48) among the endpoints.
     */
    public int subnetCount()
    {
        return subnets.length;
    }

    /**
     * @param index from 0 to {@link #subnetCount()} - 1.
     * @return the subnet key, as {@link IpAddress#subnetKey()}.
     */
    public long subnet(final int index)
    {
        return subnets[index];
    }

    /**
     * @param key a subnet key.
     * @return whether one of the endpoints lies in that subnet.
     */
    public boolean hasSubnet(final long key)
    {
        return Arrays.binarySearch(subnets, key) >= 0;
    }

    /**
     * @param other another record.
     * @return whether both have the same subnets.
     */
    public boolean sameSubnets(final PeerRecord other)
    {
        return subnets == other.subnets || Arrays.equals(subnets, other.subnets);
    }

    /**
     * @param protocol a transport.
     * @return whether one endpoint uses it.
     */
    public boolean hasProtocol(final Protocol protocol)
    {
        for (int i = 0; i < endpoints.size(); i++)
        {
            if (endpoints.get(i).protocol() == protocol)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param other another record.
     * @return whether every field is equal.
     */
    public boolean sameFields(final PeerRecord other)
    {
        return id.equals(other.id) && did.equals(other.did) && device.equals(other.device) &&
            publicKey.equals(other.publicKey) && version == other.version && lastSeen == other.lastSeen &&
            endpoints.equals(other.endpoints) && tier == other.tier && Double.compare(trust, other.trust) == 0 &&
            nodeType == other.nodeType && votingPower == other.votingPower && authenticated == other.authenticated &&
            quantumSecure == other.quantumSecure && pinned == other.pinned && discovery == other.discovery &&
            Objects.equals(nextHop, other.nextHop) && hopCount == other.hopCount &&
            Double.compare(routeQuality, other.routeQuality) == 0;
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof PeerRecord && sameFields((PeerRecord)o));
    }

    @Override
    public int hashCode()
    {
        return id.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString()
    {
        return "PeerRecord{id=" + id + ", did=" + did + ", device=" + device + ", version=" + version +
            ", lastSeen=" + lastSeen + ", tier=" + tier + ", nodeType=" + nodeType + ", pinned=" + pinned + "}";
    }

    /**
     * Builds a record. Required: id, did, device, publicKey, version, lastSeen; every other field has the
     * default of TRACE.md. {@link #build()} validates every field and names the first bad one.
     */
    public static final class Builder
    {
        private NodeId id;
        private String did;
        private String device;
        private PublicKey publicKey;
        private long version = -1;
        private long lastSeen = -1;
        private final List<Endpoint> endpoints = new ArrayList<>();
        private Tier tier = Tier.TIER3;
        private double trust = 0.5;
        private NodeType nodeType = NodeType.FULL;
        private long votingPower;
        private boolean authenticated;
        private boolean quantumSecure;
        private boolean pinned;
        private Discovery discovery = Discovery.MANUAL;
        private NodeId nextHop;
        private int hopCount;
        private double routeQuality;
        private String fieldPrefix = "peer";

        private Builder()
        {
        }

        /**
         * @param prefix path prepended to field names in errors, such as {@code ops[3].peer}.
         * @return this.
         */
        public Builder fieldPrefix(final String prefix)
        {
            this.fieldPrefix = prefix;
            return this;
        }

        /** @param id node id. @return this. */
        public Builder id(final NodeId id)
        {
            this.id = id;
            return this;
        }

        /** @param did the DID. @return this. */
        public Builder did(final String did)
        {
            this.did = did;
            return this;
        }

        /** @param device device name. @return this. */
        public Builder device(final String device)
        {
            this.device = device;
            return this;
        }

        /** @param publicKey the key. @return this. */
        public Builder publicKey(final PublicKey publicKey)
        {
            this.publicKey = publicKey;
            return this;
        }

        /** @param hex the key as lowercase hex. @return this. */
        public Builder publicKeyHex(final String hex)
        {
            this.publicKey = PublicKey.fromHex(fieldPrefix + ".publicKey", hex);
            return this;
        }

        /** @param version the per-peer version. @return this. */
        public Builder version(final long version)
        {
            this.version = version;
            return this;
        }

        /** @param lastSeen liveness, ms since the epoch. @return this. */
        public Builder lastSeen(final long lastSeen)
        {
            this.lastSeen = lastSeen;
            return this;
        }

        /** @param endpoint an endpoint to add. @return this. */
        public Builder endpoint(final Endpoint endpoint)
        {
            this.endpoints.add(endpoint);
            return this;
        }

        /** @param endpoints endpoints replacing any added before. @return this. */
        public Builder endpoints(final List<Endpoint> endpoints)
        {
            this.endpoints.clear();
            this.endpoints.addAll(endpoints);
            return this;
        }

        /** @param tier trust tier. @return this. */
        public Builder tier(final Tier tier)
        {
            this.tier = tier;
            return this;
        }

        /** @param trust trust in [0, 1]. @return this. */
        public Builder trust(final double trust)
        {
            this.trust = trust;
            return this;
        }

        /** @param nodeType node type. @return this. */
        public Builder nodeType(final NodeType nodeType)
        {
            this.nodeType = nodeType;
            return this;
        }

        /** @param votingPower voting power. @return this. */
        public Builder votingPower(final long votingPower)
        {
            this.votingPower = votingPower;
            return this;
        }

        /** @param authenticated whether authenticated. @return this. */
        public Builder authenticated(final boolean authenticated)
        {
            this.authenticated = authenticated;
            return this;
        }

        /** @param quantumSecure whether quantum-secure. @return this. */
        public Builder quantumSecure(final boolean quantumSecure)
        {
            this.quantumSecure = quantumSecure;
            return this;
        }

        /** @param pinned whether pinned. @return this. */
        public Builder pinned(final boolean pinned)
        {
            this.pinned = pinned;
            return this;
        }

        /** @param discovery discovery method. @return this. */
        public Builder discovery(final Discovery discovery)
        {
            this.discovery = discovery;
            return this;
        }

        /** @param nextHop next hop, or null for direct. @return this. */
        public Builder nextHop(final NodeId nextHop)
        {
            this.nextHop = nextHop;
            return this;
        }

        /** @param hopCount hops, 0 to 255. @return this. */
        public Builder hopCount(final int hopCount)
        {
            this.hopCount = hopCount;
            return this;
        }

        /** @param routeQuality route quality in [0, 1]. @return this. */
        public Builder routeQuality(final double routeQuality)
        {
            this.routeQuality = routeQuality;
            return this;
        }

        /**
         * Validates every field and makes the record.
         *
         * @return the record.
         * @throws InvalidInputException naming the first field that breaks its rule.
         */
        public PeerRecord build()
        {
            final String p = fieldPrefix;
            if (null == id)
            {
                throw new InvalidInputException(p + ".id", null, "is required: 64 lowercase hex characters");
            }
            if (null == did)
            {
                throw new InvalidInputException(p + ".did", null, "is required");
            }
            if (did.length() > Limits.MAX_DID_CHARS)
            {
                throw new InvalidInputException(p + ".did", did, "must be at most 256 characters, got " + did.length());
            }
            if (!isDid(did))
            {
                throw new InvalidInputException(p + ".did", did, "must match did:[a-z0-9]+:[A-Za-z0-9._%-]+(:...)*");
            }
            if (null == device)
            {
                throw new InvalidInputException(p + ".device", null, "is required");
            }
            if (!isDevice(device))
            {
                throw new InvalidInputException(p + ".device", device, "must be 1 to 64 of [A-Za-z0-9_-]");
            }
            if (null == publicKey)
            {
                throw new InvalidInputException(p + ".publicKey", null, "is required: lowercase hex, 1 to 4096 bytes");
            }
            if (version < 0)
            {
                throw new InvalidInputException(p + ".version", version == -1 ? null : version,
                    version == -1 ? "is required: an integer in [0, 2^53)" : "is outside [0, 2^53)");
            }
            Limits.checkSafe(p + ".version", version);
            if (lastSeen == -1)
            {
                throw new InvalidInputException(p + ".lastSeen", null, "is required: ms since the epoch in [0, 2^53)");
            }
            Limits.checkSafe(p + ".lastSeen", lastSeen);
            if (endpoints.size() > Limits.MAX_ENDPOINTS)
            {
                throw new InvalidInputException(p + ".endpoints", endpoints.size() + " endpoints", "must be at most 16");
            }
            for (int i = 0; i < endpoints.size(); i++)
            {
                final Endpoint e = endpoints.get(i);
                if (null == e)
                {
                    throw new InvalidInputException(p + ".endpoints[" + i + "]", null, "is required");
                }
                for (int j = 0; j < i; j++)
                {
                    final Endpoint o = endpoints.get(j);
                    if (o.address().equals(e.address()) && o.protocol() == e.protocol())
                    {
                        throw new InvalidInputException(p + ".endpoints[" + i + "]", e.address() + " " + e.protocol(),
                            "repeats the address and protocol of endpoints[" + j + "]");
                    }
                }
            }
            requireNonNull(p + ".tier", tier);
            Limits.checkUnit(p + ".trust", trust);
            requireNonNull(p + ".nodeType", nodeType);
            Limits.checkSafe(p + ".votingPower", votingPower);
            requireNonNull(p + ".discovery", discovery);
            if (null != nextHop && nextHop.equals(id))
            {
                throw new InvalidInputException(p + ".nextHop", nextHop.toHex(), "must not be the peer's own id");
            }
            if (hopCount < 0 || hopCount > Limits.MAX_HOP_COUNT)
            {
                throw new InvalidInputException(p + ".hopCount", hopCount, "is outside [0, 255]");
            }
            Limits.checkUnit(p + ".routeQuality", routeQuality);
            return new PeerRecord(this, Collections.unmodifiableList(new ArrayList<>(endpoints)), subnetsOf(endpoints));
        }

        private static void requireNonNull(final String field, final Object value)
        {
            if (null == value)
            {
                throw new InvalidInputException(field, null, "is required");
            }
        }

        private static long[] subnetsOf(final List<Endpoint> endpoints)
        {
            long[] keys = NO_SUBNETS;
            int count = 0;
            for (final Endpoint e : endpoints)
            {
                if (null != e.ip())
                {
                    if (count == keys.length)
                    {
                        keys = Arrays.copyOf(keys, Math.max(2, count * 2));
                    }
                    keys[count++] = e.ip().subnetKey();
                }
            }
            if (count == 0)
            {
                return NO_SUBNETS;
            }
            final long[] sorted = Arrays.copyOf(keys, count);
            Arrays.sort(sorted);
            int distinct = 1;
            for (int i = 1; i < count; i++)
            {
                if (sorted[i] != sorted[distinct - 1])
                {
                    sorted[distinct++] = sorted[i];
                }
            }
            return distinct == count ? sorted : Arrays.copyOf(sorted, distinct);
        }
    }
}
