package dev.pyshm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Test helpers for names and {@code /dev/shm} entries. */
public final class Shm {
    /** Prefix of every explicit name a test makes; the stray-entry check watches it. */
    public static final String TEST_PREFIX = "pyshmtest_";
    /** Where glibc keeps POSIX shared memory objects. */
    public static final Path DIR = Path.of("/dev/shm");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Shm() {
    }

    /**
     * A name no other test or run uses.
     *
     * @param tag a readable tag
     * @return {@code pyshmtest_<tag>_<pid>_<n>}
     */
    public static String uniqueName(String tag) {
        return TEST_PREFIX + tag + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    /**
     * The file behind a name (glibc strips all leading slashes).
     *
     * @param name the name
     * @return the path under /dev/shm
     */
    public static Path file(String name) {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return DIR.resolve(n);
    }

    /**
     * Whether the name exists.
     *
     * @param name the name
     * @return whether /dev/shm has it
     */
    public static boolean exists(String name) {
        return Files.exists(file(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The permission string of the name, e.g. {@code rw-------}.
     *
     * @param name the name
     * @return the permissions
     * @throws IOException when it cannot be read
     */
    public static String perms(String name) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file(name), LinkOption.NOFOLLOW_LINKS);
        return PosixFilePermissions.toString(p);
    }

    /**
     * Removes the name if it exists.
     *
     * @param name the name
     */
    public static void remove(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The names in /dev/shm that tests make: {@code pyshmtest_*} and generated {@code psm_*}.
     *
     * @return the sorted names
     */
    public static Set<String> testEntries() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(TEST_PREFIX) || n.startsWith("psm_"))
                    .forEach(names::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
