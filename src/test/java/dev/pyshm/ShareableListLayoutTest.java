package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Layout detection and validation on attach: a block that is not a ShareableList raises
 * {@link IllegalStateException} naming the block and the offending field, never garbage values,
 * a huge allocation or an exception from deep inside.
 */
class ShareableListLayoutTest {

    static byte[] exampleImage(ShareableList.Layout layout) throws IOException {
        try (ShareableList sl = ShareableList.create(null, ShareableListTest.EXAMPLE, layout)) {
            sl.shm().unlink();
            return ShareableListTest.snapshot(sl);
        }
    }

    static IllegalStateException attachFails(byte[] image) throws IOException {
        try (SharedMemory shm = SharedMemory.create(Math.max(1, image.length))) {
            try {
                shm.buf().put(0, image);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShareableList.attach(shm.name()));
                assertTrue(e.getMessage().startsWith("shared memory block '" + shm.name() + "' is not a valid ShareableList: "),
                        e.getMessage());
                return e;
            } finally {
                shm.unlink();
            }
        }
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("negative N", ShareableList.Layout.PY39, (Consumer<ByteBuffer>) b -> b.putLong(0, -1),
                        "length N=-1 is impossible"),
                Arguments.of("absurd N", ShareableList.Layout.PY39, (Consumer<ByteBuffer>) b -> b.putLong(0, 1L << 40),
                        "length N=1099511627776 is impossible for a block of 166 bytes"),
                Arguments.of("decreasing offsets", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(8 * 4, 8), "offsets[3]=8 after offsets[2]=16"),
                Arguments.of("unaligned offset", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(8 * 2, 9), "offsets[1]=9 after offsets[0]=0"),
                Arguments.of("data past the block", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(8 * 7, 48 + 800), "offsets[6]=848"),
                Arguments.of("3.8 size 0 reads as 3.9 and fails", ShareableList.Layout.PY38,
                        (Consumer<ByteBuffer>) b -> b.putLong(8, 0), "offsets["),
                Arguments.of("3.8 size past block", ShareableList.Layout.PY38,
                        (Consumer<ByteBuffer>) b -> b.putLong(8 * 3, 1 << 20), "alloc[2]=1048576"),
                Arguments.of("bad format", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(112, ShareableListDescriptor.fmtWord("zz")),
                        "format[0]='zz' is not one of CPython's"),
                Arguments.of("format longer than its slot", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(112 + 32, ShareableListDescriptor.fmtWord("16s")),
                        "format[4]='16s' is longer than the 8 bytes allocated to item 4"),
                Arguments.of("leading zero format", ShareableList.Layout.PY39,
                        (Consumer<ByteBuffer>) b -> b.putLong(112 + 32, ShareableListDescriptor.fmtWord("08s")),
                        "format[4]='08s'"),
                Arguments.of("bad code", ShareableList.Layout.PY39, (Consumer<ByteBuffer>) b -> b.put(160 + 2, (byte) 7),
                        "code[2]=7"),
                Arguments.of("3.8 bad code", ShareableList.Layout.PY38, (Consumer<ByteBuffer>) b -> b.put(152, (byte) -1),
                        "code[0]=-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptHeadersNameTheField(String what, ShareableList.Layout layout, Consumer<ByteBuffer> corrupt, String expected)
            throws IOException {
        byte[] img = exampleImage(layout);
        corrupt.accept(ByteBuffer.wrap(img).order(ByteOrder.nativeOrder()));
        IllegalStateException e = attachFails(img);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void tinyBlocksAreRejected() throws IOException {
        assertTrue(attachFails(new byte[] {1, 0, 0}).getMessage().contains("too few"));
    }

    @Test
    void truncatedBlocksAreRejected() throws IOException {
        byte[] img = exampleImage(ShareableList.Layout.PY39);
        IllegalStateException e = attachFails(java.util.Arrays.copyOf(img, 165));
        assertTrue(e.getMessage().contains("items need 166 bytes"), e.getMessage());
    }

    @Test
    void layoutIsDetectedFromTheSecondWord() throws IOException {
        for (ShareableList.Layout layout : ShareableList.Layout.values()) {
            byte[] img = exampleImage(layout);
            try (SharedMemory shm = SharedMemory.create(img.length)) {
                shm.buf().put(0, img);
                try (ShareableList sl = ShareableList.attach(shm.name())) {
                    assertEquals(layout, sl.layout());
                    assertEquals(ShareableListTest.EXAMPLE.size(), sl.size());
                    assertEquals("qdxxxxxxx?xxxxxx?x8s8s", sl.format());
                } finally {
                    shm.unlink();
                }
            }
        }
    }

    @Test
    void slotsInconsistentWithTheirCodeFailOnRead() throws IOException {
        byte[] img = exampleImage(ShareableList.Layout.PY39);
        ByteBuffer.wrap(img).put(160, (byte) 1); // item 0: format "q" with the str back-transform
        try (SharedMemory shm = SharedMemory.create(img.length)) {
            shm.buf().put(0, img);
            try (ShareableList sl = ShareableList.attach(shm.name())) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> sl.get(0));
                assertTrue(e.getMessage().contains("item 0"), e.getMessage());
                assertEquals(2.5, sl.get(1));
                sl.put(0, 5L); // put overwrites an unreadable slot
                assertEquals(5L, sl.get(0));
            } finally {
                shm.unlink();
            }
        }
    }
}
