package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.ForOtherUsers;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged command, run as users run it: {@code java -jar target/pyshm.jar ...} and {@code bin/pyshm}. */
class CliIT {
    private static final Path JAR = Path.of(System.getProperty("pyshm.jar", "target/pyshm.jar"));
    private static final Path PROJECT = Path.of(System.getProperty("pyshm.projectDir", "."));
    private static final Pattern SHM_MAP = Pattern.compile("/dev/shm/(psm_[0-9a-f]{8})");
    private final String prefix = Shm.uniqueName("it") + "_";

    private static List<String> jar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-jar", JAR.toString()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static ChildJvm.Result run(List<String> cmd) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package first");
        return ChildJvm.exec(cmd, 300);
    }

    private static ChildJvm.Result runWithInput(String input, List<String> cmd) throws Exception {
        File in = File.createTempFile("pyshm-it", ".in");
        try {
            Files.writeString(in.toPath(), input);
            List<String> sh = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" < \"$0\"", in.toString()));
            sh.addAll(cmd);
            return ChildJvm.exec(sh, 120);
        } finally {
            in.delete();
        }
    }

    @AfterEach
    void removeWhatATestLeft() throws IOException {
        try (var s = Files.list(Shm.DIR)) {
            s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> Shm.remove(p.getFileName().toString()));
        }
    }

    @Test
    void helpAndVersion() throws Exception {
        ChildJvm.Result help = run(jar("--help"));
        assertEquals(0, help.exit, help::toString);
        assertTrue(help.out.startsWith("Usage: pyshm [-hV] [COMMAND]") && help.out.contains("Exit codes:"), help::toString);
        ChildJvm.Result version = run(jar("--version"));
        assertEquals(0, version.exit, version::toString);
        assertTrue(version.out.startsWith("pyshm 0."), version::toString);
        assertEquals("", version.err, "no JNA or native-access warnings");
    }

    @Test
    void createWriteDumpInfoListLsRmThroughTheJar() throws Exception {
        String n = prefix + "tour";
        ChildJvm.Result create = run(jar("create", "--name", n, "4K"));
        assertEquals(0, create.exit, create::toString);
        assertEquals(n + "\n", create.out);
        assertTrue(Shm.exists(n), "the block outlives the JVM that made it");
        ChildJvm.Result write = runWithInput("hello, shared memory", jar("write", n, "--offset", "16"));
        assertEquals(0, write.exit, write::toString);
        ChildJvm.Result dump = run(jar("dump", n, "--offset", "16", "--length", "20"));
        assertEquals("00000010: 6865 6c6c 6f2c 2073 6861 7265 6420 6d65  hello, shared me\n"
                + "00000020: 6d6f 7279                                mory\n", dump.out, dump::toString);
        ChildJvm.Result raw = run(jar("dump", "--raw", n, "-s", "16", "-l", "5"));
        assertEquals("hello", raw.out);
        ChildJvm.Result info = run(jar("info", n));
        assertEquals(0, info.exit, info::toString);
        assertTrue(info.out.contains("size:      4096 bytes (4 KiB)"), info::toString);
        ChildJvm.Result ls = run(jar("ls", "--prefix", prefix));
        assertTrue(ls.out.lines().anyMatch(l -> l.startsWith(n + "  4096  ")), ls::toString);
        ChildJvm.Result empty = run(jar("list", n));
        assertEquals("[]\n", empty.out, "8 zero bytes at the start read as an empty list, as in CPython: " + empty);
        assertEquals(0, runWithInput("garbage!", jar("write", n)).exit);
        ChildJvm.Result list = run(jar("list", n));
        assertEquals(1, list.exit, "not a list any more: " + list);
        assertTrue(list.err.startsWith("pyshm list: " + n + ": not a ShareableList: "), list::toString);
        ChildJvm.Result rm = run(jar("rm", n, n));
        assertEquals(3, rm.exit, rm::toString);
        assertEquals("removed " + n + "\n", rm.out);
        assertEquals("pyshm rm: " + n + ": ENOENT: No such file or directory\n", rm.err);
        assertFalse(Shm.exists(n));
    }

    @Test
    void binPyshmFindsTheJarFromAnywhere() throws Exception {
        Path launcher = PROJECT.resolve("bin/pyshm").toAbsolutePath();
        ChildJvm.Result r = ChildJvm.exec(List.of("sh", "-c", "cd / && \"$0\" ls --prefix \"$1\"", launcher.toString(), prefix), 120);
        assertEquals(0, r.exit, r::toString);
        assertEquals("no blocks (names starting with '" + prefix + "')\n", r.out);
    }

    /** The README's command, verbatim: python3 from PATH, the defaults (2 workers, 64 MiB). */
    @Test
    void demoAsTheReadmeRunsIt() throws Exception {
        ChildJvm.Result r = run(jar("demo"));
        System.out.println("--- java -jar target/pyshm.jar demo\n" + r.out + r.err);
        assertEquals(0, r.exit, r::toString);
        assertEquals("", r.err, r::toString);
        assertTrue(r.out.contains("\n     1  ") && r.out.contains("\n     2  ") && r.out.contains("64 MiB"), r::toString);
        assertTrue(r.out.endsWith("each unlinked by its creator; none left in /dev/shm\n"), r::toString);
        Matcher m = Pattern.compile("psm_[0-9a-f]{8}").matcher(r.out);
        int names = 0;
        while (m.find()) {
            names++;
            assertFalse(Shm.exists(m.group()), m.group());
        }
        assertEquals(3, names, r::toString);
    }

    /** Starts a demo whose workers hold their new blocks for a minute, and waits until both exist. */
    private static final class HeldDemo {
        final Process demo;
        final Path err;
        final List<ProcessHandle> workers = new ArrayList<>();
        final Set<String> blocks = new TreeSet<>();

        HeldDemo() throws Exception {
            err = Files.createTempFile("pyshm-demo", ".err");
            // exec through CPython, which resets SIGINT to the default: a JVM started from a
            // non-interactive shell may inherit SIG_IGN for it and would then ignore Ctrl-C.
            List<String> cmd = new ArrayList<>(List.of(Pythons.newest().toString(), "-c",
                    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"));
            cmd.addAll(jar("demo", "--python", Pythons.newest().toString(), "--size", "1M", "--hold-ms", "60000"));
            demo = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (blocks.size() < 2) {
                assertTrue(System.nanoTime() < deadline, "workers did not create their blocks: " + Files.readString(err));
                assertTrue(demo.isAlive(), () -> "demo ended early: " + read(err));
                Thread.sleep(100);
                workers.clear();
                blocks.clear();
                demo.descendants().forEach(p -> {
                    Set<String> mapped = mappedBlocks(p.pid());
                    if (!mapped.isEmpty() && p.info().command().orElse("").contains("python")) {
                        workers.add(p);
                        blocks.addAll(mapped);
                    }
                });
            }
        }

        static Set<String> mappedBlocks(long pid) {
            try {
                Matcher m = SHM_MAP.matcher(Files.readString(Path.of("/proc/" + pid + "/maps"), StandardCharsets.ISO_8859_1));
                Set<String> out = new TreeSet<>();
                while (m.find()) {
                    out.add(m.group(1));
                }
                return out;
            } catch (IOException gone) {
                return Set.of();
            }
        }

        int waitForExit() throws Exception {
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "demo did not end");
            return demo.exitValue();
        }

        void assertAllGone() throws Exception {
            for (String b : blocks) {
                assertFalse(Shm.exists(b), b + " left behind");
            }
            for (ProcessHandle w : workers) {
                w.onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void demoCleansUpWhenAWorkerIsKilledFromOutside() throws Exception {
        HeldDemo d = new HeldDemo();
        ProcessHandle victim = d.workers.get(1);
        victim.destroyForcibly(); // SIGKILL
        int exit = d.waitForExit();
        String err = Files.readString(d.err);
        assertEquals(1, exit, err);
        assertTrue(err.contains(") was killed by SIGKILL"), err);
        assertTrue(err.contains("(pid " + victim.pid() + ") was killed by SIGKILL"), err);
        assertTrue(err.contains("and none left in /dev/shm"), err);
        d.assertAllGone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void demoCleansUpOnCtrlCAndSigterm(String signal) throws Exception {
        HeldDemo d = new HeldDemo();
        ChildJvm.Result kill = ChildJvm.exec(List.of("kill", "-" + signal, Long.toString(d.demo.pid())), 30);
        assertEquals(0, kill.exit, kill::toString);
        int exit = d.waitForExit();
        String err = Files.readString(d.err);
        assertEquals(signal.equals("INT") ? 130 : 143, exit, err);
        assertTrue(err.contains("pyshm demo: interrupted; stopped the workers and removed every block the demo made\n"), err);
        d.assertAllGone();
    }

    @Test
    void asAnUnprivilegedUserGcRefusesAndAccessErrorsExit4() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the jar as user nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to switch users");
        String n = prefix + "nobody";
        assertEquals(0, run(jar("create", "--name", n, "4K")).exit);
        Path readable = ForOtherUsers.copy(List.of(JAR)); // the checkout may sit in a 0700 directory
        try {
            asNobody(readable.resolve(JAR.getFileName()).toString(), n);
        } finally {
            ForOtherUsers.delete(readable);
        }
        assertEquals(0, run(jar("rm", n)).exit);
    }

    private void asNobody(String jarCopy, String n) throws Exception {
        List<String> asNobody = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "--", ChildJvm.java(), "-jar", jarCopy));
        List<String> gc = new ArrayList<>(asNobody);
        gc.addAll(List.of("gc", "--prefix", prefix));
        ChildJvm.Result r = ChildJvm.exec(gc, 120);
        assertEquals(4, r.exit, r::toString);
        assertTrue(r.err.startsWith("pyshm gc: refusing to remove anything: "), r::toString);
        assertTrue(Shm.exists(n), "an unmapped-looking block survives: nobody cannot see who maps it");
        List<String> dump = new ArrayList<>(asNobody);
        dump.add("dump");
        dump.add(n);
        ChildJvm.Result d = ChildJvm.exec(dump, 120);
        assertEquals(4, d.exit, d::toString);
        assertEquals("pyshm dump: " + n + ": EACCES: Permission denied\n", d.err);
        List<String> ls = new ArrayList<>(asNobody);
        ls.addAll(List.of("ls", "--prefix", prefix));
        ChildJvm.Result l = ChildJvm.exec(ls, 120);
        assertEquals(0, l.exit, l::toString);
        assertTrue(l.out.lines().anyMatch(x -> x.startsWith(n + " ") && x.endsWith("  ?")), l::toString);
        assertTrue(l.err.contains("processes could not be inspected"), l::toString);
    }
}
