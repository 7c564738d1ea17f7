package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.MadeNames;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InfoCommandTest {
    @RegisterExtension
    final MadeNames made = new MadeNames();

    private String name(String tag) {
        return made.name(tag);
    }

    static List<Path> pythons() {
        return Pythons.all();
    }

    private static String field(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow(() -> new AssertionError(key + " in\n" + out))
                .substring(key.length() + 1).strip();
    }

    @Test
    void showsTheBlocksFieldsAndThatItIsAJavaMadeShareableList() throws IOException {
        String n = name("info");
        try (ShareableList sl = ShareableList.create(n, Arrays.asList(1L, 2.5, "hi", null, true))) {
            Cli.Run r = Cli.run("info", n);
            assertEquals(0, r.exit, r::toString);
            assertEquals(n, field(r.out, "name"));
            assertEquals("/dev/shm/" + n, field(r.out, "path"));
            assertEquals("file", field(r.out, "type"));
            assertEquals(sl.shm().size() + " bytes (" + sl.shm().size() + " B)", field(r.out, "size"));
            assertEquals("0600 -rw-------", field(r.out, "mode"));
            assertTrue(field(r.out, "pids").startsWith(ProcessHandle.current().pid() + "/"), r::toString);
            assertEquals("yes, layout 3.9+ (PY39), 5 items, format '" + sl.format() + "'", field(r.out, "ShareableList"));
            sl.shm().unlink();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythons")
    void recognisesTheShareableListsOfEveryCPython(Path python) throws Exception {
        String n = name("infopy");
        String format = Py.ok(python, String.join("\n",
                "import sys",
                "from multiprocessing import resource_tracker, shared_memory",
                "sl = shared_memory.ShareableList([1, 2.5, 'hi', None, True, b'xy'], name=sys.argv[1])",
                "resource_tracker.unregister(sl.shm._name, 'shared_memory')  # Java unlinks it",
                "print(sl.format)",
                "sl.shm.close()"), n);
        try {
            String layout = python.toString().contains("/3.8.") ? "3.8 (PY38)" : "3.9+ (PY39)";
            Cli.Run r = Cli.run("info", n);
            assertEquals("yes, layout " + layout + ", 6 items, format '" + format + "'", field(r.out, "ShareableList"), r::toString);
            JsonObject list = JsonObjectOf(Cli.run("info", "--json", n)).getAsJsonObject("shareable_list");
            assertEquals(format, list.get("format").getAsString());
            assertEquals(6, list.get("length").getAsInt());
        } finally {
            SharedMemory.unlink(n);
        }
    }

    private static JsonObject JsonObjectOf(Cli.Run r) {
        assertEquals(0, r.exit, r::toString);
        return r.json();
    }

    @Test
    void aBlockThatIsNotAListSaysWhyInTheLibrarysWords() throws IOException {
        String n = name("infonot");
        try (SharedMemory shm = SharedMemory.create(n, 64)) {
            ByteBuffer b = shm.buf();
            for (int i = 0; i < 64; i++) {
                b.put(i, (byte) 0xff);
            }
            IllegalStateException why = assertThrows(IllegalStateException.class, () -> ShareableList.attach(n));
            Cli.Run r = Cli.run("info", n);
            assertEquals(0, r.exit, r::toString);
            assertEquals("no, " + why.getMessage(), field(r.out, "ShareableList"));
            JsonObject j = JsonObjectOf(Cli.run("info", "--json", n));
            assertEquals(false, j.getAsJsonObject("shareable_list").get("valid").getAsBoolean());
            assertEquals(why.getMessage(), j.getAsJsonObject("shareable_list").get("reason").getAsString());
            assertEquals(64, j.getAsJsonObject("block").get("size").getAsLong());
            shm.unlink();
        }
    }

    @Test
    void aMissingBlockIsOneStderrLineAndExitCode3() {
        String n = name("infomissing");
        Cli.Run r = Cli.run("info", n);
        assertEquals(3, r.exit, r::toString);
        assertEquals("", r.out);
        assertEquals("pyshm info: " + n + ": ENOENT: No such file or directory\n", r.err);
    }

    @Test
    void aNameWithASlashInsideIsAUsageError() {
        Cli.Run r = Cli.run("info", "a/b");
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.startsWith("pyshm info: a/b: not a shared memory name"), r::toString);
    }
}
