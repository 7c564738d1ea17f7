package dev.pyshm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Readable copies of build outputs for a child running as another uid ({@code nobody}): the
 * checkout may live under a 0700 directory (/root, or a {@code mktemp -d} clone).
 */
public final class ForOtherUsers {
    private ForOtherUsers() {
    }

    /**
     * Copies files and directory trees into a new 0755 directory, each entry readable by all.
     *
     * @param sources the files or directories; each lands under the directory by its file name
     * @return the directory
     * @throws IOException when copying fails
     */
    public static Path copy(Collection<Path> sources) throws IOException {
        Path dir = Files.createTempDirectory("pyshm-nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path src : sources) {
            Path dst = dir.resolve(src.getFileName().toString());
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path t = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t);
                    }
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        return dir;
    }

    /**
     * Deletes a directory made by {@link #copy}.
     *
     * @param dir the directory
     * @throws IOException when deleting fails
     */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            s.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.delete(all.get(i));
            }
        }
    }
}
