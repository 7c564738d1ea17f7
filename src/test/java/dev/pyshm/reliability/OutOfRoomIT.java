package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A full /dev/shm, inside a private mount namespace with a 16 MiB tmpfs over /dev/shm (the host's
 * /dev/shm is never touched): a sparse create succeeds and writing past the free space raises
 * SIGBUS (InternalError); with {@code reserve(true)} the create fails up front with ENOSPC and
 * leaves nothing behind; a {@link ShareableList} too big for the free space fails its create with
 * ENOSPC (its image is written with {@code pwrite}) and leaves nothing behind.
 */
class OutOfRoomIT {

    @Test
    void fullDevShmIsSigbusWithoutReserveAndEnospcWithReserve() throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "--", "sh", "-c",
                "mount -t tmpfs -o size=16m tmpfs /dev/shm && exec \"$@\"", "child",
                ChildJvm.java(), "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), Child.class.getName()));
        ChildJvm.Result r = ChildJvm.exec(cmd, 300);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("sparse create ok"), r.out);
        assertTrue(r.out.contains("SIGBUS as InternalError after"), r.out);
        assertTrue(r.out.contains("reserve: FileSystemException ENOSPC: No space left on device (posix_fallocate)"), r.out);
        assertTrue(r.out.contains("entries after failed reserve: 0"), r.out);
        assertTrue(r.out.contains("reserve 8 MiB ok"), r.out);
        assertTrue(r.out.contains("list: FileSystemException ENOSPC: No space left on device (pwrite)"), r.out);
        assertTrue(r.out.contains("entries after failed list: 0"), r.out);
        Report.row("3a", "Out of room", "inside `unshare -m` with a 16 MiB tmpfs over /dev/shm: create 64 MiB sparse and"
                        + " write every page; then create 64 MiB with reserve(true) (posix_fallocate); then a"
                        + " ShareableList of two 9.5 MB bytes items",
                "1 each", "sparse: SIGBUS at the first page past the free space → InternalError, JVM continues;"
                        + " reserve: FileSystemException `ENOSPC: No space left on device (posix_fallocate)`; 8 MiB with"
                        + " reserve works; the list: FileSystemException `ENOSPC: No space left on device (pwrite)`",
                "nothing (the failed creates left 0 entries; the host's /dev/shm untouched)");
    }

    /** Child: runs with a 16 MiB private /dev/shm. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (SharedMemory sparse = SharedMemory.create("sparse", 64 << 20)) {
                System.out.println("sparse create ok: " + sparse);
                ByteBuffer b = sparse.buf();
                int page = 0;
                try {
                    for (; page < (64 << 20) / 4096; page++) {
                        b.put(page * 4096, (byte) 1);
                    }
                    System.out.println("no SIGBUS?!");
                } catch (InternalError e) {
                    System.out.println("SIGBUS as InternalError after " + page + " pages: " + e.getMessage());
                }
                drainLateInternalError();
                sparse.unlink();
            }
            drainLateInternalError();
            try (SharedMemory r = SharedMemory.create("reserved", 64 << 20, SharedMemory.Options.defaults().reserve(true))) {
                System.out.println("reserve unexpectedly succeeded " + r);
                r.unlink();
            } catch (FileSystemException e) {
                System.out.println("reserve: " + e.getClass().getSimpleName() + " " + e.getReason());
            }
            try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
                System.out.println("entries after failed reserve: " + s.count());
            }
            try (SharedMemory r = SharedMemory.create("reserved8", 8 << 20, SharedMemory.Options.defaults().reserve(true))) {
                r.buf().put((8 << 20) - 1, (byte) 1);
                System.out.println("reserve 8 MiB ok");
                r.unlink();
            }
            byte[] big = new byte[9_500_000];
            try (ShareableList l = ShareableList.create("biglist", List.of(big, big))) {
                System.out.println("list unexpectedly succeeded " + l.shm());
                l.shm().unlink();
            } catch (FileSystemException e) {
                System.out.println("list: " + e.getClass().getSimpleName() + " " + e.getReason());
            }
            try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
                System.out.println("entries after failed list: " + s.count());
            }
        }

        private static void drainLateInternalError() throws IOException {
            // JDK 17 may deliver the InternalError of a compiled access a little later.
            for (int i = 0; i < 5; i++) {
                try {
                    Thread.sleep(5);
                } catch (InternalError late) {
                    System.out.println("SIGBUS as InternalError after (late delivery): " + late.getMessage());
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
