package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed with SIGKILL while it holds tracked blocks: its shutdown hook cannot run, so the
 * blocks remain; {@code pyshm gc} (the real jar) then removes exactly those no process maps.
 */
class KilledJvmIT {

    @Test
    void killedJvmLeavesItsBlocksAndGcRemovesExactlyTheUnmappedOnes() throws Exception {
        String prefix = Shm.uniqueName("killed") + "_";
        List<String> names = new ArrayList<>();
        Process jvm = new ProcessBuilder(ChildJvm.java(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), prefix, "4")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Peer peer = Peer.start(Pythons.newest())) {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 4; i++) {
                names.add(out.readLine());
            }
            // A CPython process maps two of them (and keeps its tracker out of it).
            for (String n : names.subList(0, 2)) {
                peer.ok("attach", "name", n, "unregister", true);
            }
            jvm.destroyForcibly();
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, jvm.exitValue());
            for (String n : names) {
                assertTrue(Shm.exists(n), "SIGKILL skips the shutdown hook: " + n + " must remain");
            }
            List<String> gc = new ArrayList<>(List.of("gc", "--prefix", prefix));
            gc.addAll(uninspectable());
            ChildJvm.Result r = pyshm(gc);
            assertEquals(0, r.exit, r.toString());
            assertTrue(Shm.exists(names.get(0)) && Shm.exists(names.get(1)), "mapped blocks must survive gc: " + r);
            assertFalse(Shm.exists(names.get(2)) || Shm.exists(names.get(3)), "unmapped blocks must be removed: " + r);
            assertTrue(r.out.contains(names.get(2)) && r.out.contains(names.get(3)), r.out);
            peer.ok("exit");
        } finally {
            jvm.destroyForcibly();
        }
        List<String> gc = new ArrayList<>(List.of("gc", "--prefix", prefix));
        gc.addAll(uninspectable());
        long deadline = System.currentTimeMillis() + 20_000;
        while ((Shm.exists(names.get(0)) || Shm.exists(names.get(1))) && System.currentTimeMillis() < deadline) {
            assertEquals(0, pyshm(gc).exit); // once the peer's mapping is gone, gc removes them too
            Thread.sleep(200);
        }
        for (String n : names) {
            assertFalse(Shm.exists(n), n);
        }
        Report.row("2a", "Own fault: JVM killed", "a JVM holding 4 tracked blocks is SIGKILLed while a CPython process"
                        + " maps 2 of them; then `java -jar pyshm.jar gc --prefix …`",
                "1 kill, 4 blocks", "all 4 remain after the kill (no shutdown hook); gc removes exactly the 2 unmapped,"
                        + " and the other 2 once CPython lets go", "nothing that a process still mapped");
    }

    private static List<String> uninspectable() throws Exception {
        ChildJvm.Result r = pyshm(List.of("ls", "--json", "--prefix", "pyshmtest_no_such_prefix_"));
        List<String> args = new ArrayList<>();
        for (JsonElement u : JsonParser.parseString(r.out).getAsJsonObject().getAsJsonArray("uninspected")) {
            args.add("--ignore-pid");
            args.add(u.getAsJsonObject().get("pid").getAsString());
        }
        return args;
    }

    private static ChildJvm.Result pyshm(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "--enable-native-access=ALL-UNNAMED", "-jar",
                System.getProperty("pyshm.jar", "target/pyshm.jar")));
        cmd.addAll(args);
        return ChildJvm.exec(cmd, 120);
    }

    /** Child: creates tracked blocks, prints their names, waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws IOException, InterruptedException {
            List<SharedMemory> held = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                SharedMemory shm = SharedMemory.create(args[0] + i, 4096);
                held.add(shm);
                System.out.println(shm.name());
            }
            System.out.flush();
            Thread.sleep(600_000);
            held.forEach(SharedMemory::close);
        }
    }
}
