package dev.pyshm.containers;

import static dev.pyshm.containers.MatrixRecorder.UID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.Shm;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A container running as another uid ({@code nobody}, 65534) shares the host's IPC namespace but
 * cannot attach a block created with mode 0600 by root, in either direction: CPython gets
 * {@code PermissionError} (errno 13), pyshm {@code AccessDeniedException} ({@code EACCES}).
 */
@ContainerTest
@Testcontainers
class ForeignUidIT {
    @Container
    static final GenericContainer<?> PY = Engine.keeper(Engine.PYTHON314, "host");

    @Test
    @Check(UID)
    void cpythonAsNobodyCannotAttachTheHostJvmsOwnerOnlyBlock() throws Exception {
        String name = Shm.uniqueName("uidjava");
        try (SharedMemory shm = SharedMemory.create(name, 64);
                Peer nobody = Engine.peer(PY, Engine.NOBODY, ProcessBuilder.Redirect.INHERIT);
                Peer root = Engine.peer(PY, null, ProcessBuilder.Redirect.INHERIT)) {
            try {
                MatrixRecorder.version(nobody.version());
                assertEquals("rw-------", Shm.perms(name));
                JsonObject st = nobody.ok("stat", "name", name);
                assertTrue(st.get("exists").getAsBoolean(), "nobody sees the name in the shared /dev/shm");
                assertEquals(0600, st.get("mode").getAsInt());
                assertEquals(0, st.get("uid").getAsInt());
                for (Object[] kv : new Object[][] {{"name", name}, {"name", name, "track", false}}) {
                    JsonObject e = nobody.error("attach", kv);
                    assertEquals("PermissionError", e.get("type").getAsString(), e.toString());
                    assertEquals(13, e.get("errno").getAsInt(), e.toString());
                }
                // Control: root in the same container attaches it, so uid alone made the difference.
                String h = root.ok("attach", "name", name, "track", false).get("handle").getAsString();
                root.ok("close", "handle", h);
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    @Check(UID)
    void javaAsNobodyCannotAttachCpythonsOwnerOnlyBlock() throws Exception {
        String name = Shm.uniqueName("uidpy");
        try (Peer root = Engine.peer(PY, null, ProcessBuilder.Redirect.INHERIT)) {
            String h = root.ok("create", "name", name, "size", 64).get("handle").getAsString();
            try {
                assertEquals("rw-------", Shm.perms(name));
                Engine.JavaRun java = Engine.runJava("host", Engine.NOBODY, "probe:" + name);
                MatrixRecorder.podJava(java.get("java.version"));
                assertEquals("AccessDeniedException", java.get("probe.error"), java.output);
                assertEquals("EACCES: Permission denied", java.get("probe.reason"), java.output);
                // Control: the host JVM (root) attaches it.
                try (SharedMemory shm = SharedMemory.attach(name)) {
                    assertEquals(64, shm.size());
                }
            } finally {
                root.ok("close", "handle", h);
                root.ok("unlink", "handle", h);
            }
        }
    }
}
