package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.internal.ShmName;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §2.3–2.5 and conformance rows A1, A4–A12, H2. */
class SharedMemoryNamesTest {

    @Test
    void generatedNameIsPsmPlusEightLowercaseHexWithMode0600AndExactSize() throws IOException {
        try (SharedMemory shm = SharedMemory.create(16)) {
            try {
                assertTrue(shm.name().matches("psm_[0-9a-f]{8}"), shm.name());
                assertEquals("/" + shm.name(), shm.osName());
                assertEquals(16, shm.size());
                assertEquals("rw-------", Shm.perms(shm.name()));
                assertEquals(16, Files.size(Shm.file(shm.name())));
                assertEquals(0, (int) Files.getAttribute(Shm.file(shm.name()), "unix:uid", LinkOption.NOFOLLOW_LINKS));
                assertTrue(shm.isCreator());
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    void generatedNamesAreUnique() throws IOException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            try (SharedMemory shm = SharedMemory.create(1)) {
                assertTrue(names.add(shm.name()), shm.name());
                shm.unlink();
            }
        }
    }

    @Test
    void generatedNameCollisionRetriesAndLeavesTheExistingBlockAlone() throws IOException {
        String taken = "psm_deadbeef";
        Shm.remove(taken);
        try (SharedMemory existing = SharedMemory.create(taken, 8)) {
            existing.buf().put(0, (byte) 7);
            AtomicInteger calls = new AtomicInteger();
            ShmName.setGeneratorForTesting(() -> calls.getAndIncrement() == 0 ? taken : "psm_0badcafe");
            try (SharedMemory fresh = SharedMemory.create(8)) {
                assertEquals("psm_0badcafe", fresh.name());
                assertEquals(2, calls.get());
                fresh.unlink();
            } finally {
                ShmName.setGeneratorForTesting(null);
            }
            assertEquals(7, existing.buf().get(0));
            assertEquals(8, Files.size(Shm.file(taken)));
            existing.unlink();
        }
    }

    @Test
    void explicitNameIsNeverRetriedAndTheExistingBlockIsUnchanged() throws IOException {
        String name = Shm.uniqueName("exists");
        try (SharedMemory a = SharedMemory.create(name, 10)) {
            a.buf().put(3, (byte) 99);
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(name, 20));
            assertEquals(name, e.getFile());
            assertEquals("EEXIST: File exists", e.getReason());
            assertEquals(10, Files.size(Shm.file(name)));
            assertEquals(99, a.buf().get(3));
            a.unlink();
        }
    }

    @Test
    void leadingSlashIsKeptInTheNameAndDoubledInTheOsName() throws IOException {
        String bare = Shm.uniqueName("lead");
        try (SharedMemory shm = SharedMemory.create("/" + bare, 10)) {
            try {
                assertEquals("/" + bare, shm.name());
                assertEquals("//" + bare, shm.osName());
                assertTrue(Shm.exists(bare));
                try (SharedMemory viaBare = SharedMemory.attach(bare)) {
                    assertEquals(10, viaBare.size());
                }
                assertEquals("SharedMemory('/" + bare + "', size=10)", shm.toString());
            } finally {
                shm.unlink();
            }
        }
        assertFalse(Shm.exists(bare));
    }

    @Test
    void missingNameThrowsNoSuchFileNamingTheBlockAsGiven() {
        String name = Shm.uniqueName("missing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(name));
        assertEquals(name, e.getFile());
        assertEquals("ENOENT: No such file or directory", e.getReason());
        assertEquals(name + ": ENOENT: No such file or directory", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "x/"})
    void namesGlibcRejectsGiveEinvalOnCreateAndAttach(String name) {
        FileSystemException c = assertThrows(FileSystemException.class, () -> SharedMemory.create(name, 10));
        assertEquals(FileSystemException.class, c.getClass());
        assertEquals("EINVAL: Invalid argument", c.getReason());
        assertEquals(name, c.getFile());
        FileSystemException a = assertThrows(FileSystemException.class, () -> SharedMemory.attach(name));
        assertEquals("EINVAL: Invalid argument", a.getReason());
    }

    @Test
    void dotCreateIsEexistAndDotAttachIsEinval() {
        FileAlreadyExistsException c = assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(".", 10));
        assertEquals(".", c.getFile());
        FileSystemException a = assertThrows(FileSystemException.class, () -> SharedMemory.attach("."));
        assertEquals("EINVAL: Invalid argument", a.getReason());
    }

    @ParameterizedTest(name = "{0} x ''{1}''")
    // glibc's shm_unlink answers ENOENT where shm_open says EINVAL (CPython 3.11 shows the same).
    @CsvSource({"255,a,OK,OK", "256,a,ENAMETOOLONG,ENAMETOOLONG", "259,a,ENAMETOOLONG,ENAMETOOLONG",
        "260,a,EINVAL,ENOENT", "300,a,EINVAL,ENOENT", "127,é,OK,OK", "128,é,ENAMETOOLONG,ENAMETOOLONG",
        // around and past the 512-byte per-thread name buffer (longer names go to JNA as arrays)
        "510,a,EINVAL,ENOENT", "511,a,EINVAL,ENOENT", "2000,a,EINVAL,ENOENT"})
    void nameLengthLimitsAreGlibcsInUtf8Bytes(int count, String unit, String expected, String unlinkExpected)
            throws IOException {
        String name = unit.repeat(count);
        if (expected.equals("OK")) {
            Shm.remove(name);
            try (SharedMemory shm = SharedMemory.create(name, 10)) {
                assertTrue(Shm.exists(name));
                shm.unlink();
            }
        } else {
            FileSystemException e = assertThrows(FileSystemException.class, () -> SharedMemory.create(name, 10));
            assertTrue(e.getReason().startsWith(expected + ":"), e.getReason());
            assertFalse(Shm.exists(name));
            FileSystemException a = assertThrows(FileSystemException.class, () -> SharedMemory.attach(name));
            assertTrue(a.getReason().startsWith(expected + ":"), a.getReason());
            FileSystemException u = assertThrows(FileSystemException.class, () -> SharedMemory.unlink(name));
            assertTrue(u.getReason().startsWith(unlinkExpected + ":"), u.getReason());
        }
    }

    @Test
    void nonAsciiNamesAreUtf8OnDisk() throws IOException {
        String name = "pyshmtest_é_" + ProcessHandle.current().pid();
        try (SharedMemory shm = SharedMemory.create(name, 10)) {
            try (var s = Files.list(Shm.DIR)) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().equals(name)));
            }
            assertEquals(name, shm.name());
            shm.unlink();
        }
    }

    @Test
    void embeddedNulIsRejectedBeforeAnyOsCall() {
        String name = "pyshmtest_nul_" + ProcessHandle.current().pid();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(name + "\0tail", 10));
        assertTrue(e.getMessage().startsWith("embedded null character"), e.getMessage());
        assertTrue(e.getMessage().contains("\\x00tail"), e.getMessage());
        assertFalse(Shm.exists(name));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(name + "\0"));
    }

    @Test
    void unpairedSurrogateIsRejectedWithCpythonsMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create("abcd\udcff", 10));
        assertTrue(e.getMessage().startsWith(
                "'utf-8' codec can't encode character '\\udcff' in position 5: surrogates not allowed"), e.getMessage());
        // A supplementary character counts as one position, as in Python.
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.attach("\uD83D\uDE00\ud800"));
        assertTrue(e2.getMessage().contains("'\\ud800' in position 2"), e2.getMessage());
    }

    @Test
    void supplementaryCharactersAreFine() throws IOException {
        String name = Shm.uniqueName("emoji\uD83D\uDE00");
        try (SharedMemory shm = SharedMemory.create(name, 4)) {
            assertNotEquals(-1, shm.name().indexOf('\uD83D'));
            shm.unlink();
        }
    }

    @Test
    void colonsAndNewlinesAreValidOsNames() throws IOException {
        for (String n : new String[] {Shm.uniqueName("a:b"), Shm.uniqueName("a\nb")}) {
            try (SharedMemory shm = SharedMemory.create(n, 4)) {
                assertTrue(Shm.exists(n));
                shm.unlink();
            }
        }
    }
}
