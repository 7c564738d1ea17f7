package dev.pyshm.cli;

/**
 * The identity of a file ({@code st_dev}, {@code st_ino}): how a mapping in {@code /proc/PID/maps}
 * is matched to a {@code /dev/shm} entry. Matching by identity rather than by path is exact even
 * for names with spaces or newlines, and never confuses a block with a newer one of the same name.
 */
final class FileKey {
    private final long dev;
    private final long ino;

    /**
     * Creates a key.
     *
     * @param dev {@code st_dev} in glibc's encoding
     * @param ino {@code st_ino}
     */
    FileKey(long dev, long ino) {
        this.dev = dev;
        this.ino = ino;
    }

    /**
     * Makes a key from the {@code MAJ:MIN} hex device and the inode of a maps line, encoding the
     * device as glibc's {@code makedev} does, so it compares equal to {@code stat}'s {@code st_dev}.
     *
     * @param major the major device number
     * @param minor the minor device number
     * @param ino the inode
     * @return the key
     */
    static FileKey ofMaps(long major, long minor, long ino) {
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        return new FileKey(dev, ino);
    }

    /**
     * Returns the inode.
     *
     * @return {@code st_ino}
     */
    long ino() {
        return ino;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileKey && ((FileKey) o).dev == dev && ((FileKey) o).ino == ino;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(dev) * 31 + Long.hashCode(ino);
    }

    @Override
    public String toString() {
        return "dev=" + dev + " ino=" + ino;
    }
}
