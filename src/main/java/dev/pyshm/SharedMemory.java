package dev.pyshm;

import dev.pyshm.internal.Errno;
import dev.pyshm.internal.ErrnoException;
import dev.pyshm.internal.Mapping;
import dev.pyshm.internal.NativeShm;
import dev.pyshm.internal.PyRepr;
import dev.pyshm.internal.ShmName;
import dev.pyshm.internal.Tracker;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;

/**
 * A POSIX shared memory block with CPython's {@code multiprocessing.shared_memory.SharedMemory}
 * semantics: a block created here attaches from CPython 3.8+ by name, and the reverse.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(10)) {      // name like psm_d5082db5, mode 0600
 *     shm.buf().put(0, (byte) 42);
 *     // python: SharedMemory("psm_d5082db5").buf[0] == 42
 *     shm.unlink();
 * }
 * }</pre>
 *
 * <p><b>Names.</b> The OS name is {@code "/" + name}, as in CPython, so {@code "/foo"} opens
 * {@code //foo}, which glibc resolves to {@code /dev/shm/foo}; {@link #name()} reports the name as
 * given. Names are strict UTF-8; an embedded NUL or an unpaired surrogate is rejected before any
 * system call; everything else is left to glibc, so pyshm accepts exactly the names glibc accepts
 * and fails with glibc's errno otherwise.
 *
 * <p><b>Errors.</b> Opening and creating throw {@link java.nio.file.NoSuchFileException} (ENOENT),
 * {@link java.nio.file.FileAlreadyExistsException} (EEXIST),
 * {@link java.nio.file.AccessDeniedException} (EACCES, EPERM) or {@link FileSystemException}
 * whose reason starts with the errno symbol, e.g. {@code ENAMETOOLONG: File name too long}; the
 * file of the exception is the name as the caller gave it. A failed attach never unlinks anything;
 * a failed create unlinks only the object it had just created.
 *
 * <p><b>Lifetime.</b> The file descriptor is closed as soon as the block is mapped. {@link #close()}
 * releases the shared pages at once and is idempotent and thread-safe; buffers obtained before
 * {@code close()} stay safe to use afterwards from any thread (they then see private zero pages,
 * not the block), so a stale view can never crash the JVM. {@link #unlink()} removes the name; the
 * two are independent, as in CPython.
 *
 * <p><b>Tracking.</b> By default a block this JVM created is unlinked at JVM shutdown if it is still
 * linked (CPython's resource tracker does the same for its creator), with one warning line on
 * stderr; attached blocks are never unlinked by pyshm. See {@link Options#track(boolean)}.
 */
public final class SharedMemory implements AutoCloseable {
    private final ShmName name;
    private final long size;
    private final Mapping mapping;
    private final Cleaner.Cleanable cleanable;
    private final boolean created;
    private final boolean readOnly;
    private volatile boolean closed;
    private volatile ByteBuffer root; // the first min(size, Integer.MAX_VALUE) bytes, made on first use

    private SharedMemory(ShmName name, long size, Mapping mapping, boolean created, boolean readOnly) {
        this.name = name;
        this.size = size;
        this.mapping = mapping;
        this.created = created;
        this.readOnly = readOnly;
        this.cleanable = Mapping.CLEANER.register(this, mapping::releaseOwner);
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    /**
     * Creates a block with a generated name ({@code psm_} and 8 lowercase hex digits), retrying
     * with a new name while the name exists, as CPython does.
     *
     * @param size the size in bytes, {@code > 0}
     * @return the new block
     * @throws IllegalArgumentException when {@code size <= 0}
     * @throws IOException when the block cannot be created or mapped
     */
    public static SharedMemory create(long size) throws IOException {
        return create(size, Options.DEFAULTS);
    }

    /**
     * Creates a block with a generated name and the given options.
     *
     * @param size the size in bytes, {@code > 0}
     * @param options mode, tracking, prefault and reservation
     * @return the new block
     * @throws IllegalArgumentException when {@code size <= 0}
     * @throws IOException when the block cannot be created or mapped
     */
    public static SharedMemory create(long size, Options options) throws IOException {
        checkCreateSize(size);
        return doCreate(null, size, options, null);
    }

    /**
     * Creates a block with exactly this name ({@code O_CREAT|O_EXCL}); an existing name is never
     * retried.
     *
     * @param name the name as CPython takes it, e.g. {@code "shared_in"} (OS name {@code /shared_in})
     * @param size the size in bytes, {@code > 0}
     * @return the new block
     * @throws IllegalArgumentException when {@code size <= 0} or the name has an embedded NUL or an
     *     unpaired surrogate
     * @throws java.nio.file.FileAlreadyExistsException when the name exists
     * @throws IOException when the block cannot be created or mapped
     */
    public static SharedMemory create(String name, long size) throws IOException {
        return create(name, size, Options.DEFAULTS);
    }

    /**
     * Creates a block with exactly this name and the given options.
     *
     * @param name the name
     * @param size the size in bytes, {@code > 0}
     * @param options mode, tracking, prefault and reservation
     * @return the new block
     * @throws IllegalArgumentException when {@code size <= 0} or the name is invalid
     * @throws NullPointerException when {@code name} is null (use {@link #create(long)})
     * @throws IOException when the block cannot be created or mapped
     */
    public static SharedMemory create(String name, long size, Options options) throws IOException {
        checkCreateSize(size);
        if (name == null) {
            throw new NullPointerException("name is null; use SharedMemory.create(size) for a generated name");
        }
        return doCreate(ShmName.of(name), size, options, null);
    }

    /**
     * Creates a block holding {@code content}, written with {@code pwrite} before the block is
     * mapped: on tmpfs that costs a fraction of first writes through a new mapping, and a full
     * file system fails the create with ENOSPC instead of raising SIGBUS later.
     *
     * @param name the name, or null for a generated one
     * @param content the bytes; the block's size is their number
     * @param options mode, tracking, prefault and reservation
     * @return the new block
     * @throws IOException when the block cannot be created, written or mapped (nothing is left in
     *     /dev/shm then)
     */
    static SharedMemory createFilled(String name, byte[] content, Options options) throws IOException {
        checkCreateSize(content.length);
        return doCreate(name == null ? null : ShmName.of(name), content.length, options, content);
    }

    /**
     * Attaches to an existing block ({@code O_RDWR}); its size comes from {@code fstat} and it is
     * never truncated. A failed attach never unlinks anything.
     *
     * @param name the name
     * @return the attached block
     * @throws IllegalArgumentException when the name is null or invalid
     * @throws java.nio.file.NoSuchFileException when no block has this name
     * @throws java.nio.file.AccessDeniedException when the caller may not open it read-write
     * @throws IOException when the block cannot be opened or mapped, or is empty
     */
    public static SharedMemory attach(String name) throws IOException {
        return attach(name, Options.DEFAULTS);
    }

    /**
     * Attaches to an existing block with the given options.
     *
     * @param name the name
     * @param options prefault and tracking (mode and reservation do not apply)
     * @return the attached block
     * @throws IllegalArgumentException when the name is null or invalid
     * @throws IOException when the block cannot be opened or mapped, or is empty
     */
    public static SharedMemory attach(String name, Options options) throws IOException {
        if (name == null) {
            throw new IllegalArgumentException("'name' can only be None if create=True: name=null");
        }
        return doAttach(ShmName.of(name), options);
    }

    /**
     * CPython's constructor {@code SharedMemory(name, create, size)}, with the same validation
     * order and messages: {@code 'size' must be a positive integer} for a negative size (checked
     * first, even when attaching), {@code 'size' must be a positive number different from zero}
     * for a zero size on create, {@code 'name' can only be None if create=True} for a missing
     * name on attach. On attach the size is otherwise ignored, as in CPython.
     *
     * @param name the name, or {@code null} for a generated one (create only)
     * @param create whether to create the block
     * @param size the size in bytes for create; ignored (after the sign check) on attach
     * @return the block
     * @throws IllegalArgumentException as described, naming the value
     * @throws IOException when the block cannot be created, opened or mapped
     */
    public static SharedMemory open(String name, boolean create, long size) throws IOException {
        return open(name, create, size, Options.DEFAULTS);
    }

    /**
     * {@link #open(String, boolean, long)} with options.
     *
     * @param name the name, or {@code null} for a generated one (create only)
     * @param create whether to create the block
     * @param size the size in bytes for create; ignored (after the sign check) on attach
     * @param options the options
     * @return the block
     * @throws IllegalArgumentException as described in {@link #open(String, boolean, long)}
     * @throws IOException when the block cannot be created, opened or mapped
     */
    public static SharedMemory open(String name, boolean create, long size, Options options) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("'size' must be a positive integer: size=" + size);
        }
        if (create) {
            checkCreateSize(size);
            return doCreate(name == null ? null : ShmName.of(name), size, options, null);
        }
        return attach(name, options);
    }

    private static void checkCreateSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("'size' must be a positive integer: size=" + size);
        }
        if (size == 0) {
            throw new IllegalArgumentException("'size' must be a positive number different from zero: size=0");
        }
    }

    private static SharedMemory doCreate(ShmName given, long size, Options options, byte[] content)
            throws IOException {
        if (options == null) {
            throw new NullPointerException("options is null; use SharedMemory.Options.defaults()");
        }
        if (options.readOnly) {
            throw new IllegalArgumentException("readOnly applies to attach; a created block is read-write: " + options);
        }
        NativeShm os = NativeShm.get();
        ShmName name = given;
        int fd;
        while (true) {
            if (given == null) {
                name = ShmName.generate();
            }
            try {
                fd = os.shmOpen(name.cString(), true, options.mode);
                break;
            } catch (ErrnoException e) {
                if (given != null || e.errno() != Errno.EEXIST) {
                    throw Errno.translate(e, name.name(), false);
                }
            }
        }
        long address = 0;
        NativeShm.Stat st = null;
        try {
            os.ftruncate(fd, size);
            if (options.reserve) {
                os.fallocate(fd, size);
            }
            if (content != null) {
                writeFully(os, fd, content);
            }
            st = os.fstat(fd);
            address = os.mmapShared(fd, st.size, options.prefault, true);
        } catch (ErrnoException e) {
            os.close(fd);
            unlinkQuietly(os, name);
            throw Errno.translate(e, name.name(), true);
        } catch (RuntimeException | Error e) {
            os.close(fd);
            unlinkQuietly(os, name);
            throw e;
        }
        os.close(fd);
        if (options.trackOr(true)) {
            track(os, name, st, address, true);
        }
        return new SharedMemory(name, st.size, new Mapping(os, address, st.size, name.name()), true, false);
    }

    private static SharedMemory doAttach(ShmName name, Options options) throws IOException {
        if (options == null) {
            throw new NullPointerException("options is null; use SharedMemory.Options.defaults()");
        }
        NativeShm os = NativeShm.get();
        int fd;
        try {
            fd = options.readOnly ? os.shmOpenReadOnly(name.cString()) : os.shmOpen(name.cString(), false, 0);
        } catch (ErrnoException e) {
            throw Errno.translate(e, name.name(), false);
        }
        NativeShm.Stat st;
        long address;
        try {
            st = os.fstat(fd);
            if (st.size == 0) {
                throw new FileSystemException(name.name(), null, "cannot mmap an empty file (size 0)");
            }
            address = os.mmapShared(fd, st.size, options.prefault, !options.readOnly);
        } catch (ErrnoException e) {
            throw Errno.translate(e, name.name(), true); // never unlink: not ours (gh-153279)
        } finally {
            os.close(fd);
        }
        if (options.trackOr(false)) {
            track(os, name, st, address, false);
        }
        return new SharedMemory(name, st.size, new Mapping(os, address, st.size, name.name()), false, options.readOnly);
    }

    /**
     * Registers with the tracker; if that fails (its shutdown hook cannot be installed while the
     * JVM is shutting down), unmaps and, for a block just created, unlinks before rethrowing.
     */
    private static void track(NativeShm os, ShmName name, NativeShm.Stat st, long address, boolean ours) {
        try {
            Tracker.register(name, st);
        } catch (RuntimeException | Error e) {
            try {
                os.munmap(address, st.size);
            } catch (ErrnoException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (ours) {
                unlinkQuietly(os, name);
            }
            throw e;
        }
    }

    private static void writeFully(NativeShm os, int fd, byte[] content) throws ErrnoException {
        final int chunk = 1 << 20; // each call copies its part to native memory: bound that copy
        int done = 0;
        while (done < content.length) {
            done += os.pwrite(fd, content, done, Math.min(chunk, content.length - done), done);
        }
    }

    private static void unlinkQuietly(NativeShm os, ShmName name) {
        try {
            os.shmUnlink(name.cString());
        } catch (ErrnoException ignored) {
            // Already gone; the original failure is what the caller needs to see.
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Properties and access

    /**
     * Returns the name as CPython's {@code .name} reports it: the OS name minus one leading slash,
     * i.e. the name as given ({@code "/foo"} stays {@code "/foo"}).
     *
     * @return the name
     */
    public String name() {
        return name.name();
    }

    /**
     * Returns the name passed to {@code shm_open}, {@code "/" + name()}.
     *
     * @return the OS name
     */
    public String osName() {
        return name.osName();
    }

    /**
     * Returns the size in bytes as {@code fstat} reported it when the block was opened.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * Returns whether this object created the block (rather than attached to it).
     *
     * @return whether it was created here
     */
    public boolean isCreator() {
        return created;
    }

    /**
     * Returns whether the block was attached read-only ({@link Options#readOnly(boolean)}): its
     * buffers are then read-only.
     *
     * @return whether it is read-only
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether it is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns a new buffer over the whole block, in native byte order ({@code struct}'s native
     * mode). Each call returns an independent position and limit over the same memory.
     *
     * @return the buffer
     * @throws IllegalStateException when the block is closed, or larger than a {@link ByteBuffer}
     *     can address ({@code Integer.MAX_VALUE} bytes): use {@link #buf(long, int)} then
     */
    public ByteBuffer buf() {
        ensureOpen();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("shared memory block " + PyRepr.str(name()) + " has " + size
                    + " bytes, more than a ByteBuffer can hold (" + Integer.MAX_VALUE
                    + "); use buf(offset, length) for windows");
        }
        ByteBuffer r = root();
        return (readOnly ? r.asReadOnlyBuffer() : r.duplicate()).order(ByteOrder.nativeOrder());
    }

    /**
     * Returns a buffer over {@code [offset, offset + length)}, in native byte order; works for any
     * window of blocks of any size.
     *
     * @param offset the start, {@code 0 <= offset}
     * @param length the length, {@code 0 <= length} and {@code offset + length <= size()}
     * @return the buffer
     * @throws IndexOutOfBoundsException when the window is not inside the block, as
     *     {@code index=… length=… capacity=…}
     * @throws IllegalStateException when the block is closed
     */
    public ByteBuffer buf(long offset, int length) {
        ensureOpen();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("index=" + offset + " length=" + length + " capacity=" + size);
        }
        ByteBuffer view;
        if (offset + (long) length <= Math.min(size, Integer.MAX_VALUE)) {
            view = root().slice((int) offset, length);
        } else {
            view = mapping.newRoot(offset, length);
        }
        // The root of a read-only mapping stays private: writing through it would fault.
        return (readOnly ? view.asReadOnlyBuffer() : view).order(ByteOrder.nativeOrder());
    }

    private ByteBuffer root() {
        ByteBuffer r = root;
        if (r == null) {
            synchronized (this) {
                r = root;
                if (r == null) {
                    r = mapping.newRoot(0, (int) Math.min(size, Integer.MAX_VALUE));
                    root = r;
                }
            }
        }
        return r;
    }

    /**
     * Returns a view for code of this package that brackets each access with
     * {@link Mapping.Guarded#enter()} / {@link Mapping.Guarded#exit(int)} (a {@link ShareableList}).
     * Unlike {@link #buf()}, it leaves {@link #close()} free to unmap at once.
     *
     * @return the guarded view over the first {@code min(size, Integer.MAX_VALUE)} bytes
     * @throws IllegalStateException when the block is closed
     */
    Mapping.Guarded guarded() {
        ensureOpen();
        return mapping.guarded((int) Math.min(size, Integer.MAX_VALUE), !readOnly);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("shared memory block " + PyRepr.str(name()) + " is closed");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Unmaps the block from this JVM. The shared pages are released now; buffers obtained earlier
     * stay safe to use (they see private zero pages from now on). Idempotent and thread-safe. Does
     * not unlink the name.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            root = null;
        }
        // Also on a second call: detach is idempotent and synchronized, so a close that races
        // another returns only once the accesses in flight have finished.
        mapping.detach();
        cleanable.clean();
    }

    /**
     * Removes the name ({@code shm_unlink}), as CPython's {@code unlink()}: the mapping stays
     * usable, new attaches fail with {@link java.nio.file.NoSuchFileException}. Works before and
     * after {@link #close()}.
     *
     * @throws java.nio.file.NoSuchFileException when the name is already gone (a second unlink)
     * @throws IOException when the name cannot be removed
     */
    public void unlink() throws IOException {
        unlink(name);
    }

    /**
     * Removes a block's name without attaching to it.
     *
     * @param name the name as CPython takes it
     * @throws IllegalArgumentException when the name is invalid
     * @throws java.nio.file.NoSuchFileException when no block has this name
     * @throws IOException when the name cannot be removed
     */
    public static void unlink(String name) throws IOException {
        if (name == null) {
            throw new IllegalArgumentException("name is null");
        }
        unlink(ShmName.of(name));
    }

    private static void unlink(ShmName name) throws IOException {
        try {
            NativeShm.get().shmUnlink(name.cString());
        } catch (ErrnoException e) {
            throw Errno.translate(e, name.name(), false);
        }
        Tracker.unregister(name);
    }

    /**
     * Returns CPython's repr, for example {@code SharedMemory('psm_d5082db5', size=10)}.
     *
     * @return the repr
     */
    @Override
    public String toString() {
        return "SharedMemory(" + PyRepr.str(name()) + ", size=" + size + ")";
    }

    // ---------------------------------------------------------------------------------------------
    // Options

    /**
     * Options for creating and attaching: an immutable value, each method returns a changed copy.
     *
     * <pre>{@code
     * SharedMemory.create("frames", 1 << 20, SharedMemory.Options.defaults().mode(0640).track(false));
     * }</pre>
     */
    public static final class Options {
        static final Options DEFAULTS = new Options(0600, null, false, false, false);

        final int mode;
        final Boolean track;
        final boolean prefault;
        final boolean reserve;
        final boolean readOnly;

        private Options(int mode, Boolean track, boolean prefault, boolean reserve, boolean readOnly) {
            this.mode = mode;
            this.track = track;
            this.prefault = prefault;
            this.reserve = reserve;
            this.readOnly = readOnly;
        }

        /**
         * Returns the defaults: mode 0600, tracking for created blocks only, no prefault, no
         * reservation.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * Sets the permission bits of a created block (before the umask), as
         * {@code SharedMemory._mode} in CPython. Default {@code 0600}.
         *
         * @param mode permission bits in {@code 0..0777}
         * @return the changed options
         * @throws IllegalArgumentException when {@code mode} is outside {@code 0..0777}
         */
        public Options mode(int mode) {
            if (mode < 0 || mode > 0777) {
                throw new IllegalArgumentException("mode must be within 0..0777: mode=0" + Integer.toOctalString(mode));
            }
            return new Options(mode, track, prefault, reserve, readOnly);
        }

        /**
         * Sets whether pyshm unlinks the block at JVM shutdown if it is still linked then. The
         * default is {@code true} for blocks created here (what CPython's resource tracker does
         * for its creator) and {@code false} for attached blocks (CPython before 3.13 unlinks
         * those too, gh-82300; pyshm deliberately does not).
         *
         * @param track whether to track
         * @return the changed options
         */
        public Options track(boolean track) {
            return new Options(mode, track, prefault, reserve, readOnly);
        }

        /**
         * Sets whether the mapping is prefaulted ({@code MAP_POPULATE}): one slower open, no page
         * faults on first access afterwards. Default {@code false}.
         *
         * @param prefault whether to prefault
         * @return the changed options
         */
        public Options prefault(boolean prefault) {
            return new Options(mode, track, prefault, reserve, readOnly);
        }

        /**
         * Sets whether create reserves the block's pages up front ({@code posix_fallocate}), so
         * that a full {@code /dev/shm} fails the create with ENOSPC instead of raising SIGBUS at
         * the first write to a page that cannot be allocated. Default {@code false} (sparse, as
         * CPython). Ignored on attach.
         *
         * @param reserve whether to reserve
         * @return the changed options
         */
        public Options reserve(boolean reserve) {
            return new Options(mode, track, prefault, reserve, readOnly);
        }

        /**
         * Sets whether attach opens the block read-only ({@code O_RDONLY}, {@code PROT_READ}): it
         * then needs only read permission (a 0644 block of another user), and every buffer is
         * read-only. CPython has no read-only attach. Default {@code false}; create rejects it.
         *
         * @param readOnly whether to attach read-only
         * @return the changed options
         */
        public Options readOnly(boolean readOnly) {
            return new Options(mode, track, prefault, reserve, readOnly);
        }

        boolean trackOr(boolean dflt) {
            return track != null ? track : dflt;
        }

        /**
         * Describes the options.
         *
         * @return e.g. {@code Options[mode=0600, track=default, prefault=false, reserve=false]}
         */
        @Override
        public String toString() {
            return "Options[mode=0" + Integer.toOctalString(mode) + ", track=" + (track == null ? "default" : track)
                    + ", prefault=" + prefault + ", reserve=" + reserve + (readOnly ? ", readOnly=true" : "") + "]";
        }
    }
}
