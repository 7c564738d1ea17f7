package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Access after close never crashes the JVM; descriptors are not held; a block truncated under a
 * live mapping gives {@link InternalError}, not a crash. The risky parts run in a child JVM whose
 * normal exit is the assertion.
 */
public class MemorySafetyTest {

    @Test
    void staleViewsRacingCloseFromEightThreadsNeverCrashTheJvm() throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, StaleViewChild.class, List.of("-Xmx256m"), "200");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("OK rounds=200"), r.toString());
        assertFalse(r.err.contains("SIGSEGV"), r.err);
    }

    @Test
    void shareableListClosedUnderEightThreadsNeverCrashesAndUnmapsAtOnce() throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, ListRaceChild.class, List.of("-Xmx256m"), "60");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("OK rounds=60"), r.toString());
        assertFalse(r.err.contains("SIGSEGV"), r.err);
    }

    @Test
    void fiveThousandBlocksAttachAtOnceUnderUlimit256() throws Exception {
        ChildJvm.Result r = ChildJvm.run("ulimit -n 256", ManyBlocksChild.class, List.of("-Xmx256m"), "5000");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("OK attached=5000"), r.toString());
    }

    @Test
    void truncatedBlockGivesInternalErrorAndTheJvmKeepsWorking() throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, TruncateChild.class, List.of("-Xmx128m"),
                Pythons.newest().toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("InternalError"), r.toString());
        assertTrue(r.out.contains("other block still works"), r.toString());
    }

    /** Child: hammers stale views while close() runs, for many rounds. */
    public static final class StaleViewChild {
        public static void main(String[] args) throws Exception {
            int rounds = Integer.parseInt(args[0]);
            AtomicLong ops = new AtomicLong();
            for (int round = 0; round < rounds; round++) {
                try (SharedMemory owner = SharedMemory.create(1 << 16)) {
                    SharedMemory shm = SharedMemory.attach(owner.name());
                    owner.unlink();
                    List<ByteBuffer> views = new ArrayList<>();
                    views.add(shm.buf());
                    views.add(shm.buf(4096, 8192));
                    views.add(shm.buf().slice(100, 1000));
                    LongBuffer longs = shm.buf().asLongBuffer();
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> threads = startEight(id -> {
                        ByteBuffer v = views.get(id % views.size());
                        long sum = 0;
                        int i = 0;
                        while (!stop.get()) {
                            int idx = (i++ * 8) % (v.capacity() - 8);
                            sum += v.getLong(idx);
                            v.put(idx, (byte) id);
                            sum += longs.get(i % longs.capacity());
                            ops.incrementAndGet();
                        }
                        if (sum == 42) {
                            System.out.print("");
                        }
                    });
                    Thread.sleep(round % 3);
                    shm.close(); // races with the readers and writers
                    Thread.sleep(1);
                    stop.set(true);
                    joinAll(threads);
                    for (ByteBuffer v : views) {
                        v.putLong(0, 1); // after close: private pages
                        if (v.getLong(0) != 1) {
                            throw new AssertionError("stale view write lost on private page");
                        }
                    }
                }
                if (round % 50 == 0) {
                    System.gc(); // lets the cleaners munmap ranges whose views are gone
                }
            }
            System.out.println("OK rounds=" + rounds + " ops=" + ops.get());
        }
    }

    /**
     * Child: 8 threads get, set, put and read the format of a {@link ShareableList} while another
     * thread closes it (the list, or its block directly); each thread must end with the list's
     * "is closed" error and nothing else. Without a {@code buf()} view the block must be unmapped
     * as soon as close returns; with one, the view stays safe and reads zeros.
     */
    public static final class ListRaceChild {
        public static void main(String[] args) throws Exception {
            int rounds = Integer.parseInt(args[0]);
            AtomicLong ops = new AtomicLong();
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                values.add(i % 3 == 0 ? "item " + i : (Object) (long) i);
            }
            for (int round = 0; round < rounds; round++) {
                ShareableList owner = ShareableList.create(values);
                ShareableList sl = ShareableList.attach(owner.shm().name());
                owner.close();
                owner.shm().unlink();
                boolean withView = round % 4 == 3;
                ByteBuffer view = withView ? sl.shm().buf() : null;
                AtomicBoolean failed = new AtomicBoolean();
                List<Thread> threads = startEight(id -> {
                    int i = id;
                    try {
                        while (true) {
                            int idx = (i++ * 7) % 1000;
                            switch (i % 4) {
                                case 0: sl.get(idx); break;
                                case 1: sl.put(idx, idx % 3 == 0 ? "x" + id : (Object) (long) id); break;
                                case 2: sl.set(idx, idx % 3 == 0 ? "y" : (Object) 7L); break;
                                default: if (i % 400 == 3) { sl.format(); } else { sl.get(-1 - idx); }
                            }
                            ops.incrementAndGet();
                        }
                    } catch (IllegalStateException closed) {
                        if (!closed.getMessage().endsWith(" is closed")) {
                            failed.set(true);
                            closed.printStackTrace();
                        }
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        e.printStackTrace();
                    }
                });
                Thread.sleep(round % 3);
                if (round % 2 == 0) {
                    sl.close(); // races with the readers and writers
                } else {
                    sl.shm().close();
                }
                joinAll(threads);
                if (failed.get()) {
                    throw new AssertionError("a thread failed other than with 'is closed' (round " + round + ")");
                }
                boolean mapped = mapsName(sl.shm().osName());
                if (!withView && mapped) {
                    throw new AssertionError("closed list without views is still mapped (round " + round + ")");
                }
                if (withView && view.getLong(0) != 0) {
                    throw new AssertionError("a view after close must read the private zero page");
                }
            }
            System.out.println("OK rounds=" + rounds + " ops=" + ops.get());
        }

        private static boolean mapsName(String osName) throws IOException {
            String needle = "/dev/shm" + osName + " ";
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                if ((line + " ").contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Starts 8 threads running {@code body(id)} and returns once all of them are running. */
    static List<Thread> startEight(IntConsumer body) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                started.countDown();
                body.accept(id);
            });
            th.start();
            threads.add(th);
        }
        started.await();
        return threads;
    }

    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread th : threads) {
            th.join();
        }
    }

    /** Child: attaches N blocks at once; each mapping holds no descriptor. */
    public static final class ManyBlocksChild {
        public static void main(String[] args) throws IOException {
            int n = Integer.parseInt(args[0]);
            List<SharedMemory> created = new ArrayList<>();
            List<SharedMemory> attached = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    SharedMemory c = SharedMemory.create(64);
                    c.buf().putInt(0, i);
                    created.add(c);
                }
                for (SharedMemory c : created) {
                    attached.add(SharedMemory.attach(c.name()));
                }
                for (int i = 0; i < n; i++) {
                    if (attached.get(i).buf().getInt(0) != i) {
                        throw new AssertionError("block " + i);
                    }
                }
                System.out.println("OK attached=" + attached.size());
            } finally {
                for (SharedMemory a : attached) {
                    a.close();
                }
                for (SharedMemory c : created) {
                    c.close();
                    c.unlink();
                }
            }
        }
    }

    /** Child: CPython truncates a block this JVM maps; access past the new end. */
    public static final class TruncateChild {
        public static void main(String[] args) throws Exception {
            try (SharedMemory victim = SharedMemory.create(1 << 16); SharedMemory other = SharedMemory.create(4096)) {
                other.unlink();
                ByteBuffer view = victim.buf();
                view.put(0, (byte) 1);
                String script = String.join("\n",
                        "import os, sys",
                        "from multiprocessing import shared_memory",
                        "shm = shared_memory.SharedMemory(sys.argv[1])",
                        "os.ftruncate(shm._fd, 4096)",
                        "shm.close()",
                        "shm.unlink()",
                        "print(os.path.exists('/dev/shm/' + sys.argv[1]))");
                String out = Py.ok(java.nio.file.Path.of(args[0]), script, victim.name());
                System.out.println("truncated and unlinked by CPython: exists=" + out);
                // JDK 17 delivers the InternalError of a fault in compiled code asynchronously, at a
                // later safepoint of the same thread; count it wherever it lands.
                int faults = 0;
                try {
                    view.get(8192);
                } catch (InternalError e) {
                    faults++;
                    System.out.println("InternalError: " + e.getMessage());
                }
                try {
                    view.put(60000, (byte) 1);
                } catch (InternalError e) {
                    faults++;
                    System.out.println("InternalError on write: " + e.getMessage());
                }
                for (int i = 0; i < 5; i++) {
                    try {
                        Thread.sleep(10);
                    } catch (InternalError e) {
                        faults++;
                        System.out.println("InternalError (delivered late): " + e.getMessage());
                    }
                }
                System.out.println("faults=" + faults);
                view.put(10, (byte) 3); // below the new end: still fine
                other.buf().put(0, (byte) 4);
                if (other.buf().get(0) == 4 && view.get(10) == 3) {
                    System.out.println("other block still works");
                }
            }
        }
    }
}
