package io.peerlane.bench;

/** The contenders, by the name the command line uses, in report order (Peerlane first). */
public enum ContenderKind
{
    /** The engine: one multi-producer ring, prepare, commit and publish stages. */
    PEERLANE("peerlane", true, "PeerlaneEngine: multi-producer ring, single-writer commit stage, publish stage"),
    /** The same engine recording every op to a journal (force policy NEVER) in a temporary directory: the cost of recording. */
    PEERLANE_JOURNAL("peerlane-journal", true, "the peerlane engine recording every op to a journal in a temporary " +
        "directory (force policy NEVER, next segment prepared ahead), deleted after each run"),
    /** The design Peerlane replaces: one mutable registry, the same rules and observers, under a read-write lock. */
    RWLOCK("rwlock", true, "one mutable RegistryState behind a ReentrantReadWriteLock; observers called while the write " +
        "lock is held; readers take the read lock"),
    /** The naive design: a concurrent map put, then each listener, on the producer's thread. */
    CHM_COW("chm-cow", true, "ConcurrentHashMap put, then listeners from a CopyOnWriteArrayList on the producer thread; no rules"),
    /** A single-thread executor behind a bounded blocking queue doing the rules and the observers. */
    EXECUTOR("executor", true, "ArrayBlockingQueue (ring-sized) feeding one thread that applies RegistryState and the observers"),
    /** The ceiling: the raw multi-producer ring with a handler that only timestamps. */
    DISRUPTOR_RAW("disruptor-raw", false, "raw multi-producer Disruptor ring, one handler that does nothing but timestamp");

    /** What runs without {@code --contenders}: every contender but {@code peerlane-journal}, in report order. */
    public static final String DEFAULT_NAMES = "peerlane,rwlock,chm-cow,executor,disruptor-raw";

    private final String cliName;
    private final boolean delivers;
    private final String description;

    ContenderKind(final String cliName, final boolean delivers, final String description)
    {
        this.cliName = cliName;
        this.delivers = delivers;
        this.description = description;
    }

    /** @return the name on the command line and in reports. */
    public String cliName()
    {
        return cliName;
    }

    /** @return whether it delivers events to observers (all but the raw ring). */
    public boolean delivers()
    {
        return delivers;
    }

    /** @return one line on what it is. */
    public String description()
    {
        return description;
    }

    /**
     * @param name a command-line name.
     * @return the contender.
     * @throws IllegalArgumentException listing the valid names.
     */
    public static ContenderKind of(final String name)
    {
        final StringBuilder valid = new StringBuilder();
        for (final ContenderKind kind : values())
        {
            if (kind.cliName.equals(name))
            {
                return kind;
            }
            valid.append(valid.length() == 0 ? "" : ", ").append(kind.cliName);
        }
        throw new IllegalArgumentException("unknown contender '" + name + "'; valid: " + valid);
    }

    /** @return every command-line name, comma-separated. */
    static String names()
    {
        final StringBuilder all = new StringBuilder();
        for (final ContenderKind kind : values())
        {
            all.append(all.length() == 0 ? "" : ", ").append(kind.cliName);
        }
        return all.toString();
    }

    /** @return the contenders run by default, in order. */
    static java.util.List<ContenderKind> defaults()
    {
        final java.util.List<ContenderKind> kinds = new java.util.ArrayList<>();
        for (final String name : DEFAULT_NAMES.split(","))
        {
            kinds.add(of(name));
        }
        return kinds;
    }

    Contender open(final ContenderSetup setup)
    {
        switch (this)
        {
            case PEERLANE:
                return new PeerlaneContender(setup, false);
            case PEERLANE_JOURNAL:
                return new PeerlaneContender(setup, true);
            case RWLOCK:
                return new RwLockContender(setup);
            case CHM_COW:
                return new ChmCowContender(setup);
            case EXECUTOR:
                return new ExecutorContender(setup);
            default:
                return new RawDisruptorContender(setup);
        }
    }
}
