package io.peerlane.state;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable hash array mapped trie with transient editing.
 * <p>
 * This is the read design of the registry. Readers hold a published map and never see it change. The
 * single writer changes the map through an {@link Edit}: a node created under the current edit belongs to
 * it and is changed in place, while a node that may be reachable from a published map is copied first
 * (path copying). Publishing a view closes the edit ({@link Edit} is replaced), so everything reachable from
 * the published root is frozen from then on. Between two publications the writer therefore copies each
 * touched path once, not once per change, which is what keeps the commit stage's allocation small under load.
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

    /** The writer's token: nodes it created may be changed in place until it is replaced. */
    public static final class Edit
    {
        int added;
    }

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final Object[] EMPTY = new Object[0];

    private final KeyHasher<K> hasher;
    private final Node root;
    private final int size;

    private PersistentHashMap(final KeyHasher<K> hasher, final Node root, final int size)
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
        return new PersistentHashMap<>(hasher, new Node(null, 0, EMPTY, false), 0);
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
        Node node = root;
        int shift = 0;
        while (true)
        {
            final Object[] array = node.array;
            if (node.collision)
            {
                for (int i = 0; i < array.length; i += 2)
                {
                    if (key.equals(array[i]))
                    {
                        return (V)array[i + 1];
                    }
                }
                return null;
            }
            final int bit = 1 << ((hash >>> shift) & MASK);
            if ((node.bitmap & bit) == 0)
            {
                return null;
            }
            final int i = 2 * Integer.bitCount(node.bitmap & (bit - 1));
            final Object k = array[i];
            if (null == k)
            {
                node = (Node)array[i + 1];
                shift += BITS;
                continue;
            }
            return key.equals(k) ? (V)array[i + 1] : null;
        }
    }

    /**
     * A map with the entry set, sharing everything it can with this one (nothing is changed in place).
     *
     * @param key   the key.
     * @param value the value, not null.
     * @return the new map.
     */
    public PersistentHashMap<K, V> put(final K key, final V value)
    {
        return put(key, value, new Edit());
    }

    /**
     * A map with the entry set; nodes owned by {@code edit} are changed in place.
     *
     * @param key   the key.
     * @param value the value, not null.
     * @param edit  the writer's current edit.
     * @return the new map (this one when nothing changed).
     */
    public PersistentHashMap<K, V> put(final K key, final V value, final Edit edit)
    {
        edit.added = 0;
        final Node newRoot = put(root, 0, hasher.hash(key), key, value, edit);
        if (newRoot == root && edit.added == 0)
        {
            return this;
        }
        return new PersistentHashMap<>(hasher, newRoot, size + edit.added);
    }

    /**
     * @param key the key.
     * @return a map without the key (this map when it had none).
     */
    public PersistentHashMap<K, V> remove(final K key)
    {
        return remove(key, new Edit());
    }

    /**
     * @param key  the key.
     * @param edit the writer's current edit.
     * @return a map without the key (this map when it had none).
     */
    public PersistentHashMap<K, V> remove(final K key, final Edit edit)
    {
        edit.added = 0;
        final Node newRoot = remove(root, 0, hasher.hash(key), key, edit);
        if (edit.added == 0)
        {
            return this;
        }
        return new PersistentHashMap<>(hasher, null == newRoot ? new Node(null, 0, EMPTY, false) : newRoot, size - 1);
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
    private static <K, V> void forEach(final Node node, final BiConsumer<? super K, ? super V> consumer)
    {
        final Object[] array = node.array;
        for (int i = 0; i < array.length; i += 2)
        {
            if (null == array[i])
            {
                forEach((Node)array[i + 1], consumer);
            }
            else
            {
                consumer.accept((K)array[i], (V)array[i + 1]);
            }
        }
    }

    private Node put(final Node node, final int shift, final int hash, final K key, final V value, final Edit edit)
    {
        final Object[] array = node.array;
        if (node.collision)
        {
            for (int i = 0; i < array.length; i += 2)
            {
                if (key.equals(array[i]))
                {
                    return array[i + 1] == value ? node : node.withValue(edit, i + 1, value);
                }
            }
            final Object[] grown = Arrays.copyOf(array, array.length + 2);
            grown[array.length] = key;
            grown[array.length + 1] = value;
            edit.added = 1;
            return node.withArray(edit, node.bitmap, grown);
        }
        final int bit = 1 << ((hash >>> shift) & MASK);
        final int i = 2 * Integer.bitCount(node.bitmap & (bit - 1));
        if ((node.bitmap & bit) == 0)
        {
            final Object[] grown = new Object[array.length + 2];
            System.arraycopy(array, 0, grown, 0, i);
            grown[i] = key;
            grown[i + 1] = value;
            System.arraycopy(array, i, grown, i + 2, array.length - i);
            edit.added = 1;
            return node.withArray(edit, node.bitmap | bit, grown);
        }
        final Object k = array[i];
        final Object v = array[i + 1];
        if (null == k)
        {
            final Node child = (Node)v;
            final Node newChild = put(child, shift + BITS, hash, key, value, edit);
            return newChild == child ? node : node.withValue(edit, i + 1, newChild);
        }
        if (key.equals(k))
        {
            return v == value ? node : node.withValue(edit, i + 1, value);
        }
        @SuppressWarnings("unchecked") final int otherHash = hasher.hash((K)k);
        edit.added = 1;
        final Node pair = pair(edit, shift + BITS, otherHash, k, v, hash, key, value);
        return node.withEntry(edit, i, null, pair);
    }

    private static Node pair(
        final Edit edit,
        final int shift,
        final int h1,
        final Object k1,
        final Object v1,
        final int h2,
        final Object k2,
        final Object v2)
    {
        if (h1 == h2 || shift >= 32)
        {
            return new Node(edit, 0, new Object[]{ k1, v1, k2, v2 }, true);
        }
        final int b1 = (h1 >>> shift) & MASK;
        final int b2 = (h2 >>> shift) & MASK;
        if (b1 == b2)
        {
            return new Node(edit, 1 << b1, new Object[]{ null, pair(edit, shift + BITS, h1, k1, v1, h2, k2, v2) }, false);
        }
        return b1 < b2 ?
            new Node(edit, (1 << b1) | (1 << b2), new Object[]{ k1, v1, k2, v2 }, false) :
            new Node(edit, (1 << b1) | (1 << b2), new Object[]{ k2, v2, k1, v1 }, false);
    }

    /**
     * Returns the same node when the key is absent (edit.added stays 0), null when the node became empty,
     * or a node holding exactly one entry and no child (a candidate to be inlined into its parent).
     */
    private Node remove(final Node node, final int shift, final int hash, final K key, final Edit edit)
    {
        final Object[] array = node.array;
        if (node.collision)
        {
            for (int i = 0; i < array.length; i += 2)
            {
                if (key.equals(array[i]))
                {
                    edit.added = 1;
                    if (array.length == 2)
                    {
                        return null;
                    }
                    return node.withArray(edit, 0, without(array, i));
                }
            }
            return node;
        }
        final int bit = 1 << ((hash >>> shift) & MASK);
        if ((node.bitmap & bit) == 0)
        {
            return node;
        }
        final int i = 2 * Integer.bitCount(node.bitmap & (bit - 1));
        final Object k = array[i];
        if (null == k)
        {
            final Node child = (Node)array[i + 1];
            final Node newChild = remove(child, shift + BITS, hash, key, edit);
            if (edit.added == 0)
            {
                return node;
            }
            if (null == newChild)
            {
                return array.length == 2 ? null : node.withArray(edit, node.bitmap & ~bit, without(array, i));
            }
            if (newChild.array.length == 2 && null != newChild.array[0])
            {
                // The child holds one plain entry: inline it here.
                return node.withEntry(edit, i, newChild.array[0], newChild.array[1]);
            }
            return newChild == child ? node : node.withValue(edit, i + 1, newChild);
        }
        if (!key.equals(k))
        {
            return node;
        }
        edit.added = 1;
        if (array.length == 2)
        {
            return null;
        }
        return node.withArray(edit, node.bitmap & ~bit, without(array, i));
    }

    private static Object[] without(final Object[] array, final int i)
    {
        final Object[] shrunk = new Object[array.length - 2];
        System.arraycopy(array, 0, shrunk, 0, i);
        System.arraycopy(array, i + 2, shrunk, i, array.length - i - 2);
        return shrunk;
    }

    /** A bitmap-indexed node, or a collision node holding keys of one hash. */
    private static final class Node
    {
        final Edit owner;
        final boolean collision;
        int bitmap;
        Object[] array;

        Node(final Edit owner, final int bitmap, final Object[] array, final boolean collision)
        {
            this.owner = owner;
            this.bitmap = bitmap;
            this.array = array;
            this.collision = collision;
        }

        Node withValue(final Edit edit, final int index, final Object value)
        {
            if (owner == edit)
            {
                array[index] = value;
                return this;
            }
            final Object[] copy = array.clone();
            copy[index] = value;
            return new Node(edit, bitmap, copy, collision);
        }

        Node withEntry(final Edit edit, final int index, final Object key, final Object value)
        {
            if (owner == edit)
            {
                array[index] = key;
                array[index + 1] = value;
                return this;
            }
            final Object[] copy = array.clone();
            copy[index] = key;
            copy[index + 1] = value;
            return new Node(edit, bitmap, copy, collision);
        }

        Node withArray(final Edit edit, final int newBitmap, final Object[] newArray)
        {
            if (owner == edit)
            {
                bitmap = newBitmap;
                array = newArray;
                return this;
            }
            return new Node(edit, newBitmap, newArray, collision);
        }
    }
}
