package io.peerlane.subsystem.kademlia;

import io.peerlane.config.Configuration;
import io.peerlane.peer.InvalidInputException;

/**
 * The limits of a {@link KademliaTable}, fixed when it is made. A limit of 0 means no limit for the two
 * diversity limits.
 * <p>
 * Diversity limits count table members only, never replacements: they exist so that one network cannot
 * fill a bucket or the table and eclipse the node, and a replacement routes nothing until it is promoted.
 * What counts as one network is a prefix length per family and per scope: by default an IPv4 /24 and an
 * IPv6 /48 for both the bucket and the table limit (TRACE.md's subnet); go-ethereum counts /24s, libp2p
 * groups IPv4 by /16. IPv6 prefixes stop at /64, the end of the routing prefix.
 * <p>
 * Immutable once built: a table copies nothing from its builder afterwards. Each setting has a system property
 * ({@code peerlane.kademlia.*}, in {@link Configuration}), read only by {@link #fromSystemProperties()}, which is
 * what {@link KademliaTable#KademliaTable(io.peerlane.peer.NodeId)} and
 * {@link KademliaObserver#KademliaObserver(io.peerlane.peer.NodeId)} use; {@link #defaults()} and
 * {@link #builder()} never read one.
 */
public final class KademliaSettings
{
    /** Default bucket size k. */
    public static final int K_DEFAULT = Configuration.KADEMLIA_K_DEFAULT;
    /** Default most members of one subnet in one bucket. */
    public static final int MAX_PER_SUBNET_IN_BUCKET_DEFAULT = Configuration.KADEMLIA_MAX_PER_SUBNET_IN_BUCKET_DEFAULT;
    /** Default most members of one subnet in the whole table. */
    public static final int MAX_PER_SUBNET_IN_TABLE_DEFAULT = Configuration.KADEMLIA_MAX_PER_SUBNET_IN_TABLE_DEFAULT;
    /** Default IPv4 prefix length of one network, for both diversity limits. */
    public static final int IPV4_PREFIX_DEFAULT = Configuration.KADEMLIA_IPV4_PREFIX_DEFAULT;
    /** Default IPv6 prefix length of one network, for both diversity limits. */
    public static final int IPV6_PREFIX_DEFAULT = Configuration.KADEMLIA_IPV6_PREFIX_DEFAULT;
    /** Longest IPv4 prefix. */
    public static final int IPV4_PREFIX_MAX = 32;
    /** Longest IPv6 prefix: the routing prefix of an address, its first 64 bits. */
    public static final int IPV6_PREFIX_MAX = 64;

    private final int k;
    private final int replacementCacheSize;
    private final int maxPerSubnetInBucket;
    private final int maxPerSubnetInTable;
    private final boolean keepAllCandidates;
    private final int ipv4BucketPrefix;
    private final int ipv6BucketPrefix;
    private final int ipv4TablePrefix;
    private final int ipv6TablePrefix;

    private KademliaSettings(final Builder b)
    {
        this.k = b.k;
        this.replacementCacheSize = b.replacementCacheSize < 0 ? b.k : b.replacementCacheSize;
        this.maxPerSubnetInBucket = b.maxPerSubnetInBucket;
        this.maxPerSubnetInTable = b.maxPerSubnetInTable;
        this.keepAllCandidates = b.keepAllCandidates;
        this.ipv4BucketPrefix = b.ipv4BucketPrefix;
        this.ipv6BucketPrefix = b.ipv6BucketPrefix;
        this.ipv4TablePrefix = b.ipv4TablePrefix;
        this.ipv6TablePrefix = b.ipv6TablePrefix;
    }

    /**
     * @return the defaults, whatever the system properties say: k = 20, a replacement cache of k, 2 per subnet in
     * a bucket, 10 in the table.
     */
    public static KademliaSettings defaults()
    {
        return builder().build();
    }

    /** @return a builder holding the defaults; no system property is read. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Reads the {@code peerlane.kademlia.*} system properties once, now: each setting set there starts at its
     * value, every other one at its default; the builder's setters then override any of them.
     *
     * @return a builder.
     * @throws IllegalArgumentException naming the property and its value when one does not parse or is out of
     *                                  its range.
     */
    public static Builder fromSystemProperties()
    {
        final Builder b = new Builder();
        b.k = property(Configuration.KADEMLIA_K_PROP_NAME, K_DEFAULT, 1, Integer.MAX_VALUE);
        b.replacementCacheSize =
            property(Configuration.KADEMLIA_REPLACEMENT_CACHE_SIZE_PROP_NAME, -1, 0, Integer.MAX_VALUE);
        b.maxPerSubnetInBucket = property(Configuration.KADEMLIA_MAX_PER_SUBNET_IN_BUCKET_PROP_NAME,
            MAX_PER_SUBNET_IN_BUCKET_DEFAULT, 0, Integer.MAX_VALUE);
        b.maxPerSubnetInTable = property(Configuration.KADEMLIA_MAX_PER_SUBNET_IN_TABLE_PROP_NAME,
            MAX_PER_SUBNET_IN_TABLE_DEFAULT, 0, Integer.MAX_VALUE);
        b.keepAllCandidates = Configuration.booleanValue(
            Configuration.KADEMLIA_KEEP_ALL_CANDIDATES_PROP_NAME, Configuration.KADEMLIA_KEEP_ALL_CANDIDATES_DEFAULT);
        b.ipv4BucketPrefix =
            property(Configuration.KADEMLIA_IPV4_BUCKET_PREFIX_PROP_NAME, IPV4_PREFIX_DEFAULT, 1, IPV4_PREFIX_MAX);
        b.ipv6BucketPrefix =
            property(Configuration.KADEMLIA_IPV6_BUCKET_PREFIX_PROP_NAME, IPV6_PREFIX_DEFAULT, 1, IPV6_PREFIX_MAX);
        b.ipv4TablePrefix =
            property(Configuration.KADEMLIA_IPV4_TABLE_PREFIX_PROP_NAME, IPV4_PREFIX_DEFAULT, 1, IPV4_PREFIX_MAX);
        b.ipv6TablePrefix =
            property(Configuration.KADEMLIA_IPV6_TABLE_PREFIX_PROP_NAME, IPV6_PREFIX_DEFAULT, 1, IPV6_PREFIX_MAX);
        return b;
    }

    private static int property(final String name, final int defaultValue, final int min, final int max)
    {
        final int value = Configuration.intValue(name, defaultValue);
        if (Configuration.isSet(name) && (value < min || value > max))
        {
            throw Configuration.badValue(name, System.getProperty(name), "is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /** @return a builder holding these settings. */
    public Builder toBuilder()
    {
        return new Builder()
            .k(k)
            .replacementCacheSize(replacementCacheSize)
            .maxPerSubnetInBucket(maxPerSubnetInBucket)
            .maxPerSubnetInTable(maxPerSubnetInTable)
            .keepAllCandidates(keepAllCandidates)
            .ipv4BucketPrefix(ipv4BucketPrefix)
            .ipv6BucketPrefix(ipv6BucketPrefix)
            .ipv4TablePrefix(ipv4TablePrefix)
            .ipv6TablePrefix(ipv6TablePrefix);
    }

    /** @return most members of one bucket. */
    public int k()
    {
        return k;
    }

    /** @return most replacements one bucket remembers (the replacement cache). */
    public int replacementCacheSize()
    {
        return replacementCacheSize;
    }

    /** @return most members of one subnet in one bucket, 0 for no limit. */
    public int maxPerSubnetInBucket()
    {
        return maxPerSubnetInBucket;
    }

    /** @return most members of one subnet in the table, 0 for no limit. */
    public int maxPerSubnetInTable()
    {
        return maxPerSubnetInTable;
    }

    /**
     * @return whether a replacement pushed out of the bounded cache is still remembered, behind the cache,
     * until it is removed: see {@link Builder#keepAllCandidates(boolean)}.
     */
    public boolean keepAllCandidates()
    {
        return keepAllCandidates;
    }

    /** @return bits of an IPv4 address that name its network for {@link #maxPerSubnetInBucket()}. */
    public int ipv4BucketPrefix()
    {
        return ipv4BucketPrefix;
    }

    /** @return bits of an IPv6 address that name its network for {@link #maxPerSubnetInBucket()}. */
    public int ipv6BucketPrefix()
    {
        return ipv6BucketPrefix;
    }

    /** @return bits of an IPv4 address that name its network for {@link #maxPerSubnetInTable()}. */
    public int ipv4TablePrefix()
    {
        return ipv4TablePrefix;
    }

    /** @return bits of an IPv6 address that name its network for {@link #maxPerSubnetInTable()}. */
    public int ipv6TablePrefix()
    {
        return ipv6TablePrefix;
    }

    @Override
    public String toString()
    {
        return "KademliaSettings{k=" + k + ", replacementCacheSize=" + replacementCacheSize +
            ", maxPerSubnetInBucket=" + maxPerSubnetInBucket + ", maxPerSubnetInTable=" + maxPerSubnetInTable +
            ", keepAllCandidates=" + keepAllCandidates + ", ipv4BucketPrefix=" + ipv4BucketPrefix +
            ", ipv6BucketPrefix=" + ipv6BucketPrefix + ", ipv4TablePrefix=" + ipv4TablePrefix +
            ", ipv6TablePrefix=" + ipv6TablePrefix + "}";
    }

    /** Collects settings; {@link #build()} checks them once. */
    public static final class Builder
    {
        private int k = K_DEFAULT;
        private int replacementCacheSize = -1;
        private int maxPerSubnetInBucket = MAX_PER_SUBNET_IN_BUCKET_DEFAULT;
        private int maxPerSubnetInTable = MAX_PER_SUBNET_IN_TABLE_DEFAULT;
        private boolean keepAllCandidates;
        private int ipv4BucketPrefix = IPV4_PREFIX_DEFAULT;
        private int ipv6BucketPrefix = IPV6_PREFIX_DEFAULT;
        private int ipv4TablePrefix = IPV4_PREFIX_DEFAULT;
        private int ipv6TablePrefix = IPV6_PREFIX_DEFAULT;

        private Builder()
        {
        }

        /** @param bits IPv4 prefix of one network for the per-bucket limit, 1 to 32 (default 24). @return this. */
        public Builder ipv4BucketPrefix(final int bits)
        {
            this.ipv4BucketPrefix = bits;
            return this;
        }

        /** @param bits IPv6 prefix of one network for the per-bucket limit, 1 to 64 (default 48). @return this. */
        public Builder ipv6BucketPrefix(final int bits)
        {
            this.ipv6BucketPrefix = bits;
            return this;
        }

        /** @param bits IPv4 prefix of one network for the per-table limit, 1 to 32 (default 24). @return this. */
        public Builder ipv4TablePrefix(final int bits)
        {
            this.ipv4TablePrefix = bits;
            return this;
        }

        /** @param bits IPv6 prefix of one network for the per-table limit, 1 to 64 (default 48). @return this. */
        public Builder ipv6TablePrefix(final int bits)
        {
            this.ipv6TablePrefix = bits;
            return this;
        }

        /** @param k most members of one bucket, at least 1. @return this. */
        public Builder k(final int k)
        {
            this.k = k;
            return this;
        }

        /** @param size most replacements per bucket, at least 0 (default k). @return this. */
        public Builder replacementCacheSize(final int size)
        {
            this.replacementCacheSize = size;
            return this;
        }

        /** @param max most members of one subnet in one bucket, 0 for no limit. @return this. */
        public Builder maxPerSubnetInBucket(final int max)
        {
            this.maxPerSubnetInBucket = max;
            return this;
        }

        /** @param max most members of one subnet in the table, 0 for no limit. @return this. */
        public Builder maxPerSubnetInTable(final int max)
        {
            this.maxPerSubnetInTable = max;
            return this;
        }

        /**
         * A table fed by the registry must never forget a live peer: when a member leaves, every eligible
         * live peer of its range has to be at hand, including ones a bounded cache would have dropped. With
         * this set, a replacement pushed out of the cache stays behind it (bounded by the registry's own
         * capacity) and {@link KademliaTable#replacements(int)} still shows only the cache.
         *
         * @param keep whether to remember replacements past the cache.
         * @return this.
         */
        public Builder keepAllCandidates(final boolean keep)
        {
            this.keepAllCandidates = keep;
            return this;
        }

        /**
         * @return the settings.
         * @throws IllegalArgumentException naming the first setting out of range (an
         * {@link InvalidInputException} for a prefix length).
         */
        public KademliaSettings build()
        {
            checkPrefix("ipv4BucketPrefix", ipv4BucketPrefix, IPV4_PREFIX_MAX);
            checkPrefix("ipv6BucketPrefix", ipv6BucketPrefix, IPV6_PREFIX_MAX);
            checkPrefix("ipv4TablePrefix", ipv4TablePrefix, IPV4_PREFIX_MAX);
            checkPrefix("ipv6TablePrefix", ipv6TablePrefix, IPV6_PREFIX_MAX);
            if (k < 1)
            {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (replacementCacheSize < -1)
            {
                throw new IllegalArgumentException("replacementCacheSize must be at least 0, got " + replacementCacheSize);
            }
            if (maxPerSubnetInBucket < 0)
            {
                throw new IllegalArgumentException("maxPerSubnetInBucket must be at least 0, got " + maxPerSubnetInBucket);
            }
            if (maxPerSubnetInTable < 0)
            {
                throw new IllegalArgumentException("maxPerSubnetInTable must be at least 0, got " + maxPerSubnetInTable);
            }
            return new KademliaSettings(this);
        }

        private static void checkPrefix(final String field, final int bits, final int max)
        {
            if (bits < 1 || bits > max)
            {
                throw new InvalidInputException(field, bits, "is outside [1, " + max + "] bits");
            }
        }
    }
}
