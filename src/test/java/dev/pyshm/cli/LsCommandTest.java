package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LsCommandTest {
    private static final String PREFIX = Shm.uniqueName("ls") + "_";
    private static int counter;

    private static String name(String tag) {
        return PREFIX + tag + (++counter);
    }

    private static JsonObject block(JsonArray blocks, String name) {
        for (JsonElement e : blocks) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " not in " + blocks);
    }

    private static List<Long> pids(JsonObject block) {
        List<Long> out = new ArrayList<>();
        block.getAsJsonArray("holders").forEach(h -> out.add(h.getAsJsonObject().get("pid").getAsLong()));
        return out;
    }

    @AfterEach
    void removeWhatATestLeft() throws IOException {
        try (var s = Files.list(Shm.DIR)) {
            s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> Shm.remove(p.getFileName().toString()));
        }
    }

    @Test
    void listsSizeOwnerModeAndTimeAsStatSaysInASortedTable() throws IOException {
        String b = name("b");
        String a = name("a");
        try (SharedMemory x = SharedMemory.create(b, 5000, SharedMemory.Options.defaults().mode(0640));
                SharedMemory y = SharedMemory.create(a, 1, SharedMemory.Options.defaults())) {
            Cli.Run r = Cli.run("ls", "--prefix", PREFIX);
            assertEquals(0, r.exit, r::toString);
            List<String> lines = r.out.lines().toList();
            assertEquals(3, lines.size(), r::toString);
            assertTrue(lines.get(0).matches("NAME +SIZE +OWNER +MODE +MODIFIED +PIDS"), lines.get(0));
            assertTrue(lines.get(1).startsWith(a + " ") && lines.get(2).startsWith(b + " "), "sorted by name:\n" + r.out);
            Path file = Shm.file(b);
            Map<String, Object> st = Files.readAttributes(file, "unix:uid,owner,lastModifiedTime");
            String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                    .format(Files.getLastModifiedTime(file).toInstant());
            String owner = st.get("owner") + "(" + st.get("uid") + ")";
            String self = ProcessHandle.current().pid() + "/" + Files.readString(Path.of("/proc/self/comm")).strip();
            assertEquals(b + "  5000  " + owner + "  0640 -rw-r-----  " + when + "  " + self,
                    lines.get(2).replaceAll(" {2,}", "  "));
            assertTrue(lines.get(1).contains("0600 -rw------- "), lines.get(1));
            x.unlink();
            y.unlink();
        }
    }

    @Test
    void showsEveryProcessThatMapsABlockCPythonAndJava() throws IOException {
        String n = name("held");
        try (SharedMemory shm = SharedMemory.create(n, 4096)) {
            try (MapHolder py = MapHolder.python(Pythons.newest(), n); MapHolder jvm = MapHolder.jvm(n)) {
                JsonObject o = block(Cli.run("ls", "--json", "--prefix", PREFIX).json().getAsJsonArray("blocks"), n);
                long self = ProcessHandle.current().pid();
                List<Long> pids = pids(o);
                assertTrue(pids.contains(py.pid) && pids.contains(jvm.pid) && pids.contains(self), o::toString);
                assertEquals(pids.stream().sorted().toList(), pids, "holders are sorted by pid");
                Cli.Run table = Cli.run("ls", "--prefix", PREFIX);
                assertTrue(table.out.contains(py.pid + "/python3"), table::toString);
                assertTrue(table.out.contains(jvm.pid + "/java"), table::toString);
            }
            shm.close();
            JsonObject after = block(Cli.run("ls", "--json", "--prefix", PREFIX).json().getAsJsonArray("blocks"), n);
            assertEquals(List.of(), pids(after), "nobody maps it any more");
            shm.unlink();
        }
    }

    @Test
    void aProcessHoldingOnlyADescriptorIsShownAsFd() throws IOException {
        String n = name("fd");
        try (SharedMemory shm = SharedMemory.create(n, 4096)) {
            shm.close();
            try (MapHolder fd = MapHolder.pythonFdOnly(Pythons.newest(), n)) {
                JsonObject o = block(Cli.run("ls", "--json", "--prefix", PREFIX).json().getAsJsonArray("blocks"), n);
                JsonArray holders = o.getAsJsonArray("holders");
                assertEquals(1, holders.size(), o::toString);
                assertEquals(fd.pid, holders.get(0).getAsJsonObject().get("pid").getAsLong());
                assertEquals("fd", holders.get(0).getAsJsonObject().get("how").getAsString());
                Cli.Run table = Cli.run("ls", "--prefix", PREFIX);
                assertTrue(table.out.lines().anyMatch(l -> l.startsWith(n + " ") && l.matches(".* " + fd.pid + "/\\S+\\[fd\\]$")),
                        table::toString);
            }
            shm.unlink();
        }
    }

    @Test
    void symbolicLinksAreShownAsSuchNeverFollowed() throws IOException {
        String target = name("target");
        String link = name("link");
        try (SharedMemory shm = SharedMemory.create(target, 4096)) {
            Files.createSymbolicLink(Shm.file(link), Path.of(target));
            try {
                Cli.Run r = Cli.run("ls", "--prefix", PREFIX);
                assertTrue(r.out.lines().anyMatch(l -> l.startsWith(link + " -> " + target + " ") && l.contains(" 0777 lrwxrwxrwx ")),
                        r::toString);
                JsonObject o = block(Cli.run("ls", "--json", "--prefix", PREFIX).json().getAsJsonArray("blocks"), link);
                assertEquals("symlink", o.get("type").getAsString());
                assertEquals(target, o.get("target").getAsString());
                assertEquals(target.length(), o.get("size").getAsLong(), "lstat size: the length of the link's text");
            } finally {
                Files.delete(Shm.file(link));
            }
            shm.unlink();
        }
    }

    @Test
    void unlinkedButMappedBlocksAreListedSeparately() throws IOException {
        String n = name("gone");
        try (SharedMemory shm = SharedMemory.create(n, 8192)) {
            shm.unlink();
            Cli.Run r = Cli.run("ls", "--prefix", PREFIX);
            String self = Long.toString(ProcessHandle.current().pid());
            int section = r.out.indexOf("unlinked but still mapped or open");
            assertTrue(section > 0, r::toString);
            assertTrue(r.out.substring(section).lines().anyMatch(l -> l.startsWith(n + " (deleted) ") && l.contains(self + "/")),
                    r::toString);
            assertFalse(r.out.substring(0, section).contains(n), "not among the linked blocks");
            JsonObject json = Cli.run("ls", "--json", "--prefix", PREFIX).json();
            JsonObject o = block(json.getAsJsonArray("unlinked"), n);
            assertTrue(o.get("deleted").getAsBoolean());
            assertTrue(pids(o).contains(ProcessHandle.current().pid()), o::toString);
            long size = o.get("size").isJsonNull() ? o.get("mapped_extent").getAsLong() : o.get("size").getAsLong();
            assertEquals(8192, size, o::toString);
        }
        JsonObject json = Cli.run("ls", "--json", "--prefix", PREFIX).json();
        for (JsonElement e : json.getAsJsonArray("unlinked")) {
            assertFalse(e.getAsJsonObject().get("name").getAsString().equals(n), "gone once unmapped");
        }
    }

    @Test
    void defaultIsGeneratedNamesOnlyAllShowsEveryName() throws IOException {
        String explicit = name("explicit");
        try (SharedMemory generated = SharedMemory.create(4096); SharedMemory named = SharedMemory.create(explicit, 4096)) {
            Cli.Run dflt = Cli.run("ls");
            assertTrue(dflt.out.contains(generated.name() + " "), dflt::toString);
            assertFalse(dflt.out.contains(explicit), dflt::toString);
            Cli.Run all = Cli.run("ls", "--all");
            assertTrue(all.out.contains(generated.name() + " ") && all.out.contains(explicit + " "), all::toString);
            generated.unlink();
            named.unlink();
        }
    }

    @Test
    void emptyListingSaysSo() {
        Cli.Run r = Cli.run("ls", "--prefix", PREFIX + "nothing_");
        assertEquals(0, r.exit);
        assertEquals("no blocks (names starting with '" + PREFIX + "nothing_')", r.out.strip());
    }

    @Test
    void everyProcessReportedAsUninspectedReallyCannotBeRead() {
        JsonObject json = Cli.run("ls", "--json", "--prefix", PREFIX).json();
        assertTrue(json.get("processes").getAsInt() > 1, json::toString);
        for (JsonElement e : json.getAsJsonArray("uninspected")) {
            long pid = e.getAsJsonObject().get("pid").getAsLong();
            Path maps = Path.of("/proc", Long.toString(pid), "maps");
            if (Files.exists(maps, LinkOption.NOFOLLOW_LINKS)) {
                assertThrows(AccessDeniedException.class, () -> Files.readAllBytes(maps), () -> "pid " + pid);
            }
        }
        Cli.Run table = Cli.run("ls", "--prefix", PREFIX);
        assertEquals(json.getAsJsonArray("uninspected").size() > 0, table.err.contains("could not be inspected"), table::toString);
    }
}
