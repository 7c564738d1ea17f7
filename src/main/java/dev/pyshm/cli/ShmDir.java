package dev.pyshm.cli;

import dev.pyshm.internal.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads the entries of {@code /dev/shm}. */
final class ShmDir {
    private ShmDir() {
    }

    /**
     * Lists the entries whose names pass the filter, sorted by name; entries that vanish while
     * being read are left out.
     *
     * @param filter the names to keep
     * @return the entries
     * @throws IOException when {@code /dev/shm} cannot be read
     */
    static List<ShmEntry> list(NameFilter filter) throws IOException {
        List<ShmEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Names.SHM_DIR)) {
            for (Path p : ds) {
                if (!filter.test(p.getFileName().toString())) {
                    continue;
                }
                try {
                    out.add(ShmEntry.read(p));
                } catch (NoSuchFileException gone) {
                    // unlinked between readdir and lstat
                }
            }
        }
        out.sort(Comparator.comparing(e -> e.name));
        return out;
    }

    /**
     * Reads one entry by block name.
     *
     * @param name the name as CPython takes it ({@code psm_ab12cd34} or {@code /psm_ab12cd34})
     * @return the entry
     * @throws IllegalArgumentException when the name cannot be a shared memory name
     * @throws NoSuchFileException when there is no such block, naming it
     * @throws IOException when it cannot be read
     */
    static ShmEntry entry(String name) throws IOException {
        Path file = Names.file(name);
        String base = Names.SHM_DIR.relativize(file).toString();
        if (base.isEmpty() || base.contains("/") || base.equals(".") || base.equals("..")) {
            throw new IllegalArgumentException("not a shared memory name (glibc allows no '/' inside one): name="
                    + Names.display(name));
        }
        try {
            return ShmEntry.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, Errno.describe(Errno.ENOENT));
        }
    }
}
