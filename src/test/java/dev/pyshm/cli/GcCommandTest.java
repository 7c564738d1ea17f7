package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gc only ever runs with {@code --prefix} set to names this test made: a plain {@code gc} could
 * remove other people's blocks on a shared machine.
 */
class GcCommandTest {
    private final String prefix = Shm.uniqueName("gc") + "_";

    private String orphan(String tag) throws IOException {
        String n = prefix + tag;
        SharedMemory.create(n, 4096, SharedMemory.Options.defaults().track(false)).close();
        return n;
    }

    private Cli.Run gc(String... extra) {
        return Cli.run(Cli.args(Cli.ignoreUninspectable(), concat(new String[] {"gc", "--prefix", prefix}, extra)));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @AfterEach
    void removeWhatATestLeft() throws IOException {
        try (var s = Files.list(Shm.DIR)) {
            s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> Shm.remove(p.getFileName().toString()));
        }
    }

    @Test
    void neverRemovesABlockThatAProcessMapsOrHoldsOpen() throws IOException {
        String byPython = orphan("python");
        String byJvm = orphan("jvm");
        String byFd = orphan("fd");
        String bySelf = orphan("self");
        String alone = orphan("alone");
        try (MapHolder py = MapHolder.python(Pythons.newest(), byPython); MapHolder jvm = MapHolder.jvm(byJvm);
                MapHolder fd = MapHolder.pythonFdOnly(Pythons.newest(), byFd); SharedMemory self = SharedMemory.attach(bySelf)) {
            Cli.Run r = gc();
            assertEquals(0, r.exit, r::toString);
            assertEquals(List.of("removed " + alone + " (4096 bytes, unchanged for 0s)",
                    "gc: removed 1 of 5 blocks (names starting with '" + prefix + "'); kept 4 mapped or open"),
                    r.out.lines().map(l -> l.replaceAll("unchanged for \\d+s", "unchanged for 0s")).toList(), r::toString);
            assertFalse(Shm.exists(alone));
            for (String held : List.of(byPython, byJvm, byFd, bySelf)) {
                assertTrue(Shm.exists(held), held + " is held and must survive gc");
            }
        }
        Cli.Run after = gc();
        assertEquals(0, after.exit, after::toString);
        for (String released : List.of(byPython, byJvm, byFd, bySelf)) {
            assertTrue(after.out.contains("removed " + released + " ("), after::toString);
            assertFalse(Shm.exists(released), released + " is an orphan now");
        }
    }

    @Test
    void dryRunRemovesNothing() throws IOException {
        String n = orphan("dry");
        Cli.Run r = gc("--dry-run");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("would remove " + n + " (4096 bytes, unchanged for "), r::toString);
        assertTrue(r.out.contains("gc: would remove 1 of 1 blocks"), r::toString);
        assertTrue(Shm.exists(n));
    }

    @Test
    void olderThanLeavesRecentlyChangedBlocksAlone() throws Exception {
        String n = orphan("young");
        Cli.Run young = gc("--older-than", "1h");
        assertEquals(0, young.exit, young::toString);
        assertEquals("gc: removed 0 of 1 blocks (names starting with '" + prefix + "'); kept 0 mapped or open, 1 changed within 1h00m\n",
                young.out);
        assertTrue(Shm.exists(n));
        Thread.sleep(2100);
        Cli.Run old = gc("--older-than", "2s");
        assertEquals(0, old.exit, old::toString);
        assertTrue(old.out.startsWith("removed " + n + " (4096 bytes, unchanged for "), old::toString);
        assertFalse(Shm.exists(n));
    }

    @Test
    void symbolicLinksAreNeverRemoved() throws IOException {
        String link = prefix + "link";
        Files.createSymbolicLink(Shm.file(link), Path.of(prefix + "nowhere"));
        Cli.Run r = gc();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("gc: removed 0 of 1 blocks"), r::toString);
        assertTrue(Files.isSymbolicLink(Shm.file(link)));
        Files.delete(Shm.file(link));
    }

    @Test
    void refusesToRemoveAnythingWhenAProcessCannotBeInspected() throws IOException {
        List<String> ignore = Cli.ignoreUninspectable();
        assumeFalse(ignore.isEmpty(), "this JVM can inspect every process here; CliIT tests the refusal as user nobody");
        String n = orphan("refused");
        Cli.Run r = Cli.run("gc", "--prefix", prefix);
        assertEquals(4, r.exit, r::toString);
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("pyshm gc: refusing to remove anything: " + ignore.size() / 2 + " of "), r::toString);
        assertTrue(r.err.contains("  " + ignore.get(1) + " ("), "names the process: " + r);
        assertTrue(Shm.exists(n));
    }
}
