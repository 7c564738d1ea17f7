package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DemoCommandTest {
    private static final Pattern ROW = Pattern.compile(
            " *(\\d+) +(\\d+) +(psm_[0-9a-f]{8}) +1 MiB +[0-9.]+ MB/s +[0-9.]+ MB/s +([0-9a-f]{8}) +ok");
    private static final Pattern NAME = Pattern.compile("psm_[0-9a-f]{8}");

    static List<Path> pythons() {
        return Pythons.all();
    }

    private static String version(Path python) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c", "import platform; print(platform.python_version())").start();
        String v = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        return v;
    }

    /** Checks the whole report and that none of the blocks it names still exists. */
    private static void assertReport(Cli.Run r, String version, int workers) {
        assertEquals(0, r.exit, r::toString);
        assertEquals("", r.err, "quiet when not on a terminal, and no resource tracker warnings");
        List<String> lines = r.out.lines().toList();
        assertTrue(lines.get(0).startsWith("pyshm demo: " + workers + " CPython " + version + " worker"), r::toString);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            Matcher m = ROW.matcher(lines.get(2 + i));
            assertTrue(m.matches(), () -> "row: " + r.out);
            assertEquals(Integer.toString(i), m.group(1));
            names.add(m.group(3));
        }
        long minor = Long.parseLong(version.split("\\.")[1]);
        String layout = version.startsWith("3.8.") ? "3.8" : "3.9+";
        assertTrue(r.out.contains("(layout " + layout + "), made by Java, edited in place by worker 1 (CPython " + version + "):\n"
                + "  Java wrote:   [7, 2.5, True, None, 'hello from Java', b'java']\n"
                + "  Python made:  [42, 5.0, False, " + minor + ", 'CPython " + version + "', b'cpython']\n"), r::toString);
        Matcher list = Pattern.compile("ShareableList (psm_[0-9a-f]{8})").matcher(r.out);
        assertTrue(list.find());
        names.add(list.group(1));
        assertTrue(r.out.endsWith("cleanup: " + (workers + 1) + " blocks made (" + workers + " by the workers, 1 by Java), "
                + "each unlinked by its creator; none left in /dev/shm\n"), r::toString);
        for (String n : names) {
            assertFalse(Shm.exists(n), n + " must be gone");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythons")
    void runsWithEveryCPython(Path python) throws Exception {
        Cli.Run r = Cli.run("demo", "--python", python.toString(), "--size", "1M");
        assertReport(r, version(python), 2);
    }

    @Test
    void runsWithPython3FromThePathByDefault() throws Exception {
        Cli.Run r = Cli.run("demo", "--size", "1M", "--workers", "3");
        assertReport(r, version(Path.of("python3")), 3);
    }

    @Test
    void aWorkerThatCrashesIsNamedAndEveryBlockIsRemoved() throws Exception {
        Cli.Run r = Cli.run("demo", "--python", Pythons.newest().toString(), "--size", "1M", "--workers", "3", "--crash-worker", "2");
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.err.matches("(?s)(.*\n)?pyshm demo: worker 2 \\(pid \\d+\\) was killed by SIGKILL (before it said 'filled'"
                + "|while worker \\d was expected to say '\\w+')\n.*"), r::toString);
        String summary = r.err.lines().filter(l -> l.startsWith("pyshm demo: stopped all workers; ")).findFirst().orElseThrow();
        assertTrue(summary.endsWith("and none left in /dev/shm"), summary);
        Matcher m = NAME.matcher(summary);
        int found = 0;
        while (m.find()) {
            found++;
            assertFalse(Shm.exists(m.group()), m.group() + " must be gone");
        }
        assertEquals(3, found, "all three workers had created their blocks: " + summary);
        assertTrue(summary.contains("3 block(s) made"), summary);
    }

    @Test
    void aMissingInterpreterExits3() {
        Cli.Run r = Cli.run("demo", "--python", "/nonexistent/python3");
        assertEquals(3, r.exit, r::toString);
        assertTrue(r.err.startsWith("pyshm demo: cannot start /nonexistent/python3: Cannot run program"), r::toString);
        assertTrue(r.err.contains("0 block(s) made and none left in /dev/shm"), r::toString);
    }

    @Test
    void aCPythonWithoutSharedMemoryFailsClearly() {
        Path py37 = Path.of(System.getProperty("user.home"), ".pyenv/versions/3.7.16/bin/python3");
        assumeTrue(Files.isExecutable(py37), "no CPython 3.7 (without multiprocessing.shared_memory) installed here");
        Cli.Run r = Cli.run("demo", "--python", py37.toString(), "--size", "1M");
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.err.matches("(?s)(.*\n)?pyshm demo: worker \\d \\(pid \\d+\\) exited with status 1 "
                + "(before it said 'hello'|while worker \\d was expected to say 'hello'): "
                + "pyshm demo needs CPython 3.8\\+ \\(multiprocessing.shared_memory\\); this is CPython 3.7.16\n.*"), r::toString);
    }

    @Test
    void badSizesAndCountsAreUsageErrors() {
        assertEquals(2, Cli.run("demo", "--size", "12").exit);
        assertEquals(2, Cli.run("demo", "--workers", "0").exit);
        Cli.Run r = Cli.run("demo", "--size", "1001");
        assertEquals("pyshm demo: --size must be a positive multiple of 8 (the workers write int64): size=1001\n", r.err);
    }
}
