package dev.pyshm.containers;

import static dev.pyshm.containers.MatrixRecorder.POD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.PyJson;
import dev.pyshm.testing.Shm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The Kubernetes-pod pattern: a CPython worker container and a Java container that share an IPC
 * namespace with each other ({@code --ipc shareable} on the worker, {@code --ipc container:WORKER}
 * on the Java side; containers of one pod share it by default) but not with the host. The Java
 * container has nothing but a JDK and {@code pyshm.jar} (see {@link PodJava}).
 */
@ContainerTest
@Testcontainers
class PodPatternIT {
    @Container
    static final GenericContainer<?> WORKER = Engine.keeper(Engine.PYTHON314, "shareable");

    @Test
    @Check(POD)
    void javaAndCpythonContainersExchangeBlocksThatTheHostNeverSees() throws Exception {
        String block = Shm.uniqueName("podpy");
        String list = Shm.uniqueName("podpysl");
        String javaBlock = Shm.uniqueName("podjava");
        String javaList = Shm.uniqueName("podjavasl");
        String hostBlock = Shm.uniqueName("podhost");
        String tooBig = Shm.uniqueName("podbig");
        List<String> podNames = List.of(block, list, javaBlock, javaList, tooBig);
        try (Peer worker = Engine.peer(WORKER, null, ProcessBuilder.Redirect.INHERIT);
                SharedMemory host = SharedMemory.create(hostBlock, 16)) {
            MatrixRecorder.version(worker.version());
            // The worker creates a block and a list (default track: the worker owns them).
            String hb = worker.ok("create", "name", block, "size", 4096).get("handle").getAsString();
            worker.ok("write", "handle", hb, "hex", PyJson.hex("made by the worker".getBytes(StandardCharsets.US_ASCII)));
            JsonObject sl = worker.ok("sl_create", "name", list,
                    "values", PyJson.json(Arrays.asList(1L, 2.5, true, null, "hi", new byte[] {'x', 'y'})));
            String hl = sl.get("handle").getAsString();
            assertTrue(worker.ok("stat", "name", block).get("exists").getAsBoolean());
            assertFalse(worker.ok("stat", "name", hostBlock).get("exists").getAsBoolean(),
                    "the pod must not see the host's /dev/shm");
            assertNoneOnHost(podNames);

            Engine.JavaRun java = Engine.runJava("container:" + WORKER.getContainerId(), null,
                    "read:" + block + ":" + list, "create:" + javaBlock + ":" + javaList, "probe:" + hostBlock,
                    "reserve:" + tooBig + ":" + (100L << 20));
            MatrixRecorder.podJava(java.get("java.version"));
            assertEquals("4096", java.get("read.size"));
            assertTrue(java.get("read.head").startsWith(
                    PyJson.hex("made by the worker".getBytes(StandardCharsets.US_ASCII))), java.output);
            assertEquals("SharedMemory('" + block + "', size=4096)", java.get("read.repr"));
            assertEquals("PY39", java.get("read.sl.layout"));
            assertEquals(sl.get("format").getAsString(), java.get("read.sl.format"));
            assertEquals(sl.get("repr").getAsString(), java.get("read.sl.repr"));
            assertEquals("NoSuchFileException", java.get("probe.error"), "the pod must not see the host's block");
            // The pod's /dev/shm is Docker's default 64 MiB (Kubernetes: the runtime's default, also
            // 64 MiB): reserve(true) turns a block that cannot fit into ENOSPC at create, where a
            // sparse block would kill its first writer past the limit with SIGBUS.
            assertEquals("FileSystemException", java.get("reserve.error"), java.output);
            assertTrue(java.get("reserve.reason").startsWith("ENOSPC: No space left on device"), java.output);
            assertNoneOnHost(podNames);

            // The worker sees the Java container's writes ...
            assertEquals(PyJson.hex("from-java".getBytes(StandardCharsets.US_ASCII)),
                    worker.ok("read", "handle", hb, "offset", 100, "length", 9).get("hex").getAsString());
            CPython314IT.assertSameValues(Arrays.asList(42L, 2.5, true, null, "java", new byte[] {'x', 'y'}),
                    PyJson.values(worker.ok("sl_read", "handle", hl).getAsJsonArray("values")));
            // ... and the blocks it created, which outlived the Java container (track=false).
            String jb = worker.ok("attach", "name", javaBlock, "track", false).get("handle").getAsString();
            assertEquals(java.get("create.sha256"), worker.ok("checksum", "handle", jb).get("sha256").getAsString());
            worker.ok("close", "handle", jb);
            worker.ok("unlink", "handle", jb);
            JsonObject jl = worker.ok("sl_attach", "name", javaList);
            assertEquals(java.get("create.sl.format"), jl.get("format").getAsString());
            assertEquals(java.get("create.sl.repr"), jl.get("repr").getAsString());
            worker.ok("sl_close", "handle", jl.get("handle").getAsString());
            worker.ok("sl_unlink", "handle", jl.get("handle").getAsString());

            worker.ok("close", "handle", hb);
            worker.ok("unlink", "handle", hb);
            worker.ok("sl_close", "handle", hl);
            worker.ok("sl_unlink", "handle", hl);
            for (String n : podNames) {
                assertFalse(worker.ok("stat", "name", n).get("exists").getAsBoolean(), n + " left in the pod");
            }
            assertNoneOnHost(podNames);
            host.unlink();
        }
    }

    private static void assertNoneOnHost(List<String> names) {
        for (String n : names) {
            assertFalse(Shm.exists(n), n + " must not appear in the host's /dev/shm");
        }
    }
}
