package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §2.2 and conformance rows B1–B6, B8–B9. */
class SharedMemoryValidationTest {

    @Test
    void zeroSizeOnCreateUsesCpythonsMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
        assertEquals("'size' must be a positive number different from zero: size=0", e.getMessage());
        String name = Shm.uniqueName("zero");
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(name, 0));
        assertFalse(Shm.exists(name));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -4096, Long.MIN_VALUE})
    void negativeSizeIsCheckedFirstEvenOnAttach(long size) {
        String expected = "'size' must be a positive integer: size=" + size;
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(size)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open(null, true, size)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open(null, false, size)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open("x", false, size)).getMessage());
    }

    @Test
    void attachWithoutNameUsesCpythonsMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(null, false, 0));
        assertTrue(e.getMessage().startsWith("'name' can only be None if create=True"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(null));
    }

    @Test
    void createWithNullNameIsAClearNullPointer() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> SharedMemory.create(null, 8));
        assertTrue(e.getMessage().contains("create(size)"), e.getMessage());
    }

    @Test
    void openCreatesWithGeneratedNameLikeTheConstructor() throws IOException {
        try (SharedMemory shm = SharedMemory.open(null, true, 33)) {
            assertTrue(shm.name().startsWith("psm_"));
            assertEquals(33, shm.size());
            shm.unlink();
        }
    }

    @Test
    void attachIgnoresTheSizeArgumentAndNeverTruncates() throws IOException {
        String name = Shm.uniqueName("size");
        try (SharedMemory a = SharedMemory.create(name, 5000);
             SharedMemory b = SharedMemory.open(name, false, 999_999)) {
            assertEquals(5000, b.size());
            assertEquals(5000, Files.size(Shm.file(name)));
            a.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 4095, 4097, 1 << 20})
    void sizesAreExactOnLinux(long size) throws IOException {
        try (SharedMemory shm = SharedMemory.create(size)) {
            assertEquals(size, shm.size());
            assertEquals(size, shm.buf().capacity());
            assertEquals(size, Files.size(Shm.file(shm.name())));
            shm.unlink();
        }
    }

    @Test
    void emptyObjectFailsToAttachAndSurvives() throws Exception {
        String name = Shm.uniqueName("empty");
        Files.createFile(Shm.file(name));
        try {
            FileSystemException e = assertThrows(FileSystemException.class, () -> SharedMemory.attach(name));
            assertTrue(e.getReason().startsWith("cannot mmap an empty file"), e.getReason());
            assertEquals(name, e.getFile());
            assertTrue(Shm.exists(name), "a failed attach must never unlink");
        } finally {
            Shm.remove(name);
        }
    }

    @Test
    void failedMmapOnAttachKeepsTheOwnersBlock() throws Exception {
        // B8 (gh-153279): CPython unlinks the owner's block when mmap fails on attach; pyshm must not.
        String name = Shm.uniqueName("enomem");
        try (SharedMemory owner = SharedMemory.create(name, 8L << 30)) {
            var r = dev.pyshm.testing.ChildJvm.run("ulimit -v 4000000", AttachOnce.class, java.util.List.of("-Xmx64m",
                    "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m", "-XX:MaxMetaspaceSize=64m",
                    "-Xss512k", "-XX:-UseCompressedOops"), name);
            // Shrink the address space until the 8 GiB mmap fails but the JVM still starts.
            assertTrue(r.out.contains("ENOMEM") || r.out.contains("attached"), r.toString());
            assertTrue(Shm.exists(name), "the owner's block must survive a failed attach: " + r);
            owner.unlink();
        }
    }

    @Test
    void failedMmapOnCreateUnlinksOnlyTheNewObject() throws Exception {
        // B9: a create whose mmap fails removes what it just made, and nothing else.
        String name = Shm.uniqueName("enomem_create");
        var r = dev.pyshm.testing.ChildJvm.run("ulimit -v 4000000", CreateHuge.class, java.util.List.of("-Xmx64m",
                "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m", "-XX:MaxMetaspaceSize=64m",
                "-Xss512k", "-XX:-UseCompressedOops"), name);
        assertTrue(r.out.contains("ENOMEM: Cannot allocate memory (mmap)"), r.toString());
        assertFalse(Shm.exists(name), "the half-made block must be gone");
    }

    @Test
    void pythonRejectsTheSameSizesWithTheSameWords() throws Exception {
        String out = Py.ok(Pythons.newest(), String.join("\n",
                "from multiprocessing.shared_memory import SharedMemory",
                "for kw in (dict(create=True, size=0), dict(create=True, size=-1), dict(size=-1), dict()):",
                "    try: SharedMemory(**kw)",
                "    except ValueError as e: print(e)"));
        assertEquals(String.join("\n",
                "'size' must be a positive number different from zero",
                "'size' must be a positive integer",
                "'size' must be a positive integer",
                "'name' can only be None if create=True"), out);
    }

    /** Child: attaches one block and reports the outcome. */
    public static final class AttachOnce {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.attach(args[0])) {
                System.out.println("attached " + shm.size());
            } catch (IOException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    /** Child: creates a block too large to map under the shell's ulimit. */
    public static final class CreateHuge {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.create(args[0], 16L << 30)) {
                System.out.println("created " + shm.size());
                shm.unlink();
            } catch (IOException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
