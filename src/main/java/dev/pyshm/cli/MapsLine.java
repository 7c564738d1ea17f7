package dev.pyshm.cli;

import java.nio.charset.StandardCharsets;

/**
 * One line of {@code /proc/PID/maps} that names a {@code /dev/shm} file:
 * {@code 7f18..000-7f18..000 rw-s 00000000 00:1a 36143   /dev/shm/psm_0750a299}, possibly with a
 * {@code " (deleted)"} suffix when the name was unlinked after the mapping was made.
 */
final class MapsLine {
    private static final String SHM = "/dev/shm/";
    private static final String DELETED = " (deleted)";

    /** The identity of the mapped file. */
    final FileKey key;
    /** The file name under {@code /dev/shm} (without the deleted suffix). */
    final String name;
    /** Whether the kernel marked the path {@code (deleted)}. */
    final boolean deleted;
    /** The mapping's start address, hex as in the line. */
    final String range;
    /** The end of the mapped window within the file: file offset plus mapping length. */
    final long extent;

    private MapsLine(FileKey key, String name, boolean deleted, String range, long extent) {
        this.key = key;
        this.name = name;
        this.deleted = deleted;
        this.range = range;
        this.extent = extent;
    }

    /**
     * Parses a line read as ISO-8859-1 (one char per byte).
     *
     * @param line the line
     * @return the parsed line, or null when it does not map a {@code /dev/shm} file or is malformed
     */
    static MapsLine parse(String line) {
        String[] f = new String[5];
        int pos = 0;
        for (int i = 0; i < 5; i++) {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                return null;
            }
            f[i] = line.substring(pos, end);
            pos = end;
        }
        while (pos < line.length() && line.charAt(pos) == ' ') {
            pos++;
        }
        String path = line.substring(pos);
        if (!path.startsWith(SHM)) {
            return null;
        }
        boolean deleted = path.endsWith(DELETED);
        if (deleted) {
            path = path.substring(0, path.length() - DELETED.length());
        }
        // The kernel writes a newline in a path as \012; names are UTF-8 bytes.
        String name = new String(path.substring(SHM.length()).replace("\\012", "\n").getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
        try {
            int dash = f[0].indexOf('-');
            int colon = f[3].indexOf(':');
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
            long stop = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            long offset = Long.parseUnsignedLong(f[2], 16);
            FileKey key = FileKey.ofMaps(Long.parseLong(f[3].substring(0, colon), 16),
                    Long.parseLong(f[3].substring(colon + 1), 16), Long.parseLong(f[4]));
            return new MapsLine(key, name, deleted, f[0], offset + (stop - start));
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
