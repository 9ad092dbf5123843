package io.peerlane.tools;

import io.peerlane.peer.PublicKey;
import io.peerlane.registry.RegistrySettings;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --set NAME=VALUE} overrides of TRACE.md's settings, applied on top of the settings a trace or a
 * journal carries. Values go through {@link RegistrySettings.Builder}, which owns the ranges.
 */
final class SettingOverrides
{
    static final String NAMES = "maxPeers, peerTtlMs, tombstoneTtlMs, maxTombstones, maxDevicesPerDid, " +
        "maxPeersPerSubnet, maxBans, globalRateLimitPerSec, didRateLimitPerMin, authorizedValidatorKeys " +
        "(comma-separated hex keys, empty for absent)";

    private SettingOverrides()
    {
    }

    /**
     * @param option the option's name, for messages ({@code --set}).
     * @param given  each {@code NAME=VALUE} as given, or null.
     * @return name to value in the order given.
     * @throws ToolException a usage error when one is not {@code NAME=VALUE} or a name is given twice.
     */
    static Map<String, String> parse(final String option, final List<String> given)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        if (null == given)
        {
            return map;
        }
        for (final String entry : given)
        {
            final int eq = entry.indexOf('=');
            if (eq <= 0)
            {
                throw ToolException.usage(option + " " + entry + ": must be NAME=VALUE; names: " + NAMES);
            }
            final String name = entry.substring(0, eq).trim();
            final String value = entry.substring(eq + 1);
            if (map.containsKey(name))
            {
                throw ToolException.usage(option + " " + name + ": given twice (" + name + "=" + map.get(name) +
                    " and " + name + "=" + value + "); give each setting once");
            }
            map.put(name, value);
        }
        return map;
    }

    /**
     * @param base      the settings to start from.
     * @param overrides name to value, in the order given; null or empty for none.
     * @return the settings with the overrides applied.
     * @throws ToolException a usage error naming the setting when a name or a value is bad.
     */
    static RegistrySettings apply(final RegistrySettings base, final Map<String, String> overrides)
    {
        if (null == overrides || overrides.isEmpty())
        {
            return base;
        }
        final RegistrySettings.Builder b = base.toBuilder();
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            final String name = e.getKey();
            final String value = e.getValue().trim();
            try
            {
                switch (name)
                {
                    case "maxPeers" -> b.maxPeers(number(name, value));
                    case "peerTtlMs" -> b.peerTtlMs(number(name, value));
                    case "tombstoneTtlMs" -> b.tombstoneTtlMs(number(name, value));
                    case "maxTombstones" -> b.maxTombstones(number(name, value));
                    case "maxDevicesPerDid" -> b.maxDevicesPerDid(number(name, value));
                    case "maxPeersPerSubnet" -> b.maxPeersPerSubnet(number(name, value));
                    case "maxBans" -> b.maxBans(number(name, value));
                    case "globalRateLimitPerSec" -> b.globalRateLimitPerSec(number(name, value));
                    case "didRateLimitPerMin" -> b.didRateLimitPerMin(number(name, value));
                    case "authorizedValidatorKeys" -> b.authorizedValidatorKeys(keys(value));
                    default -> throw ToolException.usage("--set " + name + ": unknown setting; known: " + NAMES);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw ToolException.usage("--set " + name + "=" + value + ": " + ex.getMessage());
            }
        }
        return b.build();
    }

    private static long number(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw ToolException.usage("--set " + name + "=" + value + ": not an integer");
        }
    }

    private static Set<PublicKey> keys(final String value)
    {
        final Set<PublicKey> keys = new LinkedHashSet<>();
        if (!value.isEmpty())
        {
            for (final String hex : value.split(","))
            {
                keys.add(PublicKey.fromHex("authorizedValidatorKeys", hex.trim()));
            }
        }
        return keys;
    }
}
