package dev.pyshm.internal;

import java.nio.ByteBuffer;

/**
 * The system calls pyshm needs, one implementation per operating system. Every method checks the
 * C return value first and only then reads errno; failures surface as {@link ErrnoException}.
 * Calls that CPython's {@code _posixshmem} retries on EINTR are retried here too.
 *
 * <p>Names are passed as NUL-terminated UTF-8 byte arrays (see {@link ShmName}), never as Java
 * strings, so the bytes the kernel sees do not depend on the platform charset.
 */
public abstract class NativeShm {
    private static volatile NativeShm current;

    /** For subclasses. */
    protected NativeShm() {
    }

    /**
     * Returns the implementation for the running operating system, loading it on first use.
     *
     * @return the implementation
     * @throws UnsupportedOperationException when the operating system or architecture is not
     *     supported yet, naming it
     */
    public static NativeShm get() {
        NativeShm n = current;
        if (n == null) {
            synchronized (NativeShm.class) {
                n = current;
                if (n == null) {
                    n = load(System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"));
                    current = n;
                }
            }
        }
        return n;
    }

    static NativeShm load(String osName, String arch) {
        if (osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return LinuxShm.load(arch);
        }
        throw new UnsupportedOperationException("pyshm does not support POSIX shared memory on " + osName
                + " (" + arch + ") yet; supported: Linux (x86_64, aarch64)");
    }

    /** What {@code fstat} reports about an open block. */
    public static final class Stat {
        /** {@code st_size} in bytes. */
        public final long size;
        /** {@code st_dev}. */
        public final long dev;
        /** {@code st_ino}. */
        public final long ino;
        /** {@code st_mode}, including the file type bits. */
        public final int mode;
        /** {@code st_uid}. */
        public final int uid;

        /**
         * Creates a record.
         *
         * @param size st_size
         * @param dev st_dev
         * @param ino st_ino
         * @param mode st_mode
         * @param uid st_uid
         */
        public Stat(long size, long dev, long ino, int mode, int uid) {
            this.size = size;
            this.dev = dev;
            this.ino = ino;
            this.mode = mode;
            this.uid = uid;
        }
    }

    /**
     * {@code shm_open(name, O_RDWR [| O_CREAT | O_EXCL], mode)}.
     *
     * @param osName the NUL-terminated UTF-8 OS name, leading slash included
     * @param create whether to create exclusively
     * @param mode the permission bits for a new object
     * @return the file descriptor
     * @throws ErrnoException when the call fails
     */
    public abstract int shmOpen(byte[] osName, boolean create, int mode) throws ErrnoException;

    /**
     * {@code shm_open(name, O_RDONLY, 0)}: opens without asking for write access (read-only attach,
     * inspection).
     *
     * @param osName the NUL-terminated UTF-8 OS name
     * @return the file descriptor
     * @throws ErrnoException when the call fails
     */
    public abstract int shmOpenReadOnly(byte[] osName) throws ErrnoException;

    /**
     * {@code shm_unlink(name)}.
     *
     * @param osName the NUL-terminated UTF-8 OS name
     * @throws ErrnoException when the call fails
     */
    public abstract void shmUnlink(byte[] osName) throws ErrnoException;

    /**
     * {@code ftruncate(fd, size)}.
     *
     * @param fd the descriptor
     * @param size the new size
     * @throws ErrnoException when the call fails
     */
    public abstract void ftruncate(int fd, long size) throws ErrnoException;

    /**
     * {@code posix_fallocate(fd, 0, size)}: reserves the pages now so that a full tmpfs fails here
     * with ENOSPC instead of raising SIGBUS on first write.
     *
     * @param fd the descriptor
     * @param size the number of bytes to reserve
     * @throws ErrnoException when the call fails
     */
    public abstract void fallocate(int fd, long size) throws ErrnoException;

    /**
     * {@code pwrite(fd, data + from, length, offset)}, retried on EINTR.
     *
     * @param fd the descriptor
     * @param data the bytes
     * @param from the first of them to write
     * @param length how many to write
     * @param offset the file offset
     * @return how many bytes were written, {@code >= 1} when {@code length >= 1}
     * @throws ErrnoException when the call fails (ENOSPC on a full tmpfs)
     */
    public abstract int pwrite(int fd, byte[] data, int from, int length, long offset) throws ErrnoException;

    /**
     * {@code fstat(fd)}.
     *
     * @param fd the descriptor
     * @return the size, identity, mode and owner
     * @throws ErrnoException when the call fails
     */
    public abstract Stat fstat(int fd) throws ErrnoException;

    /**
     * {@code mmap(NULL, length, PROT_READ [| PROT_WRITE], MAP_SHARED [| MAP_POPULATE], fd, 0)}.
     *
     * @param fd the descriptor
     * @param length the length in bytes
     * @param populate whether to prefault the pages ({@code MAP_POPULATE})
     * @param writable whether to map {@code PROT_WRITE} too (a read-only descriptor cannot)
     * @return the address
     * @throws ErrnoException when the call fails
     */
    public abstract long mmapShared(int fd, long length, boolean populate, boolean writable) throws ErrnoException;

    /**
     * Replaces {@code [address, address + length)} in place with a private anonymous read-write
     * mapping ({@code MAP_FIXED}). Stale views keep pointing at valid memory, but no longer at the
     * shared pages.
     *
     * @param address the start of an existing mapping
     * @param length its length
     * @throws ErrnoException when the call fails
     */
    public abstract void mmapAnonymousFixed(long address, long length) throws ErrnoException;

    /**
     * {@code munmap(address, length)}.
     *
     * @param address the start
     * @param length the length
     * @throws ErrnoException when the call fails
     */
    public abstract void munmap(long address, long length) throws ErrnoException;

    /**
     * {@code close(fd)}; errors are ignored, as the descriptor is released either way on Linux.
     *
     * @param fd the descriptor
     */
    public abstract void close(int fd);

    /**
     * A direct buffer over native memory (big-endian, as every new buffer; callers set the order).
     *
     * @param address the start address
     * @param length the capacity
     * @return the buffer
     */
    public abstract ByteBuffer directBuffer(long address, int length);
}
