package dev.pyshm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which processes map or hold open which {@code /dev/shm} objects, read from every
 * {@code /proc/PID/maps} and {@code /proc/PID/fd}. Objects are matched by identity
 * ({@link FileKey}), not by path. A process that exits during the scan is skipped (it holds
 * nothing any more); a process whose maps cannot be read is recorded as {@link Uninspected}
 * (its descriptors are still used when they can be read).
 *
 * <p>Only processes in this PID namespace are visible: a container that shares {@code /dev/shm}
 * but not the PID namespace hides its processes from the scan.
 */
final class ProcScan {
    private static final Path PROC = Path.of("/proc");
    private static final String SHM = "/dev/shm/";
    private static final String DELETED = " (deleted)";

    private final Map<FileKey, Map<Long, Holder>> holders = new HashMap<>();
    private final Map<FileKey, Unlinked> unlinked = new LinkedHashMap<>();
    private final Map<Long, Uninspected> uninspected = new TreeMap<>();
    private int processes;

    /** An unlinked object some process still holds, as far as the scan saw it. */
    static final class Unlinked {
        final FileKey key;
        final String name;
        long extent;
        Path link; // a /proc link that leads to the object, to stat it

        Unlinked(FileKey key, String name) {
            this.key = key;
            this.name = name;
        }
    }

    private ProcScan() {
    }

    /**
     * Scans every process.
     *
     * @return the result
     * @throws IOException when {@code /proc} itself cannot be listed
     */
    static ProcScan scan() throws IOException {
        ProcScan s = new ProcScan();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path dir : ds) {
                String n = dir.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    s.scanProcess(Long.parseLong(n), dir);
                }
            }
        }
        return s;
    }

    private void scanProcess(long pid, Path dir) {
        String comm = comm(dir);
        String mapsProblem = null;
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.indexOf(SHM) < 0) {
                    continue;
                }
                MapsLine m = MapsLine.parse(line);
                if (m != null) {
                    holder(m.key, pid, comm).markMapped();
                    if (m.deleted) {
                        Unlinked u = unlinked.computeIfAbsent(m.key, k -> new Unlinked(k, m.name));
                        u.extent = Math.max(u.extent, m.extent);
                        if (u.link == null) {
                            u.link = dir.resolve("map_files").resolve(m.range);
                        }
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return;
        } catch (AccessDeniedException e) {
            mapsProblem = "permission denied";
        } catch (IOException e) {
            if (!Files.exists(dir)) {
                return; // exited while being read (ESRCH)
            }
            mapsProblem = String.valueOf(e.getMessage());
        }
        scanFds(pid, dir, comm);
        processes++;
        if (mapsProblem != null) {
            uninspected.put(pid, new Uninspected(pid, comm, uid(dir), mapsProblem));
        }
    }

    private void scanFds(long pid, Path dir, String comm) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closed) {
                    continue;
                }
                if (!target.startsWith(SHM)) {
                    continue;
                }
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(fd, "unix:dev,ino");
                } catch (IOException closed) {
                    continue;
                }
                FileKey key = new FileKey((Long) a.get("dev"), (Long) a.get("ino"));
                holder(key, pid, comm).markOpen();
                if (target.endsWith(DELETED)) {
                    String name = target.substring(SHM.length(), target.length() - DELETED.length());
                    Unlinked u = unlinked.computeIfAbsent(key, k -> new Unlinked(k, name));
                    u.link = fd; // an fd link can be followed without CAP_SYS_ADMIN, map_files cannot
                }
            }
        } catch (IOException e) {
            // No access to the descriptors: the maps (when readable) still tell the mappings.
        }
    }

    private Holder holder(FileKey key, long pid, String comm) {
        return holders.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(pid, p -> new Holder(p, comm));
    }

    private static String comm(Path dir) {
        try {
            return Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int uid(Path dir) {
        try {
            return (Integer) Files.getAttribute(dir, "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Returns the processes that map or hold the object, by pid.
     *
     * @param key the object's identity
     * @return the holders, possibly empty
     */
    List<Holder> holdersOf(FileKey key) {
        Map<Long, Holder> h = key == null ? null : holders.get(key);
        return h == null ? List.of() : new ArrayList<>(h.values());
    }

    /**
     * Returns the unlinked objects that some process still maps or holds, with what is known about
     * them, sorted by name.
     *
     * @return the entries
     */
    List<ShmEntry> unlinked() {
        List<ShmEntry> out = new ArrayList<>();
        for (Unlinked u : unlinked.values()) {
            ShmEntry e = null;
            if (u.link != null) {
                try {
                    e = ShmEntry.readUnlinked(u.name, u.link);
                } catch (IOException | RuntimeException noAccess) {
                    e = null;
                }
            }
            out.add(e != null && e.key.equals(u.key) ? e : ShmEntry.unknownUnlinked(u.name, u.key, u.extent));
        }
        out.sort(Comparator.comparing((ShmEntry x) -> x.name).thenComparingLong(x -> x.key.ino()));
        return out;
    }

    /**
     * Returns the processes whose maps could not be read, by pid.
     *
     * @return the processes
     */
    Collection<Uninspected> uninspected() {
        return uninspected.values();
    }

    /**
     * Returns how many processes were looked at (those that exited meanwhile not counted).
     *
     * @return the count
     */
    int processes() {
        return processes;
    }
}
