package io.peerlane.state;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable hash array mapped trie: every {@link #put} or {@link #remove} returns a new map that
 * shares all but one path of nodes with the old one.
 * <p>
 * This is the read design of the registry: the single writer builds a new root for each committed event
 * and publishes it with one volatile write, so readers on any thread get a consistent point in the commit
 * order without a lock and without ever blocking the writer. The price is the path copy: a few small
 * arrays per change (measured by the JMH GC profiler in {@code bench}).
 * <p>
 * Keys are hashed through a {@link KeyHasher} so that hostile keys (crafted ids, DIDs with equal
 * {@code String.hashCode}) cannot pile up in one collision node: the hashers are seeded per process.
 *
 * @param <K> key type.
 * @param <V> value type.
 */
public final class PersistentHashMap<K, V>
{
    /** Seeded hashing of keys. */
    @FunctionalInterface
    public interface KeyHasher<K>
    {
        /**
         * @param key a key.
         * @return its 32-bit hash.
         */
        int hash(K key);
    }

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final Object[] EMPTY = new Object[0];

    private final KeyHasher<K> hasher;
    private final Object root;
    private final int size;

    private PersistentHashMap(final KeyHasher<K> hasher, final Object root, final int size)
    {
        this.hasher = hasher;
        this.root = root;
        this.size = size;
    }

    /**
     * @param hasher the hash of keys.
     * @param <K>    key type.
     * @param <V>    value type.
     * @return an empty map.
     */
    public static <K, V> PersistentHashMap<K, V> empty(final KeyHasher<K> hasher)
    {
        return new PersistentHashMap<>(hasher, new BitmapNode(0, EMPTY), 0);
    }

    /** @return number of entries. */
    public int size()
    {
        return size;
    }

    /**
     * @param key the key.
     * @return the value, or null.
     */
    @SuppressWarnings("unchecked")
    public V get(final K key)
    {
        final int hash = hasher.hash(key);
        Object node = root;
        int shift = 0;
        while (true)
        {
            if (node instanceof BitmapNode)
            {
                final BitmapNode b = (BitmapNode)node;
                final int bit = 1 << ((hash >>> shift) & MASK);
                if ((b.bitmap & bit) == 0)
                {
                    return null;
                }
                final int i = 2 * Integer.bitCount(b.bitmap & (bit - 1));
                final Object k = b.array[i];
                if (null == k)
                {
                    node = b.array[i + 1];
                    shift += BITS;
                    continue;
                }
                return key.equals(k) ? (V)b.array[i + 1] : null;
            }
            final CollisionNode c = (CollisionNode)node;
            for (int i = 0; i < c.array.length; i += 2)
            {
                if (key.equals(c.array[i]))
                {
                    return (V)c.array[i + 1];
                }
            }
            return null;
        }
    }

    /**
     * @param key   the key.
     * @param value the value, not null.
     * @return a map with the entry set.
     */
    public PersistentHashMap<K, V> put(final K key, final V value)
    {
        final int hash = hasher.hash(key);
        final int[] added = new int[1];
        final Object newRoot = put(root, 0, hash, key, value, added);
        return newRoot == root ? this : new PersistentHashMap<>(hasher, newRoot, size + added[0]);
    }

    /**
     * @param key the key.
     * @return a map without the key (this map when it had none).
     */
    public PersistentHashMap<K, V> remove(final K key)
    {
        final Object newRoot = remove(root, 0, hasher.hash(key), key);
        if (newRoot == root)
        {
            return this;
        }
        return new PersistentHashMap<>(hasher, null == newRoot ? new BitmapNode(0, EMPTY) : newRoot, size - 1);
    }

    /**
     * Visits every entry, in no particular order.
     *
     * @param consumer the visitor.
     */
    public void forEach(final BiConsumer<? super K, ? super V> consumer)
    {
        forEach(root, consumer);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void forEach(final Object node, final BiConsumer<? super K, ? super V> consumer)
    {
        final Object[] array = node instanceof BitmapNode ? ((BitmapNode)node).array : ((CollisionNode)node).array;
        for (int i = 0; i < array.length; i += 2)
        {
            if (null == array[i])
            {
                forEach(array[i + 1], consumer);
            }
            else
            {
                consumer.accept((K)array[i], (V)array[i + 1]);
            }
        }
    }

    private Object put(final Object node, final int shift, final int hash, final K key, final V value, final int[] added)
    {
        if (node instanceof CollisionNode)
        {
            final CollisionNode c = (CollisionNode)node;
            for (int i = 0; i < c.array.length; i += 2)
            {
                if (key.equals(c.array[i]))
                {
                    if (c.array[i + 1] == value)
                    {
                        return node;
                    }
                    final Object[] copy = c.array.clone();
                    copy[i + 1] = value;
                    return new CollisionNode(c.hash, copy);
                }
            }
            final Object[] copy = Arrays.copyOf(c.array, c.array.length + 2);
            copy[c.array.length] = key;
            copy[c.array.length + 1] = value;
            added[0] = 1;
            return new CollisionNode(c.hash, copy);
        }
        final BitmapNode b = (BitmapNode)node;
        final int bit = 1 << ((hash >>> shift) & MASK);
        final int i = 2 * Integer.bitCount(b.bitmap & (bit - 1));
        if ((b.bitmap & bit) == 0)
        {
            final Object[] array = new Object[b.array.length + 2];
            System.arraycopy(b.array, 0, array, 0, i);
            array[i] = key;
            array[i + 1] = value;
            System.arraycopy(b.array, i, array, i + 2, b.array.length - i);
            added[0] = 1;
            return new BitmapNode(b.bitmap | bit, array);
        }
        final Object k = b.array[i];
        final Object v = b.array[i + 1];
        final Object replacement;
        if (null == k)
        {
            replacement = put(v, shift + BITS, hash, key, value, added);
            if (replacement == v)
            {
                return node;
            }
            return b.with(i, null, replacement);
        }
        if (key.equals(k))
        {
            return v == value ? node : b.with(i, k, value);
        }
        @SuppressWarnings("unchecked") final int otherHash = hasher.hash((K)k);
        added[0] = 1;
        return b.with(i, null, pair(shift + BITS, otherHash, k, v, hash, key, value));
    }

    private static Object pair(
        final int shift, final int h1, final Object k1, final Object v1, final int h2, final Object k2, final Object v2)
    {
        if (h1 == h2 || shift >= 32)
        {
            return new CollisionNode(h1, new Object[]{ k1, v1, k2, v2 });
        }
        final int b1 = (h1 >>> shift) & MASK;
        final int b2 = (h2 >>> shift) & MASK;
        if (b1 == b2)
        {
            return new BitmapNode(1 << b1, new Object[]{ null, pair(shift + BITS, h1, k1, v1, h2, k2, v2) });
        }
        return b1 < b2 ?
            new BitmapNode((1 << b1) | (1 << b2), new Object[]{ k1, v1, k2, v2 }) :
            new BitmapNode((1 << b1) | (1 << b2), new Object[]{ k2, v2, k1, v1 });
    }

    /** Returns the same node when absent, null when the node became empty. */
    private Object remove(final Object node, final int shift, final int hash, final K key)
    {
        if (node instanceof CollisionNode)
        {
            final CollisionNode c = (CollisionNode)node;
            for (int i = 0; i < c.array.length; i += 2)
            {
                if (key.equals(c.array[i]))
                {
                    if (c.array.length == 4)
                    {
                        // One entry left: it moves up as a plain entry of a one-slot bitmap node.
                        final int other = i == 0 ? 2 : 0;
                        return new Singleton(c.array[other], c.array[other + 1]);
                    }
                    final Object[] copy = new Object[c.array.length - 2];
                    System.arraycopy(c.array, 0, copy, 0, i);
                    System.arraycopy(c.array, i + 2, copy, i, c.array.length - i - 2);
                    return new CollisionNode(c.hash, copy);
                }
            }
            return node;
        }
        final BitmapNode b = (BitmapNode)node;
        final int bit = 1 << ((hash >>> shift) & MASK);
        if ((b.bitmap & bit) == 0)
        {
            return node;
        }
        final int i = 2 * Integer.bitCount(b.bitmap & (bit - 1));
        final Object k = b.array[i];
        if (null == k)
        {
            final Object child = b.array[i + 1];
            final Object newChild = remove(child, shift + BITS, hash, key);
            if (newChild == child)
            {
                return node;
            }
            if (null == newChild)
            {
                return b.without(bit, i);
            }
            if (newChild instanceof Singleton)
            {
                final Singleton s = (Singleton)newChild;
                if (b.array.length == 2 && shift > 0)
                {
                    return s;
                }
                return b.with(i, s.key, s.value);
            }
            return b.with(i, null, newChild);
        }
        if (!key.equals(k))
        {
            return node;
        }
        if (b.array.length == 2)
        {
            return null;
        }
        if (b.array.length == 4 && shift > 0)
        {
            final int other = i == 0 ? 2 : 0;
            if (null != b.array[other])
            {
                return new Singleton(b.array[other], b.array[other + 1]);
            }
        }
        return b.without(bit, i);
    }

    private static final class BitmapNode
    {
        final int bitmap;
        final Object[] array;

        BitmapNode(final int bitmap, final Object[] array)
        {
            this.bitmap = bitmap;
            this.array = array;
        }

        BitmapNode with(final int i, final Object key, final Object value)
        {
            final Object[] copy = array.clone();
            copy[i] = key;
            copy[i + 1] = value;
            return new BitmapNode(bitmap, copy);
        }

        BitmapNode without(final int bit, final int i)
        {
            final Object[] copy = new Object[array.length - 2];
            System.arraycopy(array, 0, copy, 0, i);
            System.arraycopy(array, i + 2, copy, i, array.length - i - 2);
            return new BitmapNode(bitmap & ~bit, copy);
        }
    }

    private static final class CollisionNode
    {
        final int hash;
        final Object[] array;

        CollisionNode(final int hash, final Object[] array)
        {
            this.hash = hash;
            this.array = array;
        }
    }

    /** A lone entry on its way up after a removal; never stored in the trie. */
    private static final class Singleton
    {
        final Object key;
        final Object value;

        Singleton(final Object key, final Object value)
        {
            this.key = key;
            this.value = value;
        }
    }
}
