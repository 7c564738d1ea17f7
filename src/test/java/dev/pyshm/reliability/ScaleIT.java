package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 20,000 blocks attached at once under ulimit -n 256; a 4 GiB block read end to end with -Xmx64m. */
class ScaleIT {

    @Test
    void twentyThousandBlocksAttachedAtOnceUnderUlimit256() throws Exception {
        ChildJvm.Result r = ChildJvm.run("ulimit -n 256", ManyChild.class, List.of("-Xmx256m"), "20000");
        assertEquals(0, r.exit, r.toString());
        Map<String, Long> v = SoakIT.parse(r.out);
        assertEquals(20000L, v.get("attached"));
        assertEquals(0L, v.get("left"));
        Report.row("5a", "Scale: descriptors", "20,000 blocks created and 20,000 attached, all mapped at once, under"
                        + " `ulimit -n 256`; each verified, then closed and unlinked",
                "40,000 mappings", "all attached and verified; peak open fds " + v.get("maxfds") + "; "
                        + v.get("ms") + " ms", "nothing (0 entries left)");
    }

    @Test
    void fourGibBlockReadEndToEndWithA64MiBHeap() throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, BigChild.class, List.of("-Xmx64m"));
        assertEquals(0, r.exit, r.toString());
        Map<String, Long> v = SoakIT.parse(r.out);
        assertEquals(v.get("expected"), v.get("sum"), r.out);
        Report.row("5b", "Scale: size", "a 4 GiB + 16 B block (sparse, markers every 64 MiB) read end to end through"
                        + " 64 MiB buf(offset, length) windows with getLong, in a JVM with -Xmx64m",
                "1 × 4 GiB", "sum of all words matches the markers; heap never held the data; " + v.get("ms") + " ms",
                "nothing");
    }

    /** Child: many blocks at once. */
    public static final class ManyChild {
        public static void main(String[] args) throws IOException {
            int n = Integer.parseInt(args[0]);
            long t0 = System.nanoTime();
            List<SharedMemory> made = new ArrayList<>(n);
            List<SharedMemory> attached = new ArrayList<>(n);
            long maxFds = 0;
            try {
                for (int i = 0; i < n; i++) {
                    SharedMemory c = SharedMemory.create(64);
                    c.buf().putInt(0, i);
                    made.add(c);
                }
                for (int i = 0; i < n; i++) {
                    attached.add(SharedMemory.attach(made.get(i).name()));
                    if (i % 1000 == 0) {
                        maxFds = Math.max(maxFds, Procfs.openFds());
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (attached.get(i).buf().getInt(0) != i) {
                        throw new AssertionError("block " + i);
                    }
                }
                System.out.println("attached=" + attached.size());
                System.out.println("maxfds=" + maxFds);
            } finally {
                for (SharedMemory a : attached) {
                    a.close();
                }
                for (SharedMemory c : made) {
                    c.close();
                    c.unlink();
                }
            }
            long left = 0;
            for (SharedMemory c : made) {
                if (java.nio.file.Files.exists(java.nio.file.Path.of("/dev/shm", c.name()))) {
                    left++;
                }
            }
            System.out.println("left=" + left);
            System.out.println("ms=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Child: a 4 GiB block read through windows. */
    public static final class BigChild {
        public static void main(String[] args) throws IOException {
            long size = (4L << 30) + 16;
            int window = 64 << 20;
            long t0 = System.nanoTime();
            try (SharedMemory shm = SharedMemory.create(size)) {
                shm.unlink();
                long expected = 0;
                for (long off = 0; off + 8 <= size; off += window) {
                    shm.buf(off, 8).putLong(0, off + 1);
                    expected += off + 1;
                }
                shm.buf(size - 8, 8).putLong(0, 7);
                expected += 7;
                long sum = 0;
                for (long off = 0; off < size; off += window) {
                    int len = (int) Math.min(window, size - off);
                    ByteBuffer b = shm.buf(off, len);
                    for (int i = 0; i + 8 <= len; i += 8) {
                        sum += b.getLong(i);
                    }
                }
                System.out.println("expected=" + expected);
                System.out.println("sum=" + sum);
            }
            System.out.println("ms=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
