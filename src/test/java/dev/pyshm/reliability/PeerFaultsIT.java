package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A misbehaving CPython peer never brings the JVM down and never costs Java its mapping. */
class PeerFaultsIT {

    @Test
    void cpythonWriterKilledMidWriteWhileJavaReads() throws Exception {
        int rounds = 20;
        long reads = 0;
        for (int round = 0; round < rounds; round++) {
            String name = Shm.uniqueName("killed");
            try (SharedMemory shm = SharedMemory.create(name, 16 << 20)) {
                try {
                    // The writer stamps an increasing counter into every 8-byte word, page after page.
                    String script = String.join("\n",
                            "import sys, struct",
                            "from multiprocessing import resource_tracker",
                            "from multiprocessing.shared_memory import SharedMemory",
                            "shm = SharedMemory(sys.argv[1])",
                            "resource_tracker.unregister(shm._name, 'shared_memory')",
                            "print('ready', flush=True)",
                            "n = 0",
                            "while True:",
                            "    n += 1",
                            "    for off in range(0, len(shm.buf), 4096):",
                            "        struct.pack_into('q', shm.buf, off, n)");
                    Process p = new ProcessBuilder(Pythons.newest().toString(), "-c", script, name)
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("ready", out.readLine());
                    ByteBuffer b = shm.buf();
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + round * 10L);
                    long last = 0;
                    while (System.nanoTime() < deadline) {
                        for (int off = 0; off < b.capacity(); off += 4096) {
                            long v = b.getLong(off);
                            assertTrue(v >= 0, "torn or garbage word " + v);
                            last = Math.max(last, v);
                            reads++;
                        }
                    }
                    p.destroyForcibly(); // SIGKILL mid-write
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(137, p.exitValue());
                    for (int off = 0; off < b.capacity(); off += 4096) {
                        long v = b.getLong(off);
                        assertTrue(v >= 0 && v <= last + 2, "word after the kill: " + v);
                    }
                    b.putLong(0, -1);
                    assertEquals(-1, SharedMemory.attach(name).buf().getLong(0), "block and mapping still work");
                    assertTrue(Shm.exists(name), "the killed attacher must not have removed Java's block");
                } finally {
                    shm.unlink();
                }
            }
        }
        Report.row("1a", "Peer fault: writer killed", "CPython writer stamping a 16 MiB Java-created block"
                        + " SIGKILLed mid-write while Java reads it in a loop",
                rounds + " kills, " + reads + " page reads", "no crash, no torn 8-byte word, block and mapping intact",
                "nothing");
    }

    @Test
    void cpythonTruncatesAMappedBlock() throws Exception {
        int runs = 0;
        for (String jvm : List.of("compiled", "interpreted")) {
            List<String> opts = jvm.equals("interpreted") ? List.of("-Xint") : List.of();
            ChildJvm.Result r = ChildJvm.run(null, dev.pyshm.MemorySafetyTest.TruncateChild.class, opts,
                    Pythons.newest().toString());
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.out.contains("InternalError"), r.toString());
            assertTrue(r.out.contains("other block still works"), r.toString());
            runs++;
        }
        Report.row("1b", "Peer fault: truncation", "CPython ftruncates a 64 KiB Java-mapped block to 4 KiB and"
                        + " unlinks it; Java reads and writes beyond the new end",
                runs + " JVMs (JIT and -Xint)", "SIGBUS becomes InternalError; the JVM, the mapping below the end and"
                        + " another block keep working", "nothing (the truncation itself is the peer's doing)");
    }

    @Test
    void cpythonAttacherExitingUnlinksTheNameButNotJavasMapping() throws Exception {
        List<String> seen = new ArrayList<>();
        for (Path python : Pythons.all()) {
            String name = Shm.uniqueName("tracker");
            try (SharedMemory shm = SharedMemory.create(name, 4096); Peer peer = Peer.start(python)) {
                shm.buf().put(0, (byte) 42);
                boolean tracks = !peer.version().startsWith("3.13") && !peer.version().startsWith("3.14");
                JsonObject att = tracks ? peer.ok("attach", "name", name) : peer.ok("attach", "name", name, "track", true);
                peer.ok("close", "handle", att.get("handle").getAsString());
                peer.ok("exit");
                peer.close();
                waitGone(name, 10_000);
                assertFalse(Shm.exists(name), peer.version() + ": its resource tracker unlinks the attached block at exit");
                assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(name));
                assertEquals(42, shm.buf().get(0), "Java's mapping keeps working");
                shm.buf().put(1, (byte) 43);
                assertEquals(43, shm.buf().get(1));
                seen.add(peer.version());
            } finally {
                Shm.remove(name);
            }
        }
        assertFalse(seen.isEmpty());
        Report.row("1c", "Peer fault: tracker unlink", "a CPython attacher (3.8–3.12 default; 3.13 track=True) of a"
                        + " Java-created block closes and exits; its resource tracker unlinks the name",
                seen.size() + " interpreters: " + String.join(", ", seen),
                "name gone, re-attach gives NoSuchFileException, Java's mapping still reads and writes",
                "the name only (CPython's documented behaviour, gh-82300); no data");
    }

    static void waitGone(String name, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (Shm.exists(name) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
