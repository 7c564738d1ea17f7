package dev.pyshm.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Linux (glibc or musl) bindings through JNA direct mapping, the only class that calls JNA.
 *
 * <p>{@code shm_open} and {@code shm_unlink} live in libc since glibc 2.34 and in librt before;
 * {@code fstat} is exported since glibc 2.33 and reached through {@code __fxstat64} before.
 * Pointers and {@code size_t}/{@code off_t} are passed as Java {@code long}, so only 64-bit
 * architectures are supported.
 */
final class LinuxShm extends NativeShm {
    // <fcntl.h>
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    // <sys/mman.h>
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MAP_POPULATE = 0x8000;
    static final long MAP_FAILED = -1L;

    /** struct stat is 144 bytes on x86_64 and 128 on aarch64; 32 longs leave room for both. */
    private static final int STAT_LONGS = 32;

    private final boolean x86;
    private final boolean modernStat;

    private LinuxShm(boolean x86, boolean modernStat) {
        this.x86 = x86;
        this.modernStat = modernStat;
    }

    static LinuxShm load(String arch) {
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        if (!x86 && !arch.equals("aarch64")) {
            throw new UnsupportedOperationException("pyshm supports Linux on x86_64 and aarch64, not on " + arch);
        }
        if (Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("pyshm needs a 64-bit JVM; this one has "
                    + Native.POINTER_SIZE + "-byte pointers");
        }
        NativeLibrary libc = NativeLibrary.getInstance("c");
        Native.register(C.class, libc);
        NativeLibrary shmLib = libc;
        try {
            libc.getFunction("shm_open");
        } catch (UnsatisfiedLinkError before234) {
            shmLib = NativeLibrary.getInstance("rt");
        }
        Native.register(Shm.class, shmLib);
        Native.register(ShmAt.class, shmLib);
        boolean modernStat;
        try {
            libc.getFunction("fstat");
            Native.register(Fstat.class, libc);
            modernStat = true;
        } catch (UnsatisfiedLinkError before233) {
            Native.register(Fxstat.class, libc);
            modernStat = false;
        }
        return new LinuxShm(x86, modernStat);
    }

    private static final class C {
        static native int ftruncate(int fd, long length);

        static native int posix_fallocate(int fd, long offset, long len);

        static native long pwrite(int fd, byte[] buf, long count, long offset);

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(long addr, long length);

        static native int close(int fd);
    }

    private static final class Shm {
        static native int shm_open(byte[] name, int oflag, int mode);

        static native int shm_unlink(byte[] name);
    }

    /** The same functions taking the name's address in a {@link Scratch} buffer. */
    private static final class ShmAt {
        static native int shm_open(long name, int oflag, int mode);

        static native int shm_unlink(long name);
    }

    private static final class Fstat {
        static native int fstat(int fd, long statbuf);
    }

    private static final class Fxstat {
        static native int __fxstat64(int ver, int fd, long statbuf);
    }

    /**
     * Per-thread native memory for a {@code struct stat} and a name: an array argument makes JNA
     * copy it in (and out) on every call, ≈ 0.15–0.2 µs per call here, and a new array per call is
     * garbage. Names longer than {@link #NAME_BYTES} (which the OS rejects anyway) go as arrays.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final int NAME_BYTES = 512;

    private static final class Scratch {
        final ByteBuffer stat = ByteBuffer.allocateDirect(STAT_LONGS * Long.BYTES).order(ByteOrder.nativeOrder());
        final long statAddress = Pointer.nativeValue(Native.getDirectBufferPointer(stat));
        final ByteBuffer name = ByteBuffer.allocateDirect(NAME_BYTES);
        final long nameAddress = Pointer.nativeValue(Native.getDirectBufferPointer(name));

        /** Copies a NUL-terminated name in; returns its address, or 0 when it does not fit. */
        long name(byte[] cString) {
            if (cString.length > NAME_BYTES) {
                return 0;
            }
            name.put(0, cString);
            return nameAddress;
        }
    }

    @Override
    public int shmOpen(byte[] osName, boolean create, int mode) throws ErrnoException {
        return open(osName, create ? O_CREAT | O_EXCL | O_RDWR : O_RDWR, mode);
    }

    @Override
    public int shmOpenReadOnly(byte[] osName) throws ErrnoException {
        return open(osName, O_RDONLY, 0);
    }

    private static int open(byte[] osName, int flags, int mode) throws ErrnoException {
        while (true) {
            long at = SCRATCH.get().name(osName);
            int fd = at != 0 ? ShmAt.shm_open(at, flags, mode) : Shm.shm_open(osName, flags, mode);
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw new ErrnoException(errno, "shm_open");
            }
        }
    }

    @Override
    public void shmUnlink(byte[] osName) throws ErrnoException {
        while (unlinkOnce(osName) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw new ErrnoException(errno, "shm_unlink");
            }
        }
    }

    private static int unlinkOnce(byte[] osName) {
        long at = SCRATCH.get().name(osName);
        return at != 0 ? ShmAt.shm_unlink(at) : Shm.shm_unlink(osName);
    }

    @Override
    public void ftruncate(int fd, long size) throws ErrnoException {
        while (C.ftruncate(fd, size) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw new ErrnoException(errno, "ftruncate");
            }
        }
    }

    @Override
    public void fallocate(int fd, long size) throws ErrnoException {
        int rc;
        // posix_fallocate returns the error number instead of setting errno.
        while ((rc = C.posix_fallocate(fd, 0, size)) != 0) {
            if (rc != Errno.EINTR) {
                throw new ErrnoException(rc, "posix_fallocate");
            }
        }
    }

    @Override
    public int pwrite(int fd, byte[] data, int from, int length, long offset) throws ErrnoException {
        if (from < 0 || length < 0 || from > data.length - length) {
            throw new IllegalArgumentException("from=" + from + " length=" + length + " for " + data.length + " bytes");
        }
        // JNA copies the whole array argument to native memory: pass only the part to write.
        byte[] part = from == 0 && length == data.length ? data : Arrays.copyOfRange(data, from, from + length);
        while (true) {
            long n = C.pwrite(fd, part, length, offset);
            if (n >= 0) {
                if (n == 0 && length > 0) {
                    throw new ErrnoException(Errno.ENOSPC, "pwrite"); // no progress: a full file system
                }
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw new ErrnoException(errno, "pwrite");
            }
        }
    }

    @Override
    public Stat fstat(int fd) throws ErrnoException {
        Scratch sb = SCRATCH.get();
        int rc = modernStat ? Fstat.fstat(fd, sb.statAddress) : Fxstat.__fxstat64(x86 ? 1 : 0, fd, sb.statAddress);
        if (rc != 0) {
            throw new ErrnoException(Native.getLastError(), "fstat");
        }
        ByteBuffer st = sb.stat;
        // x86_64: dev, ino, nlink, mode|uid<<32, ...; aarch64: dev, ino, mode|nlink<<32, uid|gid<<32.
        long word2 = st.getLong(2 * Long.BYTES);
        long word3 = st.getLong(3 * Long.BYTES);
        int mode = (int) (x86 ? word3 : word2);
        int uid = (int) (x86 ? word3 >>> 32 : word3);
        return new Stat(st.getLong(6 * Long.BYTES), st.getLong(0), st.getLong(Long.BYTES), mode, uid);
    }

    @Override
    public long mmapShared(int fd, long length, boolean populate, boolean writable) throws ErrnoException {
        int flags = MAP_SHARED | (populate ? MAP_POPULATE : 0);
        long address = C.mmap(0L, length, writable ? PROT_READ | PROT_WRITE : PROT_READ, flags, fd, 0L);
        if (address == MAP_FAILED) {
            throw new ErrnoException(Native.getLastError(), "mmap");
        }
        return address;
    }

    @Override
    public void mmapAnonymousFixed(long address, long length) throws ErrnoException {
        int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
        long got = C.mmap(address, length, PROT_READ | PROT_WRITE, flags, -1, 0L);
        if (got == MAP_FAILED) {
            throw new ErrnoException(Native.getLastError(), "mmap");
        }
    }

    @Override
    public void munmap(long address, long length) throws ErrnoException {
        if (C.munmap(address, length) != 0) {
            throw new ErrnoException(Native.getLastError(), "munmap");
        }
    }

    @Override
    public void close(int fd) {
        C.close(fd);
    }

    @Override
    public ByteBuffer directBuffer(long address, int length) {
        return new Pointer(address).getByteBuffer(0, length);
    }
}
