package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code track}: a block this JVM created is unlinked at JVM exit if still linked, with one warning
 * line; attached blocks are left alone; both switchable; a re-created name is not touched.
 */
class TrackingTest {

    @Test
    void createdBlockIsUnlinkedAtExitWithOneWarningLine() throws Exception {
        String name = Shm.uniqueName("track");
        ChildJvm.Result r = ChildJvm.run(null, Child.class, List.of(), "create", name, "default");
        assertEquals(0, r.exit, r.toString());
        assertFalse(Shm.exists(name), "tracked block must be unlinked at exit");
        List<String> lines = r.err.lines().filter(l -> l.contains("pyshm")).toList();
        assertEquals(1, lines.size(), r.err);
        assertTrue(lines.get(0).contains("'" + name + "'"), lines.get(0));
    }

    @Test
    void trackFalseLeavesTheCreatedBlockAndPrintsNothing() throws Exception {
        String name = Shm.uniqueName("notrack");
        try {
            ChildJvm.Result r = ChildJvm.run(null, Child.class, List.of(), "create", name, "false");
            assertEquals(0, r.exit, r.toString());
            assertTrue(Shm.exists(name));
            assertEquals("", r.err.strip());
        } finally {
            Shm.remove(name);
        }
    }

    @Test
    void attachedBlockIsNeverUnlinkedByDefaultButCanBeTracked() throws Exception {
        String name = Shm.uniqueName("attached");
        try (SharedMemory shm = SharedMemory.create(name, 8)) {
            ChildJvm.Result r = ChildJvm.run(null, Child.class, List.of(), "attach", name, "default");
            assertEquals(0, r.exit, r.toString());
            assertTrue(Shm.exists(name), "an attached block must survive the attacher's exit");
            r = ChildJvm.run(null, Child.class, List.of(), "attach", name, "true");
            assertEquals(0, r.exit, r.toString());
            assertFalse(Shm.exists(name), "track(true) on attach unlinks at exit");
        }
    }

    @Test
    void unlinkedBlockIsNotReportedAndARecreatedNameIsLeftAlone() throws Exception {
        String name = Shm.uniqueName("recreated");
        try {
            ChildJvm.Result r = ChildJvm.run(null, Child.class, List.of(), "recreate", name, "default");
            assertEquals(0, r.exit, r.toString());
            assertTrue(Shm.exists(name), "the block another process re-created must survive: " + r);
            assertFalse(r.err.contains("pyshm"), r.err);
        } finally {
            Shm.remove(name);
        }
    }

    @Test
    void explicitlyUnlinkedBlockIsForgotten() throws IOException {
        try (SharedMemory shm = SharedMemory.create(8)) {
            shm.unlink();
            assertFalse(dev.pyshm.internal.Tracker.isTracked(dev.pyshm.internal.ShmName.of(shm.name())));
        }
    }

    /** Child: creates or attaches with a track setting, then exits without unlinking. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            SharedMemory.Options o = SharedMemory.Options.defaults();
            if (!args[2].equals("default")) {
                o = o.track(Boolean.parseBoolean(args[2]));
            }
            switch (args[0]) {
                case "create":
                    SharedMemory.create(args[1], 8, o).close();
                    break;
                case "attach":
                    SharedMemory.attach(args[1], o).close();
                    break;
                case "recreate":
                    SharedMemory.create(args[1], 8, o).close();
                    // Another process unlinks it and makes a new object under the same name.
                    java.nio.file.Files.delete(Shm.file(args[1]));
                    java.nio.file.Files.write(Shm.file(args[1]), new byte[8]);
                    break;
                default:
                    throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
