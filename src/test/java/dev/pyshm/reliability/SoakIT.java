package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100,000 create/attach/close/unlink cycles and 10,000 ShareableList cycles in a fresh JVM: open
 * descriptors, mappings in /proc/self/maps, /dev/shm entries and RSS return to their starting
 * values.
 */
class SoakIT {

    @Test
    void hundredThousandCyclesLeaveNothingBehind() throws Exception {
        // No attach listener: a jcmd elsewhere on the machine would otherwise add a socket to the count.
        ChildJvm.Result r = ChildJvm.run(null, Child.class, List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+DisableAttachMechanism"),
                "100000", "10000");
        assertEquals(0, r.exit, r.toString());
        Map<String, Long> v = parse(r.out);
        System.out.println(r.out);
        assertEquals(v.get("fds.before"), v.get("fds.after"), "open descriptors");
        assertEquals(0L, v.get("shmmaps.after"), "no /dev/shm mapping left");
        assertTrue(v.get("maps.after") <= v.get("maps.before") + 16, "mappings: " + r.out);
        assertEquals(v.get("devshm.before"), v.get("devshm.after"), "/dev/shm entries");
        assertTrue(v.get("rss.after") <= v.get("rss.before") + 16 * 1024, "RSS grew by more than 16 MiB: " + r.out);
        Report.row("4a", "Soak", "create(4 KiB) + attach + write/read + close both + unlink; then ShareableList"
                        + " create(10 mixed items) + attach + get/set + close both + unlink, in one JVM (heap fixed at 128 MiB and pre-touched, so RSS shows native memory)",
                v.get("cycles") + " + " + v.get("slcycles") + " cycles",
                "fds " + v.get("fds.before") + " → " + v.get("fds.after") + "; maps " + v.get("maps.before") + " → "
                        + v.get("maps.after") + " (shm maps " + v.get("shmmaps.after") + "); /dev/shm entries "
                        + v.get("devshm.before") + " → " + v.get("devshm.after") + "; RSS " + v.get("rss.before") / 1024
                        + " → " + v.get("rss.after") / 1024 + " MiB; " + v.get("ms") + " ms",
                "nothing");
    }

    static Map<String, Long> parse(String out) {
        Map<String, Long> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.split("=");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                m.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
            }
        }
        return m;
    }

    /** Child: the soak itself, measuring /proc/self before and after. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            int cycles = Integer.parseInt(args[0]);
            int slCycles = Integer.parseInt(args[1]);
            run(2000, 200); // warm up: JIT, class loading, cleaner thread
            settle();
            // Measure once before the baseline: the first NIO file read makes the JDK open its
            // permanent pre-close socketpair (FileDispatcherImpl), which is not ours to count.
            Procfs.mappings();
            Procfs.rssKiB();
            Procfs.devShmEntries();
            long fds = Procfs.openFds();
            List<String> fdList = Procfs.fdTargets();
            long maps = Procfs.mappings();
            long devshm = Procfs.devShmEntries();
            long rss = Procfs.rssKiB();
            long t0 = System.nanoTime();
            run(cycles, slCycles);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            settle();
            System.out.println("cycles=" + cycles);
            System.out.println("slcycles=" + slCycles);
            System.out.println("ms=" + ms);
            System.out.println("fds.before=" + fds);
            if (Procfs.openFds() != fds) {
                System.out.println("fdlist.before=" + fdList);
                System.out.println("fdlist.after=" + Procfs.fdTargets());
            }
            System.out.println("fds.after=" + Procfs.openFds());
            System.out.println("maps.before=" + maps);
            System.out.println("maps.after=" + Procfs.mappings());
            System.out.println("shmmaps.after=" + Procfs.shmMappings());
            System.out.println("devshm.before=" + devshm);
            System.out.println("devshm.after=" + Procfs.devShmEntries());
            System.out.println("rss.before=" + rss);
            System.out.println("rss.after=" + Procfs.rssKiB());
        }

        static void run(int cycles, int slCycles) throws IOException {
            for (int i = 0; i < cycles; i++) {
                try (SharedMemory c = SharedMemory.create(4096); SharedMemory a = SharedMemory.attach(c.name())) {
                    c.buf().putInt(100, i);
                    if (a.buf().getInt(100) != i) {
                        throw new AssertionError("cycle " + i);
                    }
                    c.unlink();
                }
            }
            List<Object> values = Arrays.asList(1L, 2.5, true, null, "héllo", new byte[] {1, 2});
            for (int i = 0; i < slCycles; i++) {
                try (ShareableList c = ShareableList.create(values); ShareableList a = ShareableList.attach(c.shm().name())) {
                    a.set(0, (long) i);
                    if (!c.get(0).equals((long) i) || !"héllo".equals(a.get(4))) {
                        throw new AssertionError("sl cycle " + i);
                    }
                    c.shm().unlink();
                }
            }
        }

        static void settle() throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(100); // the cleaner thread unmaps ranges whose views are gone
            }
        }
    }
}
