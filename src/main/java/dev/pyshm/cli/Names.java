package dev.pyshm.cli;

import dev.pyshm.internal.PyRepr;
import java.nio.file.Path;

/** Block names: where they live under {@code /dev/shm} and how to show them on one line. */
final class Names {
    /** Where glibc keeps POSIX shared memory objects. */
    static final Path SHM_DIR = Path.of("/dev/shm");

    private Names() {
    }

    /**
     * Returns the file of a name as CPython takes it: glibc strips every leading slash, so
     * {@code "/foo"} and {@code "foo"} are both {@code /dev/shm/foo}.
     *
     * @param name the name
     * @return its path
     */
    static Path file(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '/') {
            i++;
        }
        return SHM_DIR.resolve(name.substring(i));
    }

    /**
     * Returns the name as is when it is plain printable text without spaces, else its Python
     * repr, so that a table row or a message always stays one unambiguous line.
     *
     * @param name the name
     * @return the text to show
     */
    static String display(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '\'' || c == '"' || c == '\\' || Character.isISOControl(c)) {
                return PyRepr.str(name);
            }
        }
        return name.isEmpty() ? "''" : name;
    }
}
