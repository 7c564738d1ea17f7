package dev.pyshm;

import dev.pyshm.internal.PyRepr;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of CPython's {@code ShareableList} and its validating decoder. All integers are
 * native-endian int64 ({@code struct} mode {@code @}); every piece is a multiple of 8 bytes, so
 * there is no padding.
 *
 * <pre>
 * 3.9 and later (N items, D data bytes):            3.8:
 *   0          N                                      0          N
 *   8          offsets[0..N]  (N+1 int64,              8          alloc[0..N-1]  (N int64,
 *              offsets[0] = 0, offsets[N] = D)                    each a multiple of 8, never 0)
 *   8(N+2)     data: item i at D0 + offsets[i]         8(N+1)     data: item i at D0 + sum(alloc[..i])
 *   D0 + D     N formats, 8 ASCII bytes each           D0 + D     N formats
 *   F0 + 8N    N back-transform codes, 1 byte each     F0 + 8N    N codes
 *   total = 17N + 16 + D                               total = 17N + 8 + D
 *
 * formats: "q" int64, "d" float64, "xxxxxxx?" bool (byte 7), "xxxxxx?x" None, "&lt;A&gt;s" str/bytes
 * codes:   0 as is, 1 UTF-8 str (trailing NULs stripped), 2 bytes (trailing NULs stripped), 3 None
 * </pre>
 *
 * <p>There is no version marker. The layouts are told apart by the second header word: 3.9+
 * stores {@code offsets[0] = 0} there, 3.8 stores the first allocation, which is never 0.
 */
final class ShareableListDescriptor {
    static final int WORD = 8;
    /** CPython writes "%ds" into an 8-byte format slot, so an allocation has at most 7 digits. */
    static final long MAX_ALLOCATION = 9_999_992;

    static final byte KIND_INT = 0;
    static final byte KIND_FLOAT = 1;
    static final byte KIND_BOOL = 2;
    static final byte KIND_NONE = 3;
    static final byte KIND_STRING = 4; // "%ds"; the code says str (1) or bytes (2)

    static final byte CODE_PLAIN = 0;
    static final byte CODE_STR = 1;
    static final byte CODE_BYTES = 2;
    static final byte CODE_NONE = 3;

    /** The format slots as little- or big-endian longs, whichever is native. */
    static final long FMT_Q = fmtWord("q");
    static final long FMT_D = fmtWord("d");
    static final long FMT_BOOL = fmtWord("xxxxxxx?");
    static final long FMT_NONE = fmtWord("xxxxxx?x");

    private ShareableListDescriptor() {
    }

    static long fmtWord(String fmt) {
        byte[] b = new byte[WORD];
        byte[] a = fmt.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, 0, a.length);
        return ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).getLong(0);
    }

    static long headerWords(long n, ShareableList.Layout layout) {
        return layout == ShareableList.Layout.PY39 ? n + 2 : n + 1;
    }

    /** Size in bytes of a list of n items with d data bytes: {@code 17N + 16 + D} or {@code 17N + 8 + D}. */
    static long totalSize(long n, long d, ShareableList.Layout layout) {
        return headerWords(n, layout) * WORD + d + WORD * n + n;
    }

    /** A validated header: where everything is. */
    static final class Header {
        final ShareableList.Layout layout;
        final int n;
        /** Relative data offsets, N+1 entries as 3.9+ stores them (computed for 3.8). */
        final long[] offsets;
        final long dataStart;
        final long formatStart;
        final long codeStart;
        final long total;

        Header(ShareableList.Layout layout, int n, long[] offsets) {
            this.layout = layout;
            this.n = n;
            this.offsets = offsets;
            this.dataStart = headerWords(n, layout) * WORD;
            this.formatStart = dataStart + offsets[n];
            this.codeStart = formatStart + (long) WORD * n;
            this.total = codeStart + n;
        }
    }

    /**
     * Parses and validates a block's header, formats and codes.
     *
     * @param b the block's bytes from 0, native order; its capacity is what is readable
     * @param block the block name, for messages
     * @param expected the layout the caller requires, or null to detect it
     * @return the header
     * @throws IllegalStateException when the block is not a valid ShareableList, naming the field
     */
    static Header parse(ByteBuffer b, String block, ShareableList.Layout expected) {
        long avail = b.capacity();
        if (avail < WORD) {
            throw corrupt(block, "block has " + avail + " bytes, too few for a ShareableList header (8)");
        }
        long n = b.getLong(0);
        // Every item takes at least 17 bytes (8 data, 8 format, 1 code) plus one header word.
        if (n < 0 || n > (avail - WORD) / (2 * WORD + 1 + WORD)) {
            throw corrupt(block, "length N=" + n + " is impossible for a block of " + avail + " bytes");
        }
        int count = (int) n;
        ShareableList.Layout layout;
        if (count == 0) {
            boolean py39 = avail >= 2 * WORD && b.getLong(WORD) == 0;
            layout = expected != null ? expected : py39 ? ShareableList.Layout.PY39 : ShareableList.Layout.PY38;
        } else {
            layout = b.getLong(WORD) == 0 ? ShareableList.Layout.PY39 : ShareableList.Layout.PY38;
            if (expected != null && expected != layout) {
                throw corrupt(block, "it is in the " + layout.description() + " layout, not the "
                        + expected.description() + " layout that was asked for");
            }
        }
        long headerEnd = headerWords(count, layout) * WORD;
        if (headerEnd > avail) {
            throw corrupt(block, "header of " + count + " items needs " + headerEnd + " bytes, the block has " + avail);
        }
        long[] offsets = new long[count + 1];
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long alloc;
            if (layout == ShareableList.Layout.PY39) {
                alloc = b.getLong(WORD * (i + 2)) - sum;
            } else {
                alloc = b.getLong(WORD * (i + 1));
            }
            if (alloc < WORD || alloc % WORD != 0 || alloc > avail) {
                // The message is built only here: building it per item made parse allocate ~100 B per item.
                String field = layout == ShareableList.Layout.PY39
                        ? "offsets[" + (i + 1) + "]=" + (sum + alloc) + " after offsets[" + i + "]=" + sum
                        : "alloc[" + i + "]=" + alloc;
                throw corrupt(block, field + ": each item needs a positive multiple of 8 bytes within the block");
            }
            sum += alloc; // cannot overflow: each term is at most avail and there are < avail/25 terms
            offsets[i + 1] = sum;
        }
        if (layout == ShareableList.Layout.PY39 && count > 0 && b.getLong(WORD) != 0) {
            throw corrupt(block, "offsets[0]=" + b.getLong(WORD) + " must be 0");
        }
        long total = totalSize(count, sum, layout);
        if (total > avail) {
            throw corrupt(block, "items need " + total + " bytes (" + sum + " data bytes), the block has only " + avail);
        }
        Header h = new Header(layout, count, offsets);
        for (int i = 0; i < count; i++) {
            long alloc = offsets[i + 1] - offsets[i];
            long fmt = b.getLong((int) (h.formatStart + (long) WORD * i));
            int kind = kindOf(fmt);
            if (kind < 0) {
                throw corrupt(block, "format[" + i + "]=" + PyRepr.str(formatText(fmt))
                        + " is not one of CPython's (q, d, xxxxxxx?, xxxxxx?x, <n>s)");
            }
            if (kind == KIND_STRING && stringLength(fmt) > alloc) {
                throw corrupt(block, "format[" + i + "]=" + PyRepr.str(formatText(fmt)) + " is longer than the "
                        + alloc + " bytes allocated to item " + i);
            }
            byte code = b.get((int) (h.codeStart + i));
            if (code < 0 || code > CODE_NONE) {
                throw corrupt(block, "code[" + i + "]=" + code + " is not one of CPython's back-transforms (0-3)");
            }
        }
        return h;
    }

    static IllegalStateException corrupt(String block, String detail) {
        return new IllegalStateException("shared memory block " + PyRepr.str(block) + " is not a valid ShareableList: "
                + detail);
    }

    /** The kind of a format slot, or -1 when it is not one CPython writes. */
    static int kindOf(long fmt) {
        if (fmt == FMT_Q) {
            return KIND_INT;
        }
        if (fmt == FMT_D) {
            return KIND_FLOAT;
        }
        if (fmt == FMT_BOOL) {
            return KIND_BOOL;
        }
        if (fmt == FMT_NONE) {
            return KIND_NONE;
        }
        return stringLength(fmt) > 0 ? KIND_STRING : -1;
    }

    /** The n of a "%ds" format slot (1..9999999, no leading zero), or -1. */
    static long stringLength(long fmt) {
        byte[] b = slotBytes(fmt);
        int len = 0;
        while (len < WORD && b[len] != 0) {
            len++;
        }
        for (int i = len; i < WORD; i++) {
            if (b[i] != 0) {
                return -1;
            }
        }
        if (len < 2 || b[len - 1] != 's' || b[0] == '0') {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len - 1; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    static byte[] slotBytes(long fmt) {
        return ByteBuffer.allocate(WORD).order(java.nio.ByteOrder.nativeOrder()).putLong(0, fmt).array();
    }

    /** The format slot as text, trailing NULs stripped (CPython's {@code rstrip(b'\x00')}). */
    static String formatText(long fmt) {
        byte[] b = slotBytes(fmt);
        int len = WORD;
        while (len > 0 && b[len - 1] == 0) {
            len--;
        }
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    static long stringFormat(long length) {
        return fmtWord(length + "s");
    }
}
