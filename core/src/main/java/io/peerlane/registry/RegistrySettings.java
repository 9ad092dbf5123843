package io.peerlane.registry;

import io.peerlane.config.Configuration;
import io.peerlane.peer.InvalidInputException;
import io.peerlane.peer.Limits;
import io.peerlane.peer.PublicKey;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The rule settings of TRACE.md with their engine defaults. Immutable once built, so an engine (or a replay)
 * given one can never see it change; 0 means "no limit" for a limit or a cap and is a real zero for a time to
 * live.
 * <p>
 * Each setting has a system property ({@code peerlane.registry.*}, in {@link Configuration}), read only by
 * {@link #fromSystemProperties()}, which is what an engine whose context was given no settings uses.
 * {@link #defaults()} and {@link #builder()} never read a property: a trace's or a journal's settings are
 * decoded through them and must mean the same in every JVM.
 */
public final class RegistrySettings
{
    /** Default {@code maxPeers}. */
    public static final long MAX_PEERS_DEFAULT = Configuration.MAX_PEERS_DEFAULT;
    /** Default {@code peerTtlMs}: 24 h. */
    public static final long PEER_TTL_MS_DEFAULT = Configuration.PEER_TTL_MS_DEFAULT;
    /** Default {@code tombstoneTtlMs}: 1 h. */
    public static final long TOMBSTONE_TTL_MS_DEFAULT = Configuration.TOMBSTONE_TTL_MS_DEFAULT;
    /** Default {@code maxTombstones}. */
    public static final long MAX_TOMBSTONES_DEFAULT = Configuration.MAX_TOMBSTONES_DEFAULT;
    /** Default {@code maxDevicesPerDid}. */
    public static final long MAX_DEVICES_PER_DID_DEFAULT = Configuration.MAX_DEVICES_PER_DID_DEFAULT;
    /** Default {@code maxPeersPerSubnet}: no limit. */
    public static final long MAX_PEERS_PER_SUBNET_DEFAULT = Configuration.MAX_PEERS_PER_SUBNET_DEFAULT;
    /** Default {@code maxBans}. */
    public static final long MAX_BANS_DEFAULT = Configuration.MAX_BANS_DEFAULT;
    /** Default {@code globalRateLimitPerSec}: no limit. */
    public static final long GLOBAL_RATE_LIMIT_PER_SEC_DEFAULT = Configuration.GLOBAL_RATE_LIMIT_PER_SEC_DEFAULT;
    /** Default {@code didRateLimitPerMin}: no limit. */
    public static final long DID_RATE_LIMIT_PER_MIN_DEFAULT = Configuration.DID_RATE_LIMIT_PER_MIN_DEFAULT;

    private static final RegistrySettings DEFAULTS = builder().build();

    private final long maxPeers;
    private final long peerTtlMs;
    private final long tombstoneTtlMs;
    private final long maxTombstones;
    private final long maxDevicesPerDid;
    private final long maxPeersPerSubnet;
    private final long maxBans;
    private final long globalRateLimitPerSec;
    private final long didRateLimitPerMin;
    private final Set<PublicKey> authorizedValidatorKeys;

    private RegistrySettings(final Builder b)
    {
        maxPeers = b.maxPeers;
        peerTtlMs = b.peerTtlMs;
        tombstoneTtlMs = b.tombstoneTtlMs;
        maxTombstones = b.maxTombstones;
        maxDevicesPerDid = b.maxDevicesPerDid;
        maxPeersPerSubnet = b.maxPeersPerSubnet;
        maxBans = b.maxBans;
        globalRateLimitPerSec = b.globalRateLimitPerSec;
        didRateLimitPerMin = b.didRateLimitPerMin;
        authorizedValidatorKeys = b.authorizedValidatorKeys.isEmpty() ?
            null : Collections.unmodifiableSet(new LinkedHashSet<>(b.authorizedValidatorKeys));
    }

    /** @return the engine defaults. */
    public static RegistrySettings defaults()
    {
        return DEFAULTS;
    }

    /** @return a builder at the defaults; no system property is read. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Reads the {@code peerlane.registry.*} system properties once, now: each setting set there starts at its
     * value, every other one at its default; the builder's setters then override any of them.
     *
     * @return a builder.
     * @throws IllegalArgumentException naming the property and its value when one does not parse or lies
     *                                  outside [0, 2^53), or when a key is not hex.
     */
    public static Builder fromSystemProperties()
    {
        final Builder b = new Builder();
        b.maxPeers = property("maxPeers", Configuration.MAX_PEERS_PROP_NAME, MAX_PEERS_DEFAULT);
        b.peerTtlMs = property("peerTtlMs", Configuration.PEER_TTL_MS_PROP_NAME, PEER_TTL_MS_DEFAULT);
        b.tombstoneTtlMs = property("tombstoneTtlMs", Configuration.TOMBSTONE_TTL_MS_PROP_NAME, TOMBSTONE_TTL_MS_DEFAULT);
        b.maxTombstones = property("maxTombstones", Configuration.MAX_TOMBSTONES_PROP_NAME, MAX_TOMBSTONES_DEFAULT);
        b.maxDevicesPerDid =
            property("maxDevicesPerDid", Configuration.MAX_DEVICES_PER_DID_PROP_NAME, MAX_DEVICES_PER_DID_DEFAULT);
        b.maxPeersPerSubnet =
            property("maxPeersPerSubnet", Configuration.MAX_PEERS_PER_SUBNET_PROP_NAME, MAX_PEERS_PER_SUBNET_DEFAULT);
        b.maxBans = property("maxBans", Configuration.MAX_BANS_PROP_NAME, MAX_BANS_DEFAULT);
        b.globalRateLimitPerSec = property("globalRateLimitPerSec", Configuration.GLOBAL_RATE_LIMIT_PER_SEC_PROP_NAME,
            GLOBAL_RATE_LIMIT_PER_SEC_DEFAULT);
        b.didRateLimitPerMin = property("didRateLimitPerMin", Configuration.DID_RATE_LIMIT_PER_MIN_PROP_NAME,
            DID_RATE_LIMIT_PER_MIN_DEFAULT);
        final String name = Configuration.AUTHORIZED_VALIDATOR_KEYS_PROP_NAME;
        final String keys = Configuration.textValue(name);
        if (null != keys)
        {
            for (final String hex : keys.split(","))
            {
                try
                {
                    b.authorizedValidatorKeys.add(PublicKey.fromHex("authorizedValidatorKeys", hex.trim()));
                }
                catch (final InvalidInputException ex)
                {
                    throw Configuration.badValue(name, System.getProperty(name), "must be comma-separated hex " +
                        "public keys: " + ex.getMessage());
                }
            }
        }
        return b;
    }

    private static long property(final String setting, final String name, final long defaultValue)
    {
        final long value = Configuration.longValue(name, defaultValue);
        if (value < 0 || value >= Limits.MAX_SAFE_EXCLUSIVE)
        {
            throw Configuration.badValue(name, System.getProperty(name), "(" + setting + ") is outside [0, 2^53)");
        }
        return value;
    }

    /** @return a builder holding these settings. */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.maxPeers = maxPeers;
        b.peerTtlMs = peerTtlMs;
        b.tombstoneTtlMs = tombstoneTtlMs;
        b.maxTombstones = maxTombstones;
        b.maxDevicesPerDid = maxDevicesPerDid;
        b.maxPeersPerSubnet = maxPeersPerSubnet;
        b.maxBans = maxBans;
        b.globalRateLimitPerSec = globalRateLimitPerSec;
        b.didRateLimitPerMin = didRateLimitPerMin;
        if (null != authorizedValidatorKeys)
        {
            b.authorizedValidatorKeys.addAll(authorizedValidatorKeys);
        }
        return b;
    }

    /** @return most live peers, 0 for no limit. */
    public long maxPeers()
    {
        return maxPeers;
    }

    /** @return time a peer lives past its {@code lastSeen}. */
    public long peerTtlMs()
    {
        return peerTtlMs;
    }

    /** @return time a tombstone is kept past its making. */
    public long tombstoneTtlMs()
    {
        return tombstoneTtlMs;
    }

    /** @return most tombstones, 0 for no cap. */
    public long maxTombstones()
    {
        return maxTombstones;
    }

    /** @return most live peers per DID, 0 for no limit. */
    public long maxDevicesPerDid()
    {
        return maxDevicesPerDid;
    }

    /** @return most live peers per IPv4 /24 or IPv6 /48, 0 for no limit. */
    public long maxPeersPerSubnet()
    {
        return maxPeersPerSubnet;
    }

    /** @return most bans held, 0 for no limit. */
    public long maxBans()
    {
        return maxBans;
    }

    /** @return most upserts per second of event time, 0 for no limit. */
    public long globalRateLimitPerSec()
    {
        return globalRateLimitPerSec;
    }

    /** @return most upserts per DID per minute of event time, 0 for no limit. */
    public long didRateLimitPerMin()
    {
        return didRateLimitPerMin;
    }

    /** @return the keys allowed to hold a VALIDATOR record, or null when any key may. */
    public Set<PublicKey> authorizedValidatorKeys()
    {
        return authorizedValidatorKeys;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof RegistrySettings))
        {
            return false;
        }
        final RegistrySettings s = (RegistrySettings)o;
        return maxPeers == s.maxPeers && peerTtlMs == s.peerTtlMs && tombstoneTtlMs == s.tombstoneTtlMs &&
            maxTombstones == s.maxTombstones && maxDevicesPerDid == s.maxDevicesPerDid &&
            maxPeersPerSubnet == s.maxPeersPerSubnet && maxBans == s.maxBans &&
            globalRateLimitPerSec == s.globalRateLimitPerSec && didRateLimitPerMin == s.didRateLimitPerMin &&
            java.util.Objects.equals(authorizedValidatorKeys, s.authorizedValidatorKeys);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(maxPeers * 31 + peerTtlMs);
    }

    @Override
    public String toString()
    {
        return "maxPeers=" + maxPeers + " peerTtlMs=" + peerTtlMs + " tombstoneTtlMs=" + tombstoneTtlMs +
            " maxTombstones=" + maxTombstones + " maxDevicesPerDid=" + maxDevicesPerDid +
            " maxPeersPerSubnet=" + maxPeersPerSubnet + " maxBans=" + maxBans +
            " globalRateLimitPerSec=" + globalRateLimitPerSec + " didRateLimitPerMin=" + didRateLimitPerMin +
            " authorizedValidatorKeys=" + (null == authorizedValidatorKeys ? "absent" : authorizedValidatorKeys.size());
    }

    /** Builds settings; every setter checks [0, 2^53) and names the setting. */
    public static final class Builder
    {
        private long maxPeers = MAX_PEERS_DEFAULT;
        private long peerTtlMs = PEER_TTL_MS_DEFAULT;
        private long tombstoneTtlMs = TOMBSTONE_TTL_MS_DEFAULT;
        private long maxTombstones = MAX_TOMBSTONES_DEFAULT;
        private long maxDevicesPerDid = MAX_DEVICES_PER_DID_DEFAULT;
        private long maxPeersPerSubnet = MAX_PEERS_PER_SUBNET_DEFAULT;
        private long maxBans = MAX_BANS_DEFAULT;
        private long globalRateLimitPerSec = GLOBAL_RATE_LIMIT_PER_SEC_DEFAULT;
        private long didRateLimitPerMin = DID_RATE_LIMIT_PER_MIN_DEFAULT;
        private final Set<PublicKey> authorizedValidatorKeys = new LinkedHashSet<>();

        private Builder()
        {
        }

        /** @param v most live peers, 0 for no limit. @return this. */
        public Builder maxPeers(final long v)
        {
            maxPeers = Limits.checkSafe("maxPeers", v);
            return this;
        }

        /** @param v peer time to live in ms. @return this. */
        public Builder peerTtlMs(final long v)
        {
            peerTtlMs = Limits.checkSafe("peerTtlMs", v);
            return this;
        }

        /** @param v tombstone time to live in ms. @return this. */
        public Builder tombstoneTtlMs(final long v)
        {
            tombstoneTtlMs = Limits.checkSafe("tombstoneTtlMs", v);
            return this;
        }

        /** @param v most tombstones, 0 for no cap. @return this. */
        public Builder maxTombstones(final long v)
        {
            maxTombstones = Limits.checkSafe("maxTombstones", v);
            return this;
        }

        /** @param v most live peers per DID, 0 for no limit. @return this. */
        public Builder maxDevicesPerDid(final long v)
        {
            maxDevicesPerDid = Limits.checkSafe("maxDevicesPerDid", v);
            return this;
        }

        /** @param v most live peers per subnet, 0 for no limit. @return this. */
        public Builder maxPeersPerSubnet(final long v)
        {
            maxPeersPerSubnet = Limits.checkSafe("maxPeersPerSubnet", v);
            return this;
        }

        /** @param v most bans, 0 for no limit. @return this. */
        public Builder maxBans(final long v)
        {
            maxBans = Limits.checkSafe("maxBans", v);
            return this;
        }

        /** @param v most upserts per second, 0 for no limit. @return this. */
        public Builder globalRateLimitPerSec(final long v)
        {
            globalRateLimitPerSec = Limits.checkSafe("globalRateLimitPerSec", v);
            return this;
        }

        /** @param v most upserts per DID per minute, 0 for no limit. @return this. */
        public Builder didRateLimitPerMin(final long v)
        {
            didRateLimitPerMin = Limits.checkSafe("didRateLimitPerMin", v);
            return this;
        }

        /**
         * @param keys keys allowed to hold a VALIDATOR record; empty means absent.
         * @return this.
         */
        public Builder authorizedValidatorKeys(final Set<PublicKey> keys)
        {
            authorizedValidatorKeys.clear();
            if (null != keys)
            {
                for (final PublicKey k : keys)
                {
                    if (null == k)
                    {
                        throw new InvalidInputException("authorizedValidatorKeys", null, "must not hold null");
                    }
                    authorizedValidatorKeys.add(k);
                }
            }
            return this;
        }

        /** @return the settings. */
        public RegistrySettings build()
        {
            return new RegistrySettings(this);
        }
    }
}
