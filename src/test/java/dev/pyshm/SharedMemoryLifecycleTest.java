package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Spec §2.9 and conformance rows C1–C6. */
class SharedMemoryLifecycleTest {

    @Test
    void closeTwiceIsANoOpAndBufferAccessAfterCloseNamesTheBlock() throws IOException {
        SharedMemory shm = SharedMemory.create(16);
        try {
            shm.close();
            assertDoesNotThrow(shm::close);
            assertTrue(shm.isClosed());
            IllegalStateException e = assertThrows(IllegalStateException.class, shm::buf);
            assertEquals("shared memory block '" + shm.name() + "' is closed", e.getMessage());
            assertThrows(IllegalStateException.class, () -> shm.buf(0, 1));
            assertEquals(16, shm.size());
            assertTrue(shm.toString().startsWith("SharedMemory('psm_"));
        } finally {
            shm.unlink();
        }
    }

    @Test
    void unlinkTwiceGivesNoSuchFileAndTheMappingStillWorks() throws IOException {
        try (SharedMemory shm = SharedMemory.create(64)) {
            shm.unlink();
            assertFalse(Shm.exists(shm.name()));
            NoSuchFileException e = assertThrows(NoSuchFileException.class, shm::unlink);
            assertEquals(shm.name(), e.getFile());
            shm.buf().putLong(8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, shm.buf().getLong(8));
            assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(shm.name()));
        }
    }

    @Test
    void writesAreSharedBetweenMappings() throws IOException {
        try (SharedMemory a = SharedMemory.create(4096); SharedMemory b = SharedMemory.attach(a.name())) {
            a.buf().put(0, "newval".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] got = new byte[6];
            b.buf().get(0, got);
            assertEquals("newval", new String(got, java.nio.charset.StandardCharsets.US_ASCII));
            assertFalse(b.isCreator());
            a.unlink();
        }
    }

    @Test
    void buffersAreNativeOrderAndIndependent() throws IOException {
        try (SharedMemory shm = SharedMemory.create(32)) {
            ByteBuffer x = shm.buf();
            ByteBuffer y = shm.buf();
            assertNotSame(x, y);
            assertEquals(ByteOrder.nativeOrder(), x.order());
            assertEquals(ByteOrder.nativeOrder(), shm.buf(8, 8).order());
            x.position(10);
            assertEquals(0, y.position());
            x.putLong(0, 1);
            assertEquals(1, shm.buf().get(0)); // little-endian on x86_64 and aarch64
            shm.buf(8, 8).putLong(0, -2);
            assertEquals(-2, y.getLong(8));
            shm.unlink();
        }
    }

    @Test
    void windowsAreBoundsCheckedWithLongArithmetic() throws IOException {
        try (SharedMemory shm = SharedMemory.create(100)) {
            assertEquals(100, shm.buf(0, 100).capacity());
            assertEquals(0, shm.buf(100, 0).capacity());
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> shm.buf(90, 11));
            assertEquals("index=90 length=11 capacity=100", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> shm.buf(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.buf(1, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.buf(Long.MAX_VALUE, Integer.MAX_VALUE));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.buf(101, 0));
            shm.unlink();
        }
    }

    @Test
    void blocksOver2GiBGiveAClearErrorForBufAndWindowsAnywhere() throws IOException {
        long size = (3L << 30) + 5; // sparse: only touched pages use memory
        try (SharedMemory shm = SharedMemory.create(size)) {
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, shm::buf);
                assertTrue(e.getMessage().contains("buf(offset, length)"), e.getMessage());
                shm.buf(size - 8, 8).putLong(0, 42);
                shm.buf(Integer.MAX_VALUE - 4L, 8).putLong(0, 7); // straddles the first 2 GiB
                try (SharedMemory other = SharedMemory.attach(shm.name())) {
                    assertEquals(42, other.buf(size - 8, 8).getLong(0));
                    assertEquals(7, other.buf(Integer.MAX_VALUE - 4L, 8).getLong(0));
                }
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    void staleViewAfterCloseSeesPrivateZerosNotTheBlock() throws IOException {
        try (SharedMemory a = SharedMemory.create(8192); SharedMemory b = SharedMemory.attach(a.name())) {
            ByteBuffer stale = b.buf();
            ByteBuffer staleSlice = b.buf(4096, 16);
            a.buf().put(0, (byte) 5);
            assertEquals(5, stale.get(0));
            b.close();
            assertEquals(0, stale.get(0), "after close the view no longer shows the block");
            stale.put(1, (byte) 9); // goes to a private page, not the block
            staleSlice.putLong(0, 123);
            assertEquals(0, a.buf().get(1));
            assertEquals(0, a.buf().getLong(4096));
            a.unlink();
        }
    }

    @Test
    void sharedPagesAreReleasedAtCloseNotAtGc() throws IOException {
        FileStore store = Files.getFileStore(Shm.DIR);
        int mib = 128;
        SharedMemory shm = SharedMemory.create((long) mib << 20);
        ByteBuffer view = shm.buf(); // a live view: close must still free the pages
        for (int i = 0; i < view.capacity(); i += 4096) {
            view.put(i, (byte) 1);
        }
        shm.unlink();
        long usedWhileMapped = store.getTotalSpace() - store.getUnallocatedSpace();
        shm.close();
        long usedAfterClose = store.getTotalSpace() - store.getUnallocatedSpace();
        long freed = usedWhileMapped - usedAfterClose;
        assertTrue(freed >= (long) (mib - 8) << 20, "tmpfs usage should drop by ~" + mib + " MiB at close, dropped "
                + (freed >> 20) + " MiB");
        assertEquals(0, view.get(0));
    }

    @Test
    void toStringIsCpythonsRepr() throws IOException {
        String name = Shm.uniqueName("repr");
        try (SharedMemory shm = SharedMemory.create(name, 10)) {
            assertEquals("SharedMemory('" + name + "', size=10)", shm.toString());
            shm.unlink();
        }
        String quoted = Shm.uniqueName("it's");
        try (SharedMemory shm = SharedMemory.create(quoted, 1)) {
            assertEquals("SharedMemory(\"" + quoted + "\", size=1)", shm.toString());
            shm.unlink();
        }
    }

    @Test
    void optionsRejectBadModesAndDescribeThemselves() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.Options.defaults().mode(01000));
        assertEquals("mode must be within 0..0777: mode=01000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.Options.defaults().mode(-1));
        assertEquals("Options[mode=0640, track=false, prefault=true, reserve=false]",
                SharedMemory.Options.defaults().mode(0640).track(false).prefault(true).toString());
    }

    @Test
    void modeOptionIsAppliedThroughTheUmask() throws IOException {
        try (SharedMemory shm = SharedMemory.create(8, SharedMemory.Options.defaults().mode(0640))) {
            assertEquals("rw-r-----", Shm.perms(shm.name()));
            shm.unlink();
        }
        try (SharedMemory shm = SharedMemory.create(8, SharedMemory.Options.defaults().mode(0666))) {
            assertEquals("rw-r--r--", Shm.perms(shm.name()), "umask 022 applies");
            shm.unlink();
        }
    }

    @Test
    void prefaultAndReserveOptionsWork() throws IOException {
        SharedMemory.Options o = SharedMemory.Options.defaults().prefault(true).reserve(true);
        try (SharedMemory shm = SharedMemory.create(1 << 20, o); SharedMemory b = SharedMemory.attach(shm.name(), o)) {
            long blocks = (long) Files.getAttribute(Shm.file(shm.name()), "unix:size");
            assertEquals(1 << 20, blocks);
            b.buf().put(1000, (byte) 3);
            assertEquals(3, shm.buf().get(1000));
            shm.unlink();
        }
    }

    @Test
    void readOnlyAttachSeesWritesAndCannotWrite() throws IOException {
        SharedMemory.Options ro = SharedMemory.Options.defaults().readOnly(true);
        try (SharedMemory rw = SharedMemory.create(8192); SharedMemory r = SharedMemory.attach(rw.name(), ro)) {
            try {
                assertTrue(r.isReadOnly());
                ByteBuffer view = r.buf();
                ByteBuffer window = r.buf(4096, 16);
                assertTrue(view.isReadOnly() && window.isReadOnly());
                assertEquals(ByteOrder.nativeOrder(), window.order());
                rw.buf().putLong(4096, 77);
                assertEquals(77, window.getLong(0));
                assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, (byte) 1));
                r.close();
                assertEquals(0, window.getLong(0), "after close a read-only view sees private zeros");
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(8, ro));
                assertTrue(ro.toString().contains("readOnly=true"), ro.toString());
            } finally {
                rw.unlink();
            }
        }
    }

    @Test
    void readOnlyShareableListRefusesWrites() throws IOException {
        try (ShareableList sl = ShareableList.create(java.util.List.of(1L, "x"));
             ShareableList r = ShareableList.attach(sl.shm().name(), null, SharedMemory.Options.defaults().readOnly(true))) {
            try {
                assertEquals("x", r.get(1));
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> r.set(0, 2L));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
                assertThrows(UnsupportedOperationException.class, () -> r.put(1, "y"));
                assertEquals(1L, sl.get(0));
                sl.set(0, 5L);
                assertEquals(5L, r.get(0));
            } finally {
                sl.shm().unlink();
            }
        }
    }
}
