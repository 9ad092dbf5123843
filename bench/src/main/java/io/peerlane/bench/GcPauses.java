package io.peerlane.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Garbage-collection pauses so far, from the {@link GarbageCollectorMXBean}s: a run's figure is the
 * difference of two readings. Beans that count concurrent cycles rather than pauses (ZGC's and
 * Shenandoah's "Cycles" beans, G1's "Concurrent GC" bean on later JDKs) are left out, so that the time is
 * time the application's threads were stopped, not time a collector ran beside them.
 */
final class GcPauses
{
    private static final List<GarbageCollectorMXBean> PAUSE_BEANS = pauseBeans();

    final long count;
    final long millis;

    private GcPauses(final long count, final long millis)
    {
        this.count = count;
        this.millis = millis;
    }

    /** @return the pauses since the JVM started. */
    static GcPauses now()
    {
        long count = 0;
        long millis = 0;
        for (final GarbageCollectorMXBean bean : PAUSE_BEANS)
        {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new GcPauses(count, millis);
    }

    /** @param earlier an earlier reading. @return the pauses between it and this one. */
    GcPauses since(final GcPauses earlier)
    {
        return new GcPauses(count - earlier.count, millis - earlier.millis);
    }

    /** @return the names of the beans counted, for the report. */
    static List<String> beanNames()
    {
        final List<String> names = new ArrayList<>();
        for (final GarbageCollectorMXBean bean : PAUSE_BEANS)
        {
            names.add(bean.getName());
        }
        return names;
    }

    static boolean countsPauses(final String beanName)
    {
        return !beanName.endsWith(" Cycles") && !beanName.contains("Concurrent");
    }

    private static List<GarbageCollectorMXBean> pauseBeans()
    {
        final List<GarbageCollectorMXBean> out = new ArrayList<>();
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (countsPauses(bean.getName()))
            {
                out.add(bean);
            }
        }
        return out;
    }
}
