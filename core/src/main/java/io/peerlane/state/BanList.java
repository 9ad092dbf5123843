package io.peerlane.state;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.BanKind;
import io.peerlane.mutation.Cidr;
import io.peerlane.peer.Endpoint;
import io.peerlane.peer.IpAddress;
import io.peerlane.peer.PeerRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;


/**
 * The ban list, owned by the commit stage. Bans of the same kind and value stack (each one counts against
 * {@code maxBans} and lapses on its own); an unban lifts them all. Subnet bans are matched through the
 * prefix lengths in use, so a check costs one lookup per prefix length, not one per ban.
 */
final class BanList
{
    private static final Comparator<Entry> BY_UNTIL =
        Comparator.<Entry>comparingLong(e -> e.until).thenComparingLong(e -> e.serial);

    private final Map<Object, List<Entry>> byKey = new HashMap<>();
    private final TreeSet<Entry> expiring = new TreeSet<>(BY_UNTIL);
    private final int[] v4PrefixUse = new int[33];
    private final int[] v6PrefixUse = new int[129];
    private int size;
    private long serial;

    static final class Entry
    {
        final Ban ban;
        final long until;
        final long serial;

        Entry(final Ban ban, final long serial)
        {
            this.ban = ban;
            this.until = ban.until();
            this.serial = serial;
        }
    }

    int size()
    {
        return size;
    }

    void add(final Ban ban)
    {
        final Entry entry = new Entry(ban, serial++);
        final List<Entry> entries = byKey.computeIfAbsent(ban.key(), k -> new ArrayList<>(1));
        if (entries.isEmpty() && ban.kind() == BanKind.SUBNET)
        {
            prefixUse((Cidr)ban.key(), 1);
        }
        entries.add(entry);
        if (entry.until != Ban.FOREVER)
        {
            expiring.add(entry);
        }
        size++;
    }

    /** @return how many bans were lifted. */
    int lift(final Object key)
    {
        final List<Entry> entries = byKey.remove(key);
        if (null == entries)
        {
            return 0;
        }
        for (final Entry e : entries)
        {
            expiring.remove(e);
        }
        if (key instanceof Cidr)
        {
            prefixUse((Cidr)key, -1);
        }
        size -= entries.size();
        return entries.size();
    }

    /** Bans whose {@code until} is at or before {@code t} lapse. */
    void lapse(final long t)
    {
        while (!expiring.isEmpty() && expiring.first().until <= t)
        {
            final Entry e = expiring.pollFirst();
            final List<Entry> entries = byKey.get(e.ban.key());
            entries.remove(e);
            size--;
            if (entries.isEmpty())
            {
                byKey.remove(e.ban.key());
                if (e.ban.kind() == BanKind.SUBNET)
                {
                    prefixUse((Cidr)e.ban.key(), -1);
                }
            }
        }
    }

    boolean isBanned(final Object key)
    {
        return byKey.containsKey(key);
    }

    /** TRACE.md step 2: the id or the DID is banned, or an endpoint's IP lies in a banned subnet. */
    boolean bans(final PeerRecord record)
    {
        if (size == 0)
        {
            return false;
        }
        if (byKey.containsKey(record.id()) || byKey.containsKey(record.did()))
        {
            return true;
        }
        final List<Endpoint> endpoints = record.endpoints();
        for (int i = 0; i < endpoints.size(); i++)
        {
            final IpAddress ip = endpoints.get(i).ip();
            if (null != ip && inBannedSubnet(ip))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether the ban matches a live record (for the removals a new ban makes). */
    static boolean matches(final Ban ban, final PeerRecord record)
    {
        switch (ban.kind())
        {
            case NODE:
                return ban.key().equals(record.id());
            case DID:
                return ban.key().equals(record.did());
            default:
                final Cidr cidr = (Cidr)ban.key();
                for (final Endpoint e : record.endpoints())
                {
                    if (null != e.ip() && cidr.contains(e.ip()))
                    {
                        return true;
                    }
                }
                return false;
        }
    }

    private boolean inBannedSubnet(final IpAddress ip)
    {
        final int[] use = ip.family() == IpAddress.V4 ? v4PrefixUse : v6PrefixUse;
        for (int prefix = 0; prefix < use.length; prefix++)
        {
            if (use[prefix] > 0 && byKey.containsKey(Cidr.networkOf(ip, prefix)))
            {
                return true;
            }
        }
        return false;
    }

    private void prefixUse(final Cidr cidr, final int delta)
    {
        (cidr.family() == IpAddress.V4 ? v4PrefixUse : v6PrefixUse)[cidr.prefixLength()] += delta;
    }

    /** @return every ban held, oldest first within a value. */
    List<Ban> list()
    {
        final List<Ban> bans = new ArrayList<>(size);
        for (final List<Entry> entries : byKey.values())
        {
            for (final Entry e : entries)
            {
                bans.add(e.ban);
            }
        }
        return bans;
    }
}
