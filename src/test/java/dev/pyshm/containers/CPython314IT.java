package dev.pyshm.containers;

import static dev.pyshm.containers.MatrixRecorder.ERRORS;
import static dev.pyshm.containers.MatrixRecorder.SHM_JAVA_PY;
import static dev.pyshm.containers.MatrixRecorder.SHM_PY_JAVA;
import static dev.pyshm.containers.MatrixRecorder.SIZES;
import static dev.pyshm.containers.MatrixRecorder.SL_BYTES;
import static dev.pyshm.containers.MatrixRecorder.SL_JAVA_PY;
import static dev.pyshm.containers.MatrixRecorder.SL_PY_JAVA;
import static dev.pyshm.containers.MatrixRecorder.TRACK_DEFAULT;
import static dev.pyshm.containers.MatrixRecorder.TRACK_FALSE;
import static dev.pyshm.containers.MatrixRecorder.TRACK_SL;
import static dev.pyshm.containers.MatrixRecorder.TRACK_UNREGISTER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.internal.Errno;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.PyJson;
import dev.pyshm.testing.Shm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The host JVM against CPython 3.14 in a container that shares the host's IPC namespace
 * ({@code --ipc host}, {@code --network none}): the checks the interop suite runs for the host
 * interpreters, for a CPython the host does not have.
 *
 * <p>Resource-tracker checks start a fresh peer with {@code docker exec} and wait until no python
 * process is left in the container: the tracker outlives the peer there as it does on a host,
 * which a peer running as the container's PID 1 would not allow (see {@link Engine}).
 */
@ContainerTest
@Testcontainers
class CPython314IT {
    /** From ShareableListCPythonTest: the values every layout must carry exactly. */
    static final List<Object> TRICKY = Arrays.asList("é", "", new byte[0], Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, Long.MIN_VALUE, Long.MAX_VALUE, true, false, null, "snow ☃ 🐍",
            new byte[] {0, 1, 2, (byte) 0xff}, 2.5, "x".repeat(40));

    @Container
    static final GenericContainer<?> PY = Engine.keeper(Engine.PYTHON314, "host");

    static Peer peer;

    @BeforeAll
    static void startPeer() throws IOException {
        peer = Engine.peer(PY, null, ProcessBuilder.Redirect.INHERIT);
        MatrixRecorder.version(peer.version());
        assertTrue(peer.version().startsWith("3.14."), peer.version());
        assertEquals("PY39", peer.layout());
    }

    @AfterAll
    static void stopPeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    private static SharedMemory.Options untracked() {
        return SharedMemory.Options.defaults().track(false);
    }

    // ------------------------------------------------------------------------------ SharedMemory

    @Test
    @Check(SHM_PY_JAVA)
    void pythonCreatesJavaAttachesAndEachSeesTheOthersWrites() throws Exception {
        String name = Shm.uniqueName("py314c");
        JsonObject made = peer.ok("create", "name", name, "size", 4097);
        String h = made.get("handle").getAsString();
        try {
            peer.ok("write", "handle", h, "hex", PyJson.hex("howdy".getBytes(StandardCharsets.US_ASCII)));
            peer.ok("write", "handle", h, "offset", 4096, "hex", "7f");
            assertTrue(Shm.exists(name), "--ipc host: the block is in the host's /dev/shm");
            try (SharedMemory shm = SharedMemory.attach(name)) {
                assertEquals(4097, shm.size());
                byte[] head = new byte[5];
                shm.buf().get(0, head);
                assertEquals("howdy", new String(head, StandardCharsets.US_ASCII));
                assertEquals(0x7f, shm.buf().get(4096));
                assertEquals(made.get("repr").getAsString(), shm.toString());
                shm.buf().put(100, "java!".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals(PyJson.hex("java!".getBytes(StandardCharsets.US_ASCII)),
                    peer.ok("read", "handle", h, "offset", 100, "length", 5).get("hex").getAsString());
        } finally {
            peer.ok("close", "handle", h);
            peer.ok("unlink", "handle", h);
        }
        assertFalse(Shm.exists(name));

        // A generated name from CPython 3.14 attaches from Java too.
        JsonObject gen = peer.ok("create", "size", 10);
        String g = gen.get("handle").getAsString();
        try {
            String genName = gen.get("name").getAsString();
            assertTrue(genName.matches("psm_[0-9a-f]{8}"), genName);
            try (SharedMemory shm = SharedMemory.attach(genName)) {
                assertEquals(10, shm.size());
            }
        } finally {
            peer.ok("close", "handle", g);
            peer.ok("unlink", "handle", g);
        }
    }

    @Test
    @Check(SHM_JAVA_PY)
    void javaCreatesPythonAttachesAndEachSeesTheOthersWrites() throws Exception {
        String name = Shm.uniqueName("py314j");
        try (SharedMemory shm = SharedMemory.create(name, 5000)) {
            try {
                shm.buf().put(0, (byte) 42);
                shm.buf().putLong(8, 0x0102030405060708L); // native order: little-endian here, as CPython's struct
                JsonObject att = peer.ok("attach", "name", name, "track", false);
                String h = att.get("handle").getAsString();
                assertEquals(5000, att.get("size").getAsLong());
                assertEquals(shm.toString(), att.get("repr").getAsString());
                assertEquals("2a", peer.ok("read", "handle", h, "length", 1).get("hex").getAsString());
                assertEquals("0807060504030201",
                        peer.ok("read", "handle", h, "offset", 8, "length", 8).get("hex").getAsString());
                peer.ok("write", "handle", h, "offset", 4999, "hex", "55");
                assertEquals(0x55, shm.buf().get(4999));
                peer.ok("close", "handle", h);
            } finally {
                shm.unlink();
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {1, 4097, 1 << 20})
    @Check(SIZES)
    void blocksOfEverySizeHaveTheSameBytesOnBothSides(long size) throws Exception {
        String name = Shm.uniqueName("py314s");
        try (SharedMemory shm = SharedMemory.create(name, size, untracked())) {
            try {
                byte[] data = new byte[(int) size];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 31 + 7);
                }
                shm.buf().put(0, data);
                JsonObject att = peer.ok("attach", "name", name, "track", false);
                String h = att.get("handle").getAsString();
                assertEquals(size, att.get("size").getAsLong());
                assertEquals(sha256(data), peer.ok("checksum", "handle", h).get("sha256").getAsString());
                peer.ok("fill", "handle", h, "byte", 0x5a);
                byte[] back = new byte[(int) size];
                shm.buf().get(0, back);
                byte[] expected = new byte[(int) size];
                Arrays.fill(expected, (byte) 0x5a);
                assertArrayEquals(expected, back);
                peer.ok("close", "handle", h);
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    @Check(SIZES)
    void sparseBlockLargerThan2GiBIsAddressedPast2GiBOnBothSides() throws Exception {
        String name = Shm.uniqueName("py314big");
        long size = 3L << 30;
        long past2g = (1L << 31) + 5;
        try (SharedMemory shm = SharedMemory.create(name, size, untracked())) {
            try {
                shm.buf(past2g, 4).put(0, new byte[] {1, 2, 3, 4});
                JsonObject att = peer.ok("attach", "name", name, "track", false);
                String h = att.get("handle").getAsString();
                assertEquals(size, att.get("size").getAsLong());
                assertEquals("01020304",
                        peer.ok("read", "handle", h, "offset", past2g, "length", 4).get("hex").getAsString());
                peer.ok("touch", "handle", h, "offsets", PyJson.json(List.of(size - 1, past2g + 100)), "byte", 0x77);
                assertEquals(0x77, shm.buf(size - 1, 1).get(0));
                assertEquals(0x77, shm.buf(past2g + 100, 1).get(0));
                peer.ok("close", "handle", h);
            } finally {
                shm.unlink();
            }
        }
    }

    // ----------------------------------------------------------------------------- ShareableList

    @Test
    @Check(SL_PY_JAVA)
    void pythonShareableListReadsInJavaAndJavasWritesReachPython() throws Exception {
        String name = Shm.uniqueName("py314slp");
        JsonObject made = peer.ok("sl_create", "name", name, "values", PyJson.json(TRICKY));
        String h = made.get("handle").getAsString();
        try (ShareableList sl = ShareableList.attach(name)) {
            assertEquals(ShareableList.Layout.PY39, sl.layout());
            assertEquals(made.get("format").getAsString(), sl.format());
            assertSameValues(TRICKY, sl);
            assertEquals(made.get("repr").getAsString(), sl.toString());
            sl.set(1, "hello!!");
            sl.set(9, false);
            sl.set(12, null);
            sl.set(7, 123L);
            List<Object> expected = new ArrayList<>(TRICKY);
            expected.set(1, "hello!!");
            expected.set(9, false);
            expected.set(12, null);
            expected.set(7, 123L);
            assertSameValues(expected, PyJson.values(peer.ok("sl_read", "handle", h).getAsJsonArray("values")));
            assertEquals(sl.toString(), peer.ok("sl_repr", "handle", h).get("repr").getAsString());
        } finally {
            peer.ok("sl_close", "handle", h);
            peer.ok("sl_unlink", "handle", h);
        }
        assertFalse(Shm.exists(name));
    }

    @Test
    @Check(SL_JAVA_PY)
    void javaShareableListReadsInPythonAndPythonsWritesReachJava() throws Exception {
        String name = Shm.uniqueName("py314slj");
        try (ShareableList sl = ShareableList.create(name, TRICKY)) {
            try {
                JsonObject att = peer.ok("sl_attach", "name", name, "unregister", true);
                String h = att.get("handle").getAsString();
                assertEquals(sl.format(), att.get("format").getAsString());
                assertEquals(sl.toString(), att.get("repr").getAsString());
                assertSameValues(TRICKY, PyJson.values(peer.ok("sl_read", "handle", h).getAsJsonArray("values")));
                peer.ok("sl_set", "handle", h, "index", 0, "value", "ü");
                peer.ok("sl_set", "handle", h, "index", 7, "value", 12345L);
                peer.ok("sl_set", "handle", h, "index", 11, "value", true);
                peer.ok("sl_set", "handle", h, "index", 3, "value", 0.5);
                assertEquals("ü", sl.get(0));
                assertEquals(12345L, sl.get(7));
                assertEquals(true, sl.get(11));
                assertEquals(0.5, sl.get(3));
                peer.ok("sl_close", "handle", h);
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Test
    @Check(SL_BYTES)
    void javaAndCpythonMakeByteIdenticalShareableLists() throws Exception {
        List<List<Object>> cases = List.of(TRICKY, List.of(), Arrays.asList(1L, 2.5, true, null, "hi", new byte[] {'x', 'y'}));
        for (List<Object> values : cases) {
            String pyName = Shm.uniqueName("py314blp");
            String javaName = Shm.uniqueName("py314blj");
            String h = peer.ok("sl_create", "name", pyName, "values", PyJson.json(values)).get("handle").getAsString();
            try (ShareableList mine = ShareableList.create(javaName, values, ShareableList.Layout.PY39, untracked());
                    SharedMemory theirs = SharedMemory.attach(pyName)) {
                try {
                    assertEquals(theirs.size(), mine.shm().size(), values.toString());
                    byte[] a = new byte[(int) theirs.size()];
                    byte[] b = new byte[(int) mine.shm().size()];
                    theirs.buf().get(0, a);
                    mine.shm().buf().get(0, b);
                    assertEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
                } finally {
                    mine.shm().unlink();
                }
            } finally {
                peer.ok("sl_close", "handle", h);
                peer.ok("sl_unlink", "handle", h);
            }
        }
    }

    // ---------------------------------------------------------------------------- error parity

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing name", "existing name", "size 0", "size -1", "name of 256 bytes",
        "'/' inside", "empty name", "double unlink"})
    @Check(ERRORS)
    void sameBadInputGivesTheSameErrorOnBothSides(String input) throws Exception {
        String name = Shm.uniqueName("py314err");
        switch (input) {
            case "missing name":
                sameErrno(peer.error("attach", "name", name), 2, NoSuchFileException.class,
                        () -> SharedMemory.attach(name));
                break;
            case "existing name":
                try (SharedMemory shm = SharedMemory.create(name, 10, untracked())) {
                    try {
                        sameErrno(peer.error("create", "name", name, "size", 10), 17, FileAlreadyExistsException.class,
                                () -> SharedMemory.create(name, 10));
                    } finally {
                        shm.unlink();
                    }
                }
                break;
            case "size 0":
                sameValueError(peer.error("create", "name", name, "size", 0),
                        "'size' must be a positive number different from zero", () -> SharedMemory.create(name, 0));
                break;
            case "size -1":
                sameValueError(peer.error("create", "name", name, "size", -1),
                        "'size' must be a positive integer", () -> SharedMemory.create(name, -1));
                break;
            case "name of 256 bytes":
                sameErrno(peer.error("create", "name", "a".repeat(256), "size", 10), 36, FileSystemException.class,
                        () -> SharedMemory.create("a".repeat(256), 10));
                break;
            case "'/' inside":
                sameErrno(peer.error("create", "name", name + "/x", "size", 10), 22, FileSystemException.class,
                        () -> SharedMemory.create(name + "/x", 10));
                sameErrno(peer.error("attach", "name", name + "/x"), 22, FileSystemException.class,
                        () -> SharedMemory.attach(name + "/x"));
                break;
            case "empty name":
                sameErrno(peer.error("create", "name", "", "size", 10), 22, FileSystemException.class,
                        () -> SharedMemory.create("", 10));
                break;
            case "double unlink":
                String h = peer.ok("create", "name", name, "size", 10, "track", false).get("handle").getAsString();
                peer.ok("close", "handle", h);
                peer.ok("unlink", "handle", h);
                JsonObject again = peer.error("unlink", "handle", h);
                try (SharedMemory shm = SharedMemory.create(name, 10, untracked())) {
                    shm.unlink();
                    sameErrno(again, 2, NoSuchFileException.class, shm::unlink);
                }
                break;
            default:
                throw new IllegalArgumentException(input);
        }
        assertFalse(Shm.exists(name));
    }

    private static void sameErrno(JsonObject pyError, int errno, Class<? extends FileSystemException> type,
            Executable java) {
        assertEquals(errno, pyError.get("errno").getAsInt(), pyError.toString());
        FileSystemException e = assertThrows(type, java);
        assertEquals(errno, Errno.errnoOf(e).orElse(-1), e.toString());
        assertTrue(e.getReason().startsWith(Errno.symbol(errno) + ": " + pyError.get("strerror").getAsString()),
                e.getReason() + " vs CPython " + pyError);
    }

    private static void sameValueError(JsonObject pyError, String text, Executable java) {
        assertEquals("ValueError", pyError.get("type").getAsString(), pyError.toString());
        assertEquals(text, pyError.get("message").getAsString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, java);
        assertTrue(e.getMessage().startsWith(text), e.getMessage());
    }

    // -------------------------------------------------------------------------- resource tracker

    /** What CPython 3.14's resource tracker did with a Java-created block after the attacher exited. */
    private static final class AfterExit {
        final boolean exists;
        final String stderr;

        AfterExit(boolean exists, String stderr) {
            this.exists = exists;
            this.stderr = stderr;
        }
    }

    /**
     * Starts a fresh peer, lets it attach (op and fields as given) and close, makes it exit, and
     * waits until it and its resource tracker are gone.
     */
    private static AfterExit attachAndExit(String name, String attachOp, Object... fields) throws Exception {
        File err = File.createTempFile("pyshm-peer314", ".err");
        try {
            Map<String, String> before = Engine.pythonProcesses(PY); // the class's peer and its tracker
            try (Peer p = Engine.peer(PY, null, ProcessBuilder.Redirect.to(err))) {
                List<Object> kv = new ArrayList<>(List.of("name", name));
                kv.addAll(List.of(fields));
                String h = p.ok(attachOp, kv.toArray()).get("handle").getAsString();
                p.ok(attachOp.equals("attach") ? "close" : "sl_close", "handle", h);
                p.ok("exit");
            }
            Engine.awaitPythonExits(PY, before);
            return new AfterExit(Shm.exists(name), Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            err.delete();
        }
    }

    private static void assertLeakWarning(String name, String stderr) {
        assertTrue(stderr.contains("UserWarning: resource_tracker: There appear to be 1 leaked shared_memory objects"
                + " to clean up at shutdown: {'/" + name + "'}"), stderr);
    }

    @Test
    @Check(TRACK_DEFAULT)
    void defaultTrackAttacherUnlinksJavasBlockWhenItsTrackerExits() throws Exception {
        String name = Shm.uniqueName("py314trk");
        try (SharedMemory shm = SharedMemory.create(name, 64, untracked())) {
            AfterExit r = attachAndExit(name, "attach");
            assertFalse(r.exists, "3.14 (as 3.13): a default-track attacher's tracker unlinks the block at exit");
            assertLeakWarning(name, r.stderr);
        } finally {
            Shm.remove(name);
        }
    }

    @Test
    @Check(TRACK_FALSE)
    void trackFalseAttacherLeavesJavasBlockAndSaysNothing() throws Exception {
        String name = Shm.uniqueName("py314ntr");
        try (SharedMemory shm = SharedMemory.create(name, 64, untracked())) {
            try {
                AfterExit r = attachAndExit(name, "attach", "track", false);
                assertTrue(r.exists, "track=False: the block must survive the attacher");
                assertEquals("", r.stderr.strip());
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    @Check(TRACK_UNREGISTER)
    void unregisterAfterAttachKeepsJavasBlock() throws Exception {
        String name = Shm.uniqueName("py314unr");
        try (SharedMemory shm = SharedMemory.create(name, 64, untracked())) {
            try {
                AfterExit r = attachAndExit(name, "attach", "unregister", true);
                assertTrue(r.exists, "resource_tracker.unregister after attach: the block must survive");
                assertFalse(r.stderr.contains("leaked"), r.stderr);
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    @Check(TRACK_SL)
    void shareableListAttacherAlwaysRegistersAndItsTrackerUnlinksJavasList() throws Exception {
        String name = Shm.uniqueName("py314slt");
        try (ShareableList sl = ShareableList.create(name, List.of(1L, "two"), ShareableList.Layout.PY39, untracked())) {
            AfterExit r = attachAndExit(name, "sl_attach");
            assertFalse(r.exists, "ShareableList has no track=False: the attacher's tracker unlinks the list");
            assertLeakWarning(name, r.stderr);
        } finally {
            Shm.remove(name);
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Python equality for the values a list carries: NaN equals NaN, -0.0 is not 0.0, bytes by content. */
    static void assertSameValues(List<?> expected, List<?> actual) {
        assertEquals(expected.size(), actual.size(), "length");
        for (int i = 0; i < expected.size(); i++) {
            Object e = expected.get(i);
            Object a = actual.get(i);
            String at = "item " + i + ": expected " + describe(e) + ", got " + describe(a);
            if (e instanceof byte[]) {
                assertTrue(a instanceof byte[] && Arrays.equals((byte[]) e, (byte[]) a), at);
            } else if (e instanceof Double) {
                assertTrue(a instanceof Double && Double.compare((Double) e, (Double) a) == 0, at);
            } else {
                assertEquals(e, a, at);
            }
        }
    }

    private static String describe(Object o) {
        if (o instanceof byte[]) {
            return "bytes " + HexFormat.of().formatHex((byte[]) o);
        }
        return o == null ? "None" : o.getClass().getSimpleName() + " " + o;
    }
}
