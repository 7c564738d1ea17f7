package dev.pyshm;

import static dev.pyshm.ShareableListDescriptor.CODE_BYTES;
import static dev.pyshm.ShareableListDescriptor.CODE_NONE;
import static dev.pyshm.ShareableListDescriptor.CODE_PLAIN;
import static dev.pyshm.ShareableListDescriptor.CODE_STR;
import static dev.pyshm.ShareableListDescriptor.FMT_BOOL;
import static dev.pyshm.ShareableListDescriptor.FMT_D;
import static dev.pyshm.ShareableListDescriptor.FMT_NONE;
import static dev.pyshm.ShareableListDescriptor.FMT_Q;
import static dev.pyshm.ShareableListDescriptor.WORD;

import dev.pyshm.internal.Mapping;
import dev.pyshm.internal.PyRepr;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * CPython's {@code multiprocessing.shared_memory.ShareableList}: a fixed-length list of
 * {@code int}, {@code float}, {@code bool}, {@code None}, {@code str} and {@code bytes} values in a
 * shared memory block, readable and writable by every CPython 3.8+ at the same time.
 *
 * <pre>{@code
 * try (ShareableList sl = ShareableList.create(List.of(1L, 2.5, true, "hi"))) {
 *     // python: ShareableList(name=sl.shm().name())[3] == 'hi'
 *     sl.set(0, 42L);
 *     sl.shm().unlink();
 * }
 * }</pre>
 *
 * <p><b>Types.</b> Java to Python: {@link Boolean} to {@code bool} (checked before numbers),
 * {@link Byte}/{@link Short}/{@link Integer}/{@link Long} (and a {@link BigInteger} within int64)
 * to {@code int}, {@link Float}/{@link Double} to {@code float}, {@link String} to {@code str}
 * (UTF-8), {@code byte[]} to {@code bytes}, {@code null} to {@code None}. Reads return
 * {@link Long}, {@link Double}, {@link Boolean}, {@link String}, {@code byte[]} or {@code null}.
 * Anything else is rejected with {@link IllegalArgumentException} naming the type and index,
 * before any block exists.
 *
 * <p><b>Layouts.</b> CPython 3.9 changed the header (offsets instead of sizes) without a version
 * marker. {@link Layout#PY39} is the default and what 3.9 and later read; {@link Layout#PY38} is
 * for CPython 3.8 readers. {@link #attach(String)} detects the layout and validates the block;
 * a block that is not a valid list raises {@link IllegalStateException} naming the field.
 *
 * <p><b>Where pyshm is better than CPython</b> (and still readable by every CPython): a
 * {@code str} whose UTF-8 form does not fit CPython's code-point-based slot gets a larger slot
 * instead of being truncated (gh-88336); indexes below {@code -size()} raise instead of corrupting
 * memory; {@link #set} validates the value before writing anything; out-of-range ints and
 * unsupported values are rejected before a block is created. Kept as CPython does it: trailing NUL
 * bytes of {@code str}/{@code bytes} values are stripped on read (gh-96779), and {@link #count}
 * and {@link #index} use Python equality ({@code True == 1 == 1.0}).
 *
 * <p>{@link #indexOf}, {@link #contains} and {@link #equals} follow Java equality, except that
 * {@code byte[]} elements compare by content. There is no locking of items, as in CPython: two
 * writers of one item race. {@link #close()} is safe against every other thread: it waits for
 * the operations already running (each a few nanoseconds) and unmaps the block; later calls throw
 * {@link IllegalStateException} ({@code ShareableList '…' is closed}). A full {@code /dev/shm}
 * fails {@link #create} with ENOSPC rather than a SIGBUS.
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, AutoCloseable {

    /** The two wire layouts of CPython's ShareableList. */
    public enum Layout {
        /** CPython 3.8: the header stores each item's allocated size. */
        PY38("3.8"),
        /** CPython 3.9 and later: the header stores N+1 offsets starting with 0. */
        PY39("3.9+");

        private final String description;

        Layout(String description) {
            this.description = description;
        }

        /**
         * Returns the CPython versions that use this layout.
         *
         * @return {@code "3.8"} or {@code "3.9+"}
         */
        public String description() {
            return description;
        }
    }

    private final SharedMemory shm;
    private final Mapping.Guarded guard; // every access to b happens between enter() and guard.exit(ticket)
    private final ByteBuffer b;
    private final ShareableListDescriptor.Header h;

    private ShareableList(SharedMemory shm, Mapping.Guarded guard, ShareableListDescriptor.Header h) {
        this.shm = shm;
        this.guard = guard;
        this.b = guard.view();
        this.h = h;
    }

    // ---------------------------------------------------------------------------------------------
    // Creating and attaching

    /**
     * Creates a list in a new block with a generated name, in the 3.9+ layout.
     *
     * @param values the values
     * @return the list
     * @throws IllegalArgumentException when a value is not supported, naming its type and index
     * @throws IOException when the block cannot be created
     */
    public static ShareableList create(List<?> values) throws IOException {
        return create(null, values, Layout.PY39, SharedMemory.Options.defaults());
    }

    /**
     * Creates a list in a new block with this name, in the 3.9+ layout.
     *
     * @param name the block name, or null for a generated one
     * @param values the values
     * @return the list
     * @throws IllegalArgumentException when a value is not supported
     * @throws java.nio.file.FileAlreadyExistsException when the name exists (the existing block is
     *     untouched)
     * @throws IOException when the block cannot be created
     */
    public static ShareableList create(String name, List<?> values) throws IOException {
        return create(name, values, Layout.PY39, SharedMemory.Options.defaults());
    }

    /**
     * Creates a list in the given layout: {@link Layout#PY38} for CPython 3.8 readers,
     * {@link Layout#PY39} for 3.9 and later.
     *
     * @param name the block name, or null for a generated one
     * @param values the values
     * @param layout the layout
     * @return the list
     * @throws IllegalArgumentException when a value is not supported
     * @throws IOException when the block cannot be created
     */
    public static ShareableList create(String name, List<?> values, Layout layout) throws IOException {
        return create(name, values, layout, SharedMemory.Options.defaults());
    }

    /**
     * Creates a list with block options (mode, tracking, reservation, prefault). The list's bytes
     * are written with {@code pwrite} before the block is mapped, so a full {@code /dev/shm} fails
     * the create with {@link java.nio.file.FileSystemException} (ENOSPC) instead of SIGBUS later,
     * and nothing is left behind.
     *
     * @param name the block name, or null for a generated one
     * @param values the values
     * @param layout the layout
     * @param options the block options
     * @return the list
     * @throws IllegalArgumentException when a value is not supported
     * @throws IOException when the block cannot be created
     */
    public static ShareableList create(String name, List<?> values, Layout layout, SharedMemory.Options options)
            throws IOException {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(options, "options");
        Object[] items = values.toArray();
        Encoded[] enc = new Encoded[items.length];
        long data = 0;
        for (int i = 0; i < items.length; i++) {
            enc[i] = encode(items[i], i, -1);
            data += enc[i].alloc;
        }
        long total = ShareableListDescriptor.totalSize(items.length, data, layout);
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ShareableList of " + items.length + " items needs " + total
                    + " bytes; pyshm supports lists up to " + Integer.MAX_VALUE + " bytes");
        }
        int n = items.length;
        long[] offsets = new long[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + enc[i].alloc;
        }
        ShareableListDescriptor.Header h = new ShareableListDescriptor.Header(layout, n, offsets);
        byte[] content = new byte[(int) total];
        ByteBuffer image = ByteBuffer.wrap(content).order(ByteOrder.nativeOrder());
        image.putLong(0, n);
        for (int i = 0; i < n; i++) {
            if (layout == Layout.PY39) {
                image.putLong(WORD * (i + 2), offsets[i + 1]);
            } else {
                image.putLong(WORD * (i + 1), enc[i].alloc);
            }
            enc[i].writeValue(image, (int) (h.dataStart + offsets[i]));
            image.putLong((int) (h.formatStart + (long) WORD * i), enc[i].format);
            image.put((int) (h.codeStart + i), enc[i].code);
        }
        // The image goes in with pwrite before the block is mapped: on tmpfs (measured here) that is
        // several times cheaper than first writes through a new mapping, and ENOSPC is an error.
        SharedMemory shm = SharedMemory.createFilled(name, content, options);
        try {
            Mapping.Guarded guard = shm.guarded();
            return new ShareableList(shm, guard, h);
        } catch (RuntimeException | Error e) {
            shm.close();
            try {
                shm.unlink(); // ours: made a moment ago
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Attaches to an existing list, detecting its layout and validating the whole header.
     *
     * @param name the block name
     * @return the list
     * @throws IllegalStateException when the block is not a valid ShareableList, naming the field
     * @throws IOException when the block cannot be opened
     */
    public static ShareableList attach(String name) throws IOException {
        return attach(name, null);
    }

    /**
     * Attaches to an existing list that must be in the given layout.
     *
     * @param name the block name
     * @param layout the required layout, or null to accept either
     * @return the list
     * @throws IllegalStateException when the block is not a valid ShareableList in that layout
     * @throws IOException when the block cannot be opened
     */
    public static ShareableList attach(String name, Layout layout) throws IOException {
        return attach(name, layout, SharedMemory.Options.defaults());
    }

    /**
     * Attaches with block options, e.g. {@code readOnly(true)} to inspect a list without write
     * access ({@link #set} and {@link #put} then throw {@link UnsupportedOperationException}).
     *
     * @param name the block name
     * @param layout the required layout, or null to accept either
     * @param options the block options
     * @return the list
     * @throws IllegalStateException when the block is not a valid ShareableList in that layout
     * @throws IOException when the block cannot be opened
     */
    public static ShareableList attach(String name, Layout layout, SharedMemory.Options options) throws IOException {
        SharedMemory shm = SharedMemory.attach(name, options);
        try {
            return wrap(shm, layout);
        } catch (RuntimeException | Error e) {
            shm.close();
            throw e;
        }
    }

    /**
     * Reads a list in a block this caller already holds (the list closes it on {@link #close()}).
     *
     * @param shm the block
     * @param layout the required layout, or null to accept either
     * @return the list
     * @throws IllegalStateException when the block is not a valid ShareableList
     */
    public static ShareableList wrap(SharedMemory shm, Layout layout) {
        Mapping.Guarded guard = shm.guarded();
        int ticket = guard.enter();
        if (ticket < 0) {
            throw new IllegalStateException("shared memory block " + PyRepr.str(shm.name()) + " is closed");
        }
        try {
            return new ShareableList(shm, guard, ShareableListDescriptor.parse(guard.view(), shm.name(), layout));
        } finally {
            guard.exit(ticket);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * Returns the item at {@code index}; negative indexes count from the end, as in Python.
     *
     * @param index {@code -size() <= index < size()}
     * @return a {@link Long}, {@link Double}, {@link Boolean}, {@link String}, {@code byte[]} or
     *     {@code null}
     * @throws IndexOutOfBoundsException outside that range ({@code index out of range})
     * @throws IllegalStateException when the list is closed or the slot holds something CPython
     *     could not read either
     */
    @Override
    public Object get(int index) {
        ensureOpen();
        int i = checkIndex(index, "index out of range");
        Object item;
        int ticket = enter();
        try {
            item = read(i);
        } finally {
            guard.exit(ticket);
        }
        return decode(item, i); // outside the guarded section: a long str is not decoded while close waits
    }

    /** The raw UTF-8 bytes of a {@code str} item, copied out of the block, to decode. */
    private static final class Utf8 {
        final byte[] raw;
        final int length;

        Utf8(byte[] raw, int length) {
            this.raw = raw;
            this.length = length;
        }
    }

    private Object decode(Object item, int i) {
        if (!(item instanceof Utf8)) {
            return item;
        }
        Utf8 u = (Utf8) item;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(u.raw, 0, u.length)).toString();
        } catch (CharacterCodingException e) {
            throw slotError(i, "str item is not valid UTF-8 (" + e + ")");
        }
    }

    /** Reads item {@code i}; a {@code str} comes back as {@link Utf8} for {@link #decode}. */
    private Object read(int i) {
        long fmt = b.getLong((int) (h.formatStart + (long) WORD * i));
        byte code = b.get((int) (h.codeStart + i));
        int at = (int) (h.dataStart + h.offsets[i]);
        if (code == CODE_NONE) {
            return null;
        }
        if (fmt == FMT_Q) {
            checkCode(i, code, CODE_PLAIN, fmt);
            return b.getLong(at);
        }
        if (fmt == FMT_D) {
            checkCode(i, code, CODE_PLAIN, fmt);
            return b.getDouble(at);
        }
        if (fmt == FMT_BOOL) {
            checkCode(i, code, CODE_PLAIN, fmt);
            return b.get(at + 7) != 0;
        }
        if (fmt == FMT_NONE) {
            checkCode(i, code, CODE_PLAIN, fmt); // code 0 with None's format: CPython unpacks byte 6
            return b.get(at + 6) != 0;
        }
        long len = ShareableListDescriptor.stringLength(fmt);
        if (len < 0 || len > h.offsets[i + 1] - h.offsets[i]) {
            throw slotError(i, "format " + PyRepr.str(ShareableListDescriptor.formatText(fmt))
                    + " is not one CPython writes for its " + (h.offsets[i + 1] - h.offsets[i]) + "-byte slot");
        }
        byte[] raw = new byte[(int) len];
        b.get(at, raw);
        if (code == CODE_PLAIN) {
            return raw; // CPython returns the raw bytes, NULs included
        }
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--; // rstrip(b'\x00'), gh-96779
        }
        if (code == CODE_BYTES) {
            return Arrays.copyOf(raw, end);
        }
        if (code == CODE_STR) {
            return new Utf8(raw, end);
        }
        throw slotError(i, "back-transform code " + code + " is not one of CPython's (0-3)");
    }

    private void checkCode(int i, byte code, byte expected, long fmt) {
        if (code != expected) {
            throw slotError(i, "back-transform code " + code + " does not fit format "
                    + PyRepr.str(ShareableListDescriptor.formatText(fmt)));
        }
    }

    private IllegalStateException slotError(int i, String detail) {
        return new IllegalStateException("item " + i + " of ShareableList " + PyRepr.str(shm.name()) + ": " + detail);
    }

    /**
     * Returns the number of items (fixed at creation).
     *
     * @return the length
     */
    @Override
    public int size() {
        return h.n;
    }

    /**
     * Returns the struct format of all items, as CPython's {@code format}, e.g.
     * {@code qdxxxxxxx?xxxxxx?x8s8s}.
     *
     * @return the joined formats
     * @throws IllegalStateException when the list is closed
     */
    public String format() {
        int ticket = enter();
        try {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < h.n; i++) {
                sb.append(ShareableListDescriptor.formatText(b.getLong((int) (h.formatStart + (long) WORD * i))));
            }
            return sb.toString();
        } finally {
            guard.exit(ticket);
        }
    }

    /**
     * Returns the layout the block is in.
     *
     * @return the layout
     */
    public Layout layout() {
        return h.layout;
    }

    /**
     * Returns the data offsets as CPython 3.9+ stores them: N+1 values from 0 (computed for a 3.8
     * block).
     *
     * @return a copy of the offsets
     */
    public long[] offsets() {
        return h.offsets.clone();
    }

    /**
     * Returns the bytes allocated to item {@code index}: the longest {@code str} (in UTF-8 bytes)
     * or {@code bytes} it can take.
     *
     * @param index {@code -size() <= index < size()}
     * @return the allocation
     * @throws IndexOutOfBoundsException outside that range
     */
    public int capacity(int index) {
        ensureOpen();
        int i = checkIndex(index, "index out of range");
        return (int) (h.offsets[i + 1] - h.offsets[i]);
    }

    /**
     * Returns the block holding the list.
     *
     * @return the block
     */
    public SharedMemory shm() {
        return shm;
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Replaces the item at {@code index} and returns the previous value. The value is validated
     * before anything is written; a {@code str} or {@code bytes} value must fit the slot's
     * allocation ({@link #capacity(int)}), other values need 8 bytes.
     *
     * @param index {@code -size() <= index < size()}
     * @param value the new value (see the class description for types)
     * @return the previous value
     * @throws IndexOutOfBoundsException outside that range ({@code assignment index out of range})
     * @throws IllegalArgumentException when the value is not supported or does not fit
     *     ({@code bytes/str item exceeds available storage})
     * @throws IllegalStateException when the list is closed or the current item is unreadable (use
     *     {@link #put} to overwrite it)
     */
    @Override
    public Object set(int index, Object value) {
        ensureOpen();
        int i = checkIndex(index, "assignment index out of range");
        Encoded e = encode(value, i, h.offsets[i + 1] - h.offsets[i]); // the caller's object: not guarded
        int ticket = enter();
        try {
            Object previous = decode(read(i), i); // before writing: an unreadable slot fails the set
            write(i, e);
            return previous;
        } finally {
            guard.exit(ticket);
        }
    }

    /**
     * Replaces the item at {@code index} without reading the previous value: faster than
     * {@link #set}, and works on a slot whose current content cannot be decoded.
     *
     * @param index {@code -size() <= index < size()}
     * @param value the new value
     * @throws IndexOutOfBoundsException outside that range
     * @throws IllegalArgumentException when the value is not supported or does not fit
     * @throws IllegalStateException when the list is closed
     */
    public void put(int index, Object value) {
        ensureOpen();
        int i = checkIndex(index, "assignment index out of range");
        Encoded e = encode(value, i, h.offsets[i + 1] - h.offsets[i]); // the caller's object: not guarded
        int ticket = enter();
        try {
            write(i, e);
        } finally {
            guard.exit(ticket);
        }
    }

    private void write(int i, Encoded e) {
        if (shm.isReadOnly()) {
            throw new UnsupportedOperationException("ShareableList " + PyRepr.str(shm.name()) + " is attached read-only");
        }
        int fmtAt = (int) (h.formatStart + (long) WORD * i);
        long fmt = e.format;
        if (e.code == CODE_STR || e.code == CODE_BYTES) {
            // CPython keeps an existing "%ds" format and otherwise writes the slot's allocation.
            long current = b.getLong(fmtAt);
            if (ShareableListDescriptor.stringLength(current) <= 0) {
                fmt = ShareableListDescriptor.stringFormat(h.offsets[i + 1] - h.offsets[i]);
            } else {
                fmt = current;
            }
            e = e.withSlot((int) ShareableListDescriptor.stringLength(fmt));
        }
        b.putLong(fmtAt, fmt);
        b.put((int) (h.codeStart + i), e.code);
        e.writeValue(b, (int) (h.dataStart + h.offsets[i]));
    }

    private int checkIndex(int index, String what) {
        int i = index < 0 ? index + h.n : index;
        if (i < 0 || i >= h.n) {
            throw new IndexOutOfBoundsException(what + ": index=" + index + " size=" + h.n);
        }
        return i;
    }

    private void ensureOpen() {
        if (shm.isClosed()) {
            throw closed();
        }
    }

    /**
     * Starts an access to the block; pair with {@code guard.exit(ticket)} in a finally. Nothing
     * between the two may call the caller's code (an overridden method of a value): close waits.
     */
    private int enter() {
        int ticket = guard.enter();
        if (ticket < 0) {
            throw closed();
        }
        return ticket;
    }

    private IllegalStateException closed() {
        return new IllegalStateException("ShareableList " + PyRepr.str(shm.name()) + " is closed");
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding

    private static final class Encoded {
        final long format;
        final byte code;
        final long alloc;  // bytes this value needs when the list is created
        final long bits;   // the 8 data bytes of a non-string value
        final byte[] raw;  // the bytes of a str or bytes value, or null
        final int slot;    // how many data bytes to write for a string (the format's n)

        Encoded(long format, byte code, long alloc, long bits, byte[] raw, int slot) {
            this.format = format;
            this.code = code;
            this.alloc = alloc;
            this.bits = bits;
            this.raw = raw;
            this.slot = slot;
        }

        Encoded withSlot(int newSlot) {
            return new Encoded(format, code, alloc, bits, raw, newSlot);
        }

        void writeValue(ByteBuffer b, int at) {
            if (raw == null) {
                b.putLong(at, bits);
                return;
            }
            b.put(at, raw);
            for (int k = raw.length; k < slot; k++) {
                b.put(at + k, (byte) 0);
            }
        }
    }

    private static final long BOOL_TRUE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 1L << 56 : 1L;

    /**
     * Validates and encodes one value.
     *
     * @param v the value
     * @param index its index, for messages
     * @param capacity the slot's allocation when setting, or -1 when creating
     */
    private static Encoded encode(Object v, int index, long capacity) {
        if (v == null) {
            return new Encoded(FMT_NONE, CODE_NONE, WORD, 0L, null, 0);
        }
        if (v instanceof Boolean) {
            return new Encoded(FMT_BOOL, CODE_PLAIN, WORD, (Boolean) v ? BOOL_TRUE : 0L, null, 0);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return new Encoded(FMT_Q, CODE_PLAIN, WORD, ((Number) v).longValue(), null, 0);
        }
        if (v instanceof BigInteger) {
            BigInteger big = (BigInteger) v;
            if (big.bitLength() > 63) {
                throw new IllegalArgumentException("item " + index + ": int " + big
                        + " is outside int64 ('q' format requires -9223372036854775808 <= number <= 9223372036854775807)");
            }
            return new Encoded(FMT_Q, CODE_PLAIN, WORD, big.longValue(), null, 0);
        }
        if (v instanceof Double || v instanceof Float) {
            return new Encoded(FMT_D, CODE_PLAIN, WORD, Double.doubleToRawLongBits(((Number) v).doubleValue()), null, 0);
        }
        if (v instanceof String) {
            String s = (String) v;
            byte[] utf8 = utf8(s, index);
            long alloc;
            if (capacity < 0) {
                // CPython's allocation counts code points (gh-88336); keep it whenever the UTF-8
                // bytes fit, so the block is byte-identical to CPython's, else size by bytes.
                long byCodePoints = WORD * ((long) s.codePointCount(0, s.length()) / WORD + 1);
                alloc = utf8.length <= byCodePoints ? byCodePoints : WORD * ((long) utf8.length / WORD + 1);
            } else {
                alloc = capacity;
            }
            return string(utf8, CODE_STR, alloc, capacity, index, "str");
        }
        if (v instanceof byte[]) {
            byte[] bytes = (byte[]) v;
            long alloc = capacity < 0 ? WORD * ((long) bytes.length / WORD + 1) : capacity;
            return string(bytes.clone(), CODE_BYTES, alloc, capacity, index, "bytes");
        }
        throw new IllegalArgumentException("item " + index + ": unsupported type " + v.getClass().getName()
                + " (ShareableList takes Boolean, Byte, Short, Integer, Long, BigInteger within int64, Float, Double,"
                + " String, byte[] and null)");
    }

    private static Encoded string(byte[] raw, byte code, long alloc, long capacity, int index, String type) {
        if (capacity >= 0 && raw.length > capacity) {
            throw new IllegalArgumentException("bytes/str item exceeds available storage: item " + index + " is a "
                    + type + " of " + raw.length + " bytes, the slot holds " + capacity);
        }
        if (alloc > ShareableListDescriptor.MAX_ALLOCATION) {
            throw new IllegalArgumentException("item " + index + ": a " + type + " of " + raw.length
                    + " bytes is too long for a ShareableList (at most "
                    + (ShareableListDescriptor.MAX_ALLOCATION - 1) + "; the format field holds 8 characters)");
        }
        return new Encoded(ShareableListDescriptor.stringFormat(alloc), code, alloc, 0L, raw, (int) alloc);
    }

    private static byte[] utf8(String s, int index) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            return Arrays.copyOf(bb.array(), bb.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("item " + index + ": str " + PyRepr.str(s)
                    + " has an unpaired surrogate and no UTF-8 form");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Python-equality queries

    /**
     * Counts the items equal to {@code value} by Python's {@code ==}: {@code True == 1 == 1.0},
     * {@code str} never equals {@code bytes}, NaN equals nothing.
     *
     * @param value the value
     * @return the count
     */
    public int count(Object value) {
        int c = 0;
        for (int i = 0; i < h.n; i++) {
            if (pyEquals(value, get(i))) {
                c++;
            }
        }
        return c;
    }

    /**
     * Returns the first index whose item equals {@code value} by Python's {@code ==}.
     *
     * @param value the value
     * @return the index
     * @throws NoSuchElementException when there is none ({@code 'zz' not in this container})
     */
    public int index(Object value) {
        for (int i = 0; i < h.n; i++) {
            if (pyEquals(value, get(i))) {
                return i;
            }
        }
        throw new NoSuchElementException(PyRepr.value(value) + " not in this container");
    }

    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Number x = pyNumber(a);
        Number y = pyNumber(b);
        if (x != null || y != null) {
            if (x == null || y == null) {
                return false;
            }
            boolean xf = x instanceof Double;
            boolean yf = y instanceof Double;
            if (!xf && !yf) {
                return toBig(x).equals(toBig(y));
            }
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            if (xf && yf) {
                return dx == dy;
            }
            double f = xf ? dx : dy;
            Number integral = xf ? y : x;
            return Double.isFinite(f) && new BigDecimal(f).compareTo(new BigDecimal(toBig(integral))) == 0;
        }
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        return a.equals(b) && !(a instanceof byte[]);
    }

    private static Number pyNumber(Object o) {
        if (o instanceof Boolean) {
            return (Boolean) o ? 1L : 0L;
        }
        if (o instanceof Float) {
            return ((Float) o).doubleValue();
        }
        if (o instanceof Byte || o instanceof Short || o instanceof Integer) {
            return ((Number) o).longValue();
        }
        if (o instanceof Long || o instanceof Double || o instanceof BigInteger) {
            return (Number) o;
        }
        return null;
    }

    private static BigInteger toBig(Number n) {
        return n instanceof BigInteger ? (BigInteger) n : BigInteger.valueOf(n.longValue());
    }

    // ---------------------------------------------------------------------------------------------
    // Java List contract, with byte[] by content

    private static boolean javaEquals(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        return Objects.equals(a, b);
    }

    /**
     * Returns the first index of an item equal to {@code o} by Java equality ({@code byte[]} by
     * content), or -1.
     *
     * @param o the value
     * @return the index or -1
     */
    @Override
    public int indexOf(Object o) {
        for (int i = 0; i < h.n; i++) {
            if (javaEquals(o, get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the last index of an item equal to {@code o} by Java equality, or -1.
     *
     * @param o the value
     * @return the index or -1
     */
    @Override
    public int lastIndexOf(Object o) {
        for (int i = h.n - 1; i >= 0; i--) {
            if (javaEquals(o, get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether an item equals {@code o} by Java equality ({@code byte[]} by content).
     *
     * @param o the value
     * @return whether it is present
     */
    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /**
     * Compares with another list element by element, {@code byte[]} by content.
     *
     * @param o the other object
     * @return whether it is a list with equal elements
     */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof List)) {
            return false;
        }
        List<?> other = (List<?>) o;
        if (other.size() != size()) {
            return false;
        }
        for (int i = 0; i < h.n; i++) {
            if (!javaEquals(get(i), other.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@link List#hashCode()} formula, hashing {@code byte[]} by content.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < h.n; i++) {
            Object e = get(i);
            hash = 31 * hash + (e instanceof byte[] ? Arrays.hashCode((byte[]) e) : Objects.hashCode(e));
        }
        return hash;
    }

    // ---------------------------------------------------------------------------------------------

    /** Closes the block ({@code sl.shm.close()} in CPython); does not unlink it. */
    @Override
    public void close() {
        shm.close();
    }

    /**
     * Returns CPython's repr, e.g.
     * {@code ShareableList([1, 2.5, True, None, 'hi', b'xy'], name='psm_d5082db5')}.
     *
     * @return the repr
     */
    @Override
    public String toString() {
        if (shm.isClosed()) {
            return "ShareableList(<closed>, name=" + PyRepr.str(shm.name()) + ")";
        }
        return "ShareableList(" + PyRepr.list(this) + ", name=" + PyRepr.str(shm.name()) + ")";
    }
}
