package dev.pyshm.py4j;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.internal.Errno;
import dev.pyshm.internal.Json;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The object Python reaches as {@code gateway.entry_point}: pyshm's API in a shape that crosses
 * Py4J well. Blocks and lists come back as Py4J references, so Python can also call their own
 * methods ({@code shm.size()}, {@code shm.name()}, {@code shm.toString()}, {@code shm.close()},
 * {@code shm.unlink()}, {@code sl.format()}); buffer contents cross as {@code bytes}, with
 * {@code long} offsets so windows beyond 2 GiB work.
 *
 * <pre>{@code
 * ep = gateway.entry_point
 * shm = ep.create("frames", 4096)          # SharedMemory.create("frames", 4096)
 * ep.write(shm, 0, b"howdy")
 * bytes(ep.read(shm, 0, 5))                # b'howdy'
 * try:
 *     ep.attach("missing")
 * except Py4JJavaError as e:
 *     json.loads(ep.errorReport(e.java_exception))["errno"]   # 2
 * }</pre>
 *
 * <p>Every method is thread-safe as far as the pyshm call it wraps is; Py4J runs each Python
 * thread's calls on its own Java thread.
 */
public final class PyshmEntryPoint {
    private static final int CHUNK = 1 << 20;

    /** Creates the entry point. */
    public PyshmEntryPoint() {
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    /**
     * Builds {@link SharedMemory.Options}; a null argument keeps the default.
     *
     * @param mode permission bits of a created block, or null for 0600
     * @param track whether this JVM unlinks the block at exit, or null for the default
     * @param prefault whether to prefault the mapping, or null for false
     * @param reserve whether create reserves the pages, or null for false
     * @return the options
     * @throws IllegalArgumentException when the mode is outside {@code 0..0777}
     */
    public SharedMemory.Options options(Integer mode, Boolean track, Boolean prefault, Boolean reserve) {
        SharedMemory.Options o = SharedMemory.Options.defaults();
        if (mode != null) {
            o = o.mode(mode);
        }
        if (track != null) {
            o = o.track(track);
        }
        if (prefault != null) {
            o = o.prefault(prefault);
        }
        if (reserve != null) {
            o = o.reserve(reserve);
        }
        return o;
    }

    /**
     * Creates a block: {@link SharedMemory#create(String, long)}, or
     * {@link SharedMemory#create(long)} when {@code name} is null.
     *
     * @param name the name, or null for a generated one
     * @param size the size in bytes
     * @return the block
     * @throws IOException as {@link SharedMemory#create(String, long)}
     */
    public SharedMemory create(String name, long size) throws IOException {
        return create(name, size, SharedMemory.Options.defaults());
    }

    /**
     * Creates a block with options.
     *
     * @param name the name, or null for a generated one
     * @param size the size in bytes
     * @param options the options, see {@link #options}
     * @return the block
     * @throws IOException as {@link SharedMemory#create(String, long, SharedMemory.Options)}
     */
    public SharedMemory create(String name, long size, SharedMemory.Options options) throws IOException {
        return name == null ? SharedMemory.create(size, options) : SharedMemory.create(name, size, options);
    }

    /**
     * Attaches to a block: {@link SharedMemory#attach(String)}.
     *
     * @param name the name
     * @return the block
     * @throws IOException as {@link SharedMemory#attach(String)}
     */
    public SharedMemory attach(String name) throws IOException {
        return SharedMemory.attach(name);
    }

    /**
     * Attaches to a block with options.
     *
     * @param name the name
     * @param options the options
     * @return the block
     * @throws IOException as {@link SharedMemory#attach(String, SharedMemory.Options)}
     */
    public SharedMemory attach(String name, SharedMemory.Options options) throws IOException {
        return SharedMemory.attach(name, options);
    }

    /**
     * CPython's constructor {@code SharedMemory(name, create, size)}:
     * {@link SharedMemory#open(String, boolean, long)}.
     *
     * @param name the name, or null for a generated one (create only)
     * @param create whether to create
     * @param size the size (create) or a value checked for sign only (attach)
     * @return the block
     * @throws IOException as {@link SharedMemory#open(String, boolean, long)}
     */
    public SharedMemory open(String name, boolean create, long size) throws IOException {
        return SharedMemory.open(name, create, size);
    }

    /**
     * {@link #open(String, boolean, long)} with options.
     *
     * @param name the name, or null for a generated one (create only)
     * @param create whether to create
     * @param size the size
     * @param options the options
     * @return the block
     * @throws IOException as {@link SharedMemory#open(String, boolean, long, SharedMemory.Options)}
     */
    public SharedMemory open(String name, boolean create, long size, SharedMemory.Options options)
            throws IOException {
        return SharedMemory.open(name, create, size, options);
    }

    /**
     * Removes a name without attaching: {@link SharedMemory#unlink(String)}.
     *
     * @param name the name
     * @throws IOException as {@link SharedMemory#unlink(String)}
     */
    public void unlink(String name) throws IOException {
        SharedMemory.unlink(name);
    }

    /**
     * Creates one block per name, one after the other as fast as the JVM can, starting at a wall
     * clock instant (so several processes can start a race together), and closes each mapping at
     * once; the blocks stay linked. For concurrency tests and bulk setup.
     *
     * @param names the names; a null entry gets a generated name
     * @param size the size of every block
     * @param startAtMillis {@link System#currentTimeMillis()} to wait for, or 0 to start now
     * @return per name, in order: the created block's name, or {@code !} followed by the errno
     *     symbol (e.g. {@code !EEXIST}) or, for an error without errno, the exception class
     * @throws InterruptedException when interrupted while waiting for the start
     */
    public List<String> createEach(List<String> names, long size, long startAtMillis) throws InterruptedException {
        waitUntil(startAtMillis);
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            try (SharedMemory shm = create(name, size)) {
                out.add(shm.name());
            } catch (FileSystemException e) {
                OptionalInt errno = Errno.errnoOf(e);
                out.add("!" + (errno.isPresent() ? Errno.symbol(errno.getAsInt()) : e.getClass().getName()));
            } catch (IOException | RuntimeException e) {
                out.add("!" + e.getClass().getName());
            }
        }
        return out;
    }

    private static void waitUntil(long startAtMillis) throws InterruptedException {
        long wait = startAtMillis - System.currentTimeMillis();
        if (wait > 1) {
            Thread.sleep(wait - 1);
        }
        while (System.currentTimeMillis() < startAtMillis) {
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Contents

    /**
     * Reads {@code length} bytes at {@code offset}.
     *
     * @param shm the block
     * @param offset the start, any {@code long} inside the block
     * @param length the number of bytes
     * @return a copy of the bytes
     * @throws IndexOutOfBoundsException outside the block
     * @throws IllegalStateException when the block is closed
     */
    public byte[] read(SharedMemory shm, long offset, int length) {
        byte[] out = new byte[length];
        shm.buf(offset, length).get(0, out);
        return out;
    }

    /**
     * Writes {@code data} at {@code offset}.
     *
     * @param shm the block
     * @param offset the start
     * @param data the bytes
     * @return the number of bytes written
     * @throws IndexOutOfBoundsException outside the block
     * @throws IllegalStateException when the block is closed
     */
    public int write(SharedMemory shm, long offset, byte[] data) {
        shm.buf(offset, data.length).put(0, data);
        return data.length;
    }

    /**
     * Sets every byte of {@code [offset, offset + length)} to {@code value}.
     *
     * @param shm the block
     * @param offset the start
     * @param length the number of bytes
     * @param value the byte, {@code 0..255}
     * @return {@code length}
     * @throws IllegalArgumentException when {@code value} is not a byte or {@code length < 0}
     * @throws IndexOutOfBoundsException outside the block
     */
    public long fill(SharedMemory shm, long offset, long length, int value) {
        checkByte(value);
        checkRange(shm, offset, length);
        byte[] pattern = new byte[(int) Math.min(length, CHUNK)];
        Arrays.fill(pattern, (byte) value);
        for (long pos = 0; pos < length; pos += CHUNK) {
            int n = (int) Math.min(CHUNK, length - pos);
            shm.buf(offset + pos, n).put(0, pattern, 0, n);
        }
        return length;
    }

    /**
     * Returns the SHA-256 of {@code [offset, offset + length)}, read through the mapping in 1 MiB
     * windows (no copy of the block). Reading never-touched pages of a sparse block allocates
     * them.
     *
     * @param shm the block
     * @param offset the start
     * @param length the number of bytes
     * @return the digest, lowercase hex
     * @throws IndexOutOfBoundsException outside the block
     */
    public String sha256(SharedMemory shm, long offset, long length) {
        checkRange(shm, offset, length);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (long pos = 0; pos < length; pos += CHUNK) {
            ByteBuffer window = shm.buf(offset + pos, (int) Math.min(CHUNK, length - pos));
            md.update(window);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Writes {@code value} at each offset (for sparse blocks: touches only those pages).
     *
     * @param shm the block
     * @param offsets the offsets
     * @param value the byte, {@code 0..255}
     * @return the number of offsets
     * @throws IllegalArgumentException when {@code value} is not a byte
     * @throws IndexOutOfBoundsException when an offset is outside the block (nothing is written)
     */
    public int touch(SharedMemory shm, List<? extends Number> offsets, int value) {
        checkByte(value);
        for (Number o : offsets) {
            checkRange(shm, o.longValue(), 1);
        }
        for (Number o : offsets) {
            shm.buf(o.longValue(), 1).put(0, (byte) value);
        }
        return offsets.size();
    }

    private static void checkByte(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("value must be within 0..255: value=" + value);
        }
    }

    private static void checkRange(SharedMemory shm, long offset, long length) {
        if (offset < 0 || length < 0 || offset > shm.size() - length) {
            throw new IndexOutOfBoundsException("index=" + offset + " length=" + length + " capacity=" + shm.size());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // ShareableList

    /**
     * Creates a list: {@link ShareableList#create(String, List, ShareableList.Layout)}.
     *
     * @param name the name, or null for a generated one
     * @param values the values (Python {@code int}, {@code float}, {@code bool}, {@code None},
     *     {@code str}, {@code bytes}; Py4J converts them)
     * @param layout {@code "PY38"}, {@code "PY39"}, or null for PY39
     * @return the list
     * @throws IOException when the block cannot be created
     */
    public ShareableList slCreate(String name, List<?> values, String layout) throws IOException {
        return slCreate(name, values, layout, SharedMemory.Options.defaults());
    }

    /**
     * Creates a list with block options.
     *
     * @param name the name, or null for a generated one
     * @param values the values
     * @param layout {@code "PY38"}, {@code "PY39"}, or null for PY39
     * @param options the block options
     * @return the list
     * @throws IOException when the block cannot be created
     */
    public ShareableList slCreate(String name, List<?> values, String layout, SharedMemory.Options options)
            throws IOException {
        return ShareableList.create(name, values, layout(layout, ShareableList.Layout.PY39), options);
    }

    /**
     * Attaches to a list, detecting its layout.
     *
     * @param name the name
     * @return the list
     * @throws IOException when the block cannot be opened
     */
    public ShareableList slAttach(String name) throws IOException {
        return ShareableList.attach(name);
    }

    /**
     * Attaches to a list that must be in the given layout.
     *
     * @param name the name
     * @param layout {@code "PY38"}, {@code "PY39"}, or null for either
     * @return the list
     * @throws IOException when the block cannot be opened
     */
    public ShareableList slAttach(String name, String layout) throws IOException {
        return ShareableList.attach(name, layout(layout, null));
    }

    private static ShareableList.Layout layout(String layout, ShareableList.Layout dflt) {
        return layout == null ? dflt : ShareableList.Layout.valueOf(layout);
    }

    /**
     * Returns {@code sl[index]}.
     *
     * @param sl the list
     * @param index the index; negative counts from the end
     * @return the item
     */
    public Object slGet(ShareableList sl, int index) {
        return sl.get(index);
    }

    /**
     * Sets {@code sl[index] = value} and returns the previous item.
     *
     * @param sl the list
     * @param index the index
     * @param value the value
     * @return the previous item
     */
    public Object slSet(ShareableList sl, int index, Object value) {
        return sl.set(index, value);
    }

    /**
     * Returns all items, in a {@link java.util.List} that Python can iterate.
     *
     * @param sl the list
     * @return a copy of the items
     */
    public List<Object> slValues(ShareableList sl) {
        return new ArrayList<>(sl);
    }

    /**
     * Returns the list's struct format, as CPython's {@code sl.format}.
     *
     * @param sl the list
     * @return the format
     */
    public String slFormat(ShareableList sl) {
        return sl.format();
    }

    /**
     * Returns the layout of the list's block.
     *
     * @param sl the list
     * @return {@code "PY38"} or {@code "PY39"}
     */
    public String slLayout(ShareableList sl) {
        return sl.layout().name();
    }

    /**
     * Returns CPython's repr of the list.
     *
     * @param sl the list
     * @return e.g. {@code ShareableList([1, 2.5], name='psm_d5082db5')}
     */
    public String slRepr(ShareableList sl) {
        return sl.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Errors and facts

    /**
     * Describes a Java exception for Python, as one JSON object: {@code class} (the exception's
     * class name), {@code errno} and {@code errno_symbol} (from the reason of a
     * {@link FileSystemException}, e.g. 2 and {@code ENOENT}; null otherwise), {@code message},
     * {@code reason} and {@code file} (the name as the caller gave it; null when not a
     * {@code FileSystemException}). Py4J's and reflection's wrappers are unwrapped first.
     *
     * @param t the exception, e.g. {@code Py4JJavaError.java_exception}
     * @return the JSON text
     */
    public String errorReport(Throwable t) {
        Throwable e = t;
        while ((e instanceof InvocationTargetException || e instanceof py4j.Py4JException) && e.getCause() != null) {
            e = e.getCause();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", e.getClass().getName());
        Integer errno = null;
        String reason = null;
        String file = null;
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            OptionalInt n = Errno.errnoOf(f);
            errno = n.isPresent() ? n.getAsInt() : null;
            reason = f.getReason();
            file = f.getFile();
        }
        m.put("errno", errno);
        m.put("errno_symbol", errno == null ? null : Errno.symbol(errno));
        m.put("message", e.getMessage());
        m.put("reason", reason);
        m.put("file", file);
        return Json.asciiObject(m);
    }

    /**
     * Describes this JVM, as one JSON object: {@code java_version}, {@code java_home},
     * {@code pid}.
     *
     * @return the JSON text
     */
    public String info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_home", System.getProperty("java.home"));
        m.put("pid", ProcessHandle.current().pid());
        return Json.asciiObject(m);
    }
}
