package dev.pyshm.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unlinks, at JVM shutdown, the blocks this JVM created (or chose to track) and never unlinked,
 * like CPython's resource tracker does for its creator. Before unlinking, it checks that the name
 * still refers to the very object that was tracked (same {@code st_dev}/{@code st_ino}), so a
 * block another process re-created under the same name is left alone.
 *
 * <p>Unlike CPython's tracker this runs inside the JVM: a JVM killed with SIGKILL leaves its
 * blocks behind (use {@code pyshm gc}).
 */
public final class Tracker {
    private static final Map<String, Entry> TRACKED = new LinkedHashMap<>();
    private static boolean hookInstalled;

    private Tracker() {
    }

    private static final class Entry {
        final ShmName name;
        final long dev;
        final long ino;

        Entry(ShmName name, long dev, long ino) {
            this.name = name;
            this.dev = dev;
            this.ino = ino;
        }
    }

    /**
     * Tracks a block until it is unlinked.
     *
     * @param name the block's name
     * @param stat its identity, from {@code fstat}
     */
    public static synchronized void register(ShmName name, NativeShm.Stat stat) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Tracker::cleanUp, "pyshm-tracker"));
            hookInstalled = true;
        }
        TRACKED.put(name.osName(), new Entry(name, stat.dev, stat.ino));
    }

    /**
     * Stops tracking a name (after it was unlinked).
     *
     * @param name the block's name
     */
    public static synchronized void unregister(ShmName name) {
        TRACKED.remove(name.osName());
    }

    /**
     * Returns whether a name is tracked.
     *
     * @param name the block's name
     * @return whether it is tracked
     */
    public static synchronized boolean isTracked(ShmName name) {
        return TRACKED.containsKey(name.osName());
    }

    private static void cleanUp() {
        Entry[] entries;
        synchronized (Tracker.class) {
            entries = TRACKED.values().toArray(new Entry[0]);
            TRACKED.clear();
        }
        NativeShm os = NativeShm.get();
        for (Entry e : entries) {
            try {
                int fd = os.shmOpenReadOnly(e.name.cString());
                NativeShm.Stat st;
                try {
                    st = os.fstat(fd);
                } finally {
                    os.close(fd);
                }
                if (st.dev != e.dev || st.ino != e.ino) {
                    continue; // someone else's block now carries the name
                }
                os.shmUnlink(e.name.cString());
                System.err.println("pyshm: unlinked leaked shared memory block " + PyRepr.str(e.name.name())
                        + " at JVM exit (created by this JVM, never unlinked; track=true)");
            } catch (ErrnoException gone) {
                // ENOENT: already unlinked by another process; EACCES: not ours to remove.
            }
        }
    }
}
