package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both directions against every CPython under test: a block CPython creates is read and written
 * from Java; a block Java creates is read and written from CPython. The full matrix lives in the
 * interop suite (python-tests/); this is the core's own proof.
 */
class CPythonRoundTripTest {

    static List<Path> pythons() {
        return Pythons.all();
    }

    @Test
    void thereAreInterpretersToTestAgainst() {
        assertFalse(Pythons.all().isEmpty(), "no CPython found: set PYSHM_PYTHONS");
    }

    @ParameterizedTest
    @MethodSource("pythons")
    void pythonCreatesJavaAttachesReadsAndWrites(Path python) throws Exception {
        String name = Shm.uniqueName("pyc");
        // CPython creates and writes 'howdy', then waits for Java's write and reports it.
        String script = String.join("\n",
                "import sys, time",
                "from multiprocessing.shared_memory import SharedMemory",
                "shm = SharedMemory(sys.argv[1], create=True, size=4097)",
                "shm.buf[:5] = b'howdy'",
                "shm.buf[4096] = 0x7f",
                "print('ready', shm.size, flush=True)",
                "deadline = time.time() + 60",
                "while shm.buf[100] != 0x2a and time.time() < deadline: time.sleep(0.005)",
                "print(bytes(shm.buf[100:106]).decode(), flush=True)",
                "shm.close(); shm.unlink()");
        Process p = new ProcessBuilder(python.toString(), "-c", script, name).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready 4097", out.readLine());
            try (SharedMemory shm = SharedMemory.attach(name)) {
                assertEquals(4097, shm.size());
                byte[] first = new byte[5];
                shm.buf().get(0, first);
                assertEquals("howdy", new String(first, StandardCharsets.US_ASCII));
                assertEquals(0x7f, shm.buf().get(4096));
                ByteBuffer b = shm.buf();
                b.put(101, "javai".getBytes(StandardCharsets.US_ASCII));
                b.put(100, (byte) 0x2a);
            }
            assertEquals("*javai", out.readLine());
        } finally {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Shm.remove(name);
        }
        assertEquals(0, p.exitValue());
        assertFalse(Shm.exists(name));
    }

    @ParameterizedTest
    @MethodSource("pythons")
    void javaCreatesPythonAttachesReadsAndWrites(Path python) throws Exception {
        String name = Shm.uniqueName("jc");
        try (SharedMemory shm = SharedMemory.create(name, 5000)) {
            try {
                shm.buf().put(0, (byte) 0x2a);
                shm.buf().putLong(8, 0x0102030405060708L);
                String out = Py.ok(python, String.join("\n",
                        "import struct, sys",
                        "from multiprocessing import resource_tracker",
                        "from multiprocessing.shared_memory import SharedMemory",
                        "shm = SharedMemory(sys.argv[1])",
                        // Keep CPython's tracker from unlinking a block it did not create (gh-82300).
                        "resource_tracker.unregister(shm._name, 'shared_memory')",
                        "print(shm.name, shm.size, shm.buf[0], hex(struct.unpack_from('q', shm.buf, 8)[0]), repr(shm))",
                        "shm.buf[4999] = 0x55",
                        "shm.close()"), name);
                assertEquals(name + " 5000 42 0x102030405060708 SharedMemory('" + name + "', size=5000)", out);
                assertEquals(0x55, shm.buf().get(4999));
                assertEquals(shm.toString(), out.substring(out.indexOf("SharedMemory(")));
            } finally {
                shm.unlink();
            }
        }
    }
}
