package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spec §3 and conformance rows F5–F13, G1–G12 (the byte-level rows are in ShareableListGoldenTest). */
class ShareableListTest {
    static final List<Object> EXAMPLE = Arrays.asList(1L, 2.5, true, null, "hi", "xy".getBytes(StandardCharsets.US_ASCII));

    static ShareableList example(String name) throws IOException {
        return ShareableList.create(name, EXAMPLE);
    }

    @Test
    void negativeIndexesCountFromTheEndAndBelowMinusNRaise() throws IOException {
        try (ShareableList sl = example(null)) {
            try {
                assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), (byte[]) sl.get(-1));
                assertEquals(1L, sl.get(-6));
                IndexOutOfBoundsException g = assertThrows(IndexOutOfBoundsException.class, () -> sl.get(6));
                assertEquals("index out of range: index=6 size=6", g.getMessage());
                IndexOutOfBoundsException s = assertThrows(IndexOutOfBoundsException.class, () -> sl.set(6, 1L));
                assertEquals("assignment index out of range: index=6 size=6", s.getMessage());
                byte[] before = snapshot(sl);
                assertThrows(IndexOutOfBoundsException.class, () -> sl.get(-7));
                assertThrows(IndexOutOfBoundsException.class, () -> sl.set(-7, 1L));
                assertArrayEquals(before, snapshot(sl), "a rejected index changes nothing (CPython corrupts memory)");
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void setOfALongerStringRaisesWithCpythonsMessageAndLeavesNeighboursAlone() throws IOException {
        try (ShareableList sl = example(null)) {
            try {
                sl.set(4, "abcdefgh");
                assertEquals("abcdefgh", sl.get(4));
                byte[] before = snapshot(sl);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sl.set(4, "abcdefghi"));
                assertTrue(e.getMessage().startsWith("bytes/str item exceeds available storage"), e.getMessage());
                assertArrayEquals(before, snapshot(sl));
                sl.set(0, "encodés"); // 8 UTF-8 bytes fit an 8-byte slot
                assertEquals("encodés", sl.get(0));
                assertThrows(IllegalArgumentException.class, () -> sl.set(0, "encodées"));
                assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), (byte[]) sl.get(5));
                assertEquals(8, sl.capacity(4));
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void setChangesTypesLikeCpython() throws IOException {
        try (ShareableList sl = example(null)) {
            try {
                assertEquals(1L, sl.set(0, "hello"));
                assertEquals("8sdxxxxxxx?xxxxxx?x8s8s", sl.format());
                assertEquals("hello", sl.set(0, 12345678901L));
                assertEquals("qdxxxxxxx?xxxxxx?x8s8s", sl.format());
                ByteBuffer b = sl.shm().buf();
                assertEquals(0x02dfdc1c35L, b.getLong(64));
                sl.set(4, 3.25);
                assertEquals("qdxxxxxxx?xxxxxx?xd8s", sl.format());
                sl.set(4, new byte[] {0, 1, 0});
                assertArrayEquals(new byte[] {0, 1}, (byte[]) sl.get(4), "trailing NUL stripped (gh-96779)");
                sl.put(3, false);
                assertEquals(false, sl.get(3));
                sl.set(2, null);
                assertNull(sl.get(2));
                sl.set(1, (short) 7);
                assertEquals(7L, sl.get(1));
                sl.set(1, 1.5f);
                assertEquals(1.5, sl.get(1));
                sl.set(1, BigInteger.valueOf(-5));
                assertEquals(-5L, sl.get(1));
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void unsupportedOrOutOfRangeValuesAreRejectedBeforeAnyBlockExists() {
        Set<String> before = Shm.testEntries();
        String name = Shm.uniqueName("reject");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareableList.create(name, List.of(1L, List.of(2))));
        assertTrue(e.getMessage().contains("item 1") && e.getMessage().contains("java.util"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ShareableList.create(name, List.of(BigInteger.ONE.shiftLeft(63))));
        assertTrue(big.getMessage().contains("9223372036854775808"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(name, List.of(new BigDecimal("1.5"))));
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(name, List.of('c')));
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(name, List.of("ok", "bad\ud800")));
        assertFalse(Shm.exists(name));
        assertEquals(before, Shm.testEntries());
    }

    @Test
    void setValidatesBeforeWritingAnything() throws IOException {
        try (ShareableList sl = ShareableList.create(Arrays.asList(1L, 2.5, "abc"))) {
            try {
                byte[] before = snapshot(sl);
                assertThrows(IllegalArgumentException.class, () -> sl.set(1, BigInteger.ONE.shiftLeft(63)));
                assertThrows(IllegalArgumentException.class, () -> sl.set(1, new Object()));
                assertArrayEquals(before, snapshot(sl));
                assertEquals("qd8s", sl.format());
                assertEquals(2.5, sl.get(1));
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void stringsAreAllocatedByUtf8LengthWhereCpythonWouldTruncate() throws IOException {
        try (ShareableList sl = ShareableList.create(Arrays.asList("ééééé", "aéééé", "é", "éééé"))) {
            try {
                assertEquals("16s16s8s8s", sl.format());
                assertEquals("ééééé", sl.get(0));
                assertEquals("aéééé", sl.get(1));
                assertEquals("éééé", sl.get(3));
            } finally {
                sl.shm().unlink();
            }
        }
    }

    /** A value whose {@code bitLength()} closes the list it is being stored in. */
    private static final class ClosingBigInteger extends BigInteger {
        private static final long serialVersionUID = 1L;
        private final transient ShareableList list;

        ClosingBigInteger(ShareableList list) {
            super("7");
            this.list = list;
        }

        @Override
        public int bitLength() {
            list.close();
            return super.bitLength();
        }
    }

    @Test
    void aValueThatClosesTheListWhileBeingEncodedGetsClosedNotAHang() throws IOException {
        // The caller's object runs outside the guarded section: were it inside, close() would
        // wait for this very thread's access and never return.
        ShareableList sl = ShareableList.create(List.of(1L, 2L));
        sl.shm().unlink();
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalStateException.class, () -> sl.set(0, new ClosingBigInteger(sl))));
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
        ShareableList again = ShareableList.create(List.of(1L));
        again.shm().unlink();
        e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalStateException.class, () -> again.put(0, new ClosingBigInteger(again))));
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
    }

    @Test
    void allocationRuleAndSizeLimits() throws IOException {
        try (ShareableList sl = ShareableList.create(Arrays.asList("", "aaaaaaa", "aaaaaaaa", "12345678".getBytes()))) {
            assertEquals("8s8s16s16s", sl.format());
            assertEquals(17 * 4 + 16 + 48, sl.shm().size());
            sl.shm().unlink();
        }
        String longest = "a".repeat(9_999_991);
        try (ShareableList sl = ShareableList.create(List.of(longest))) {
            assertEquals("9999992s", sl.format());
            assertEquals(longest, sl.get(0));
            sl.shm().unlink();
        }
        String name = Shm.uniqueName("toolong");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareableList.create(name, List.of("a".repeat(9_999_992))));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(name, List.of(new byte[9_999_992])));
        assertFalse(Shm.exists(name));
    }

    @Test
    void emptyListsInBothLayouts() throws IOException {
        try (ShareableList a = ShareableList.create(List.of()); ShareableList b = ShareableList.create(null, List.of(),
                ShareableList.Layout.PY38)) {
            assertEquals(16, a.shm().size());
            assertEquals(8, b.shm().size());
            assertEquals("", a.format());
            assertEquals(0, a.count("any"));
            assertThrows(NoSuchElementException.class, () -> a.index(null));
            assertEquals("ShareableList([], name='" + a.shm().name() + "')", a.toString());
            try (ShareableList again = ShareableList.attach(b.shm().name())) {
                assertEquals(ShareableList.Layout.PY38, again.layout());
                assertEquals(0, again.size());
            }
            a.shm().unlink();
            b.shm().unlink();
        }
    }

    @Test
    void trailingNulsAreStrippedOnReadLikeCpython() throws IOException {
        try (ShareableList sl = ShareableList.create(Arrays.asList("a\0", new byte[] {0x62, 0}, "\0\u0001\0"))) {
            assertEquals("a", sl.get(0));
            assertArrayEquals(new byte[] {0x62}, (byte[]) sl.get(1));
            assertEquals("\0\u0001", sl.get(2));
            sl.shm().unlink();
        }
    }

    @Test
    void numericEdgesRoundTripBitExactly() throws IOException {
        List<Object> values = Arrays.asList(Long.MIN_VALUE, Long.MAX_VALUE, Double.NaN, -0.0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, true, false, null, "", new byte[0]);
        try (ShareableList sl = ShareableList.create(values); ShareableList back = ShareableList.attach(sl.shm().name())) {
            ByteBuffer b = sl.shm().buf();
            long d0 = 8L * (values.size() + 2);
            assertEquals(Long.MIN_VALUE, b.getLong((int) d0));
            assertEquals(0x7ff8000000000000L, b.getLong((int) d0 + 16));
            assertEquals(0x8000000000000000L, b.getLong((int) d0 + 24));
            for (int i = 0; i < values.size(); i++) {
                Object e = values.get(i);
                Object a = back.get(i);
                if (e instanceof byte[]) {
                    assertArrayEquals((byte[]) e, (byte[]) a);
                } else if (e instanceof Double) {
                    assertEquals(Double.doubleToRawLongBits((Double) e), Double.doubleToRawLongBits((Double) a));
                } else {
                    assertEquals(e, a);
                }
            }
            sl.shm().unlink();
        }
    }

    @Test
    void countAndIndexFollowPythonEquality() throws IOException {
        try (ShareableList sl = example("pyshmtest_eq_" + ProcessHandle.current().pid())) {
            try {
                assertEquals(2, sl.count(1L), "True == 1");
                assertEquals(2, sl.count(1), "an Integer 1 too");
                assertEquals(2, sl.count(1.0), "1.0 == 1 == True");
                assertEquals(1, sl.count(2.5));
                assertEquals(3, sl.index(null));
                assertEquals(5, sl.index("xy".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(0, sl.count("xy"), "str never equals bytes");
                NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> sl.index("zz"));
                assertEquals("'zz' not in this container", e.getMessage());
                assertFalse(ShareableList.pyEquals(Double.NaN, Double.NaN));
                assertFalse(ShareableList.pyEquals(9007199254740993L, 9007199254740992.0), "exact int/float compare");
                assertTrue(ShareableList.pyEquals(BigInteger.valueOf(3), 3.0));
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void javaListContractWithBytesByContent() throws IOException {
        try (ShareableList sl = example(null)) {
            try {
                List<Object> copy = new ArrayList<>(EXAMPLE);
                assertEquals(copy.size(), sl.size());
                assertTrue(sl.equals(copy));
                assertEquals(sl.hashCode(), sl.hashCode());
                assertTrue(sl.contains("xy".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(5, sl.indexOf("xy".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(-1, sl.indexOf(1), "Java equality: Integer 1 is not Long 1");
                assertEquals(0, sl.indexOf(1L));
                Iterator<Object> it = sl.iterator();
                assertEquals(1L, it.next());
                assertThrows(UnsupportedOperationException.class, () -> sl.add(3L));
                assertThrows(UnsupportedOperationException.class, () -> sl.remove(0));
                assertThrows(UnsupportedOperationException.class, sl::clear);
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    void toStringIsCpythonsRepr() throws IOException {
        String name = Shm.uniqueName("slx");
        try (ShareableList sl = ShareableList.create(name, Arrays.asList(1L, 2.5, true, null, "hi", "xy".getBytes(),
                1e16, 1e-5, 0.1, -0.0, Double.NaN, "it's", new byte[] {0, (byte) 0xff, '\''}))) {
            assertEquals("ShareableList([1, 2.5, True, None, 'hi', b'xy', 1e+16, 1e-05, 0.1, -0.0, nan, \"it's\", "
                    + "b\"\\x00\\xff'\"], name='" + name + "')", sl.toString());
            sl.shm().unlink();
        }
    }

    @Test
    void createOnAnExistingNameFailsAndLeavesItUnchanged() throws IOException {
        String name = Shm.uniqueName("slexists");
        try (ShareableList sl = example(name)) {
            byte[] before = snapshot(sl);
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                    () -> ShareableList.create(name, List.of(1L)));
            assertEquals(name, e.getFile());
            assertArrayEquals(before, snapshot(sl));
            sl.shm().unlink();
        }
    }

    @Test
    void offsetsAndLayoutsAreReported() throws IOException {
        try (ShareableList a = example(null); ShareableList b = ShareableList.create(null, EXAMPLE, ShareableList.Layout.PY38)) {
            assertArrayEquals(new long[] {0, 8, 16, 24, 32, 40, 48}, a.offsets());
            assertArrayEquals(new long[] {0, 8, 16, 24, 32, 40, 48}, b.offsets());
            assertEquals(ShareableList.Layout.PY39, a.layout());
            assertEquals(ShareableList.Layout.PY38, b.layout());
            assertEquals(166, a.shm().size());
            assertEquals(158, b.shm().size());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ShareableList.attach(b.shm().name(), ShareableList.Layout.PY39));
            assertTrue(e.getMessage().contains("3.8 layout"), e.getMessage());
            a.shm().unlink();
            b.shm().unlink();
        }
    }

    @Test
    void readsAListInALargerPageRoundedBlock() throws IOException {
        try (ShareableList sl = example(null); SharedMemory big = SharedMemory.create(4096)) {
            byte[] img = snapshot(sl);
            big.buf().put(0, img);
            try (ShareableList back = ShareableList.attach(big.name())) {
                assertEquals(sl, back);
                back.set(4, "hello!!!");
                assertEquals("hello!!!", back.get(4));
            }
            sl.shm().unlink();
            big.unlink();
        }
    }

    @Test
    void closedListThrowsNamingTheBlock() throws IOException {
        ShareableList sl = example(null);
        sl.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sl.get(0));
        assertTrue(e.getMessage().contains(sl.shm().name()), e.getMessage());
        assertThrows(IllegalStateException.class, () -> sl.set(0, 1L));
        assertThrows(IllegalStateException.class, sl::format);
        assertTrue(sl.toString().contains("closed"));
        sl.shm().unlink();
    }

    static byte[] snapshot(ShareableList sl) {
        byte[] b = new byte[(int) sl.shm().size()];
        sl.shm().buf().get(0, b);
        return b;
    }
}
