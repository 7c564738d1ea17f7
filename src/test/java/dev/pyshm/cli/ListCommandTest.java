package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.MadeNames;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ListCommandTest {
    @RegisterExtension
    final MadeNames made = new MadeNames();

    private String name(String tag) {
        return made.name(tag);
    }

    private static final String VALUES = "[-2**63, 2**63 - 1, 0, 2.5, -0.0, 1e16, 1e-5, float('inf'), float('nan'), "
            + "True, False, None, '', 'it\\'s', 'say \"hi\"', 'tab\\tnl\\n\\x7f', 'é€', '😀', b'', b'\\x00\\xffq\\'', b'\"']";

    static List<Path> pythons() {
        return Pythons.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythons")
    void printsWhatCPythonPrintsForItsOwnList(Path python) throws Exception {
        String n = name("list");
        try {
            String repr = Py.ok(python, String.join("\n",
                "import sys",
                "from multiprocessing import resource_tracker, shared_memory",
                "sl = shared_memory.ShareableList(" + VALUES + ", name=sys.argv[1])",
                "resource_tracker.unregister(sl.shm._name, 'shared_memory')  # Java unlinks it",
                "sys.stdout.write(repr(list(sl)) + '\\n')",
                "sl.shm.close()"), n);
            Cli.Run r = Cli.run("list", n);
            assertEquals(0, r.exit, r::toString);
            assertEquals(repr + "\n", r.out);
            SharedMemory.unlink(n);
        } finally {
            Shm.remove(n);
        }
    }

    @Test
    void jsonKeepsEveryTypeApart() throws IOException {
        String n = name("listjson");
        List<Object> values = Arrays.asList(7L, 2.5, 1e16, Double.NaN, Double.NEGATIVE_INFINITY, true, null, "é\n\"", new byte[] {0, -1, 'a'});
        try (ShareableList sl = ShareableList.create(n, values)) {
            Cli.Run r = Cli.run("list", "--json", n);
            assertEquals(0, r.exit, r::toString);
            assertEquals("[7,2.5,1e+16,{\"float\":\"nan\"},{\"float\":\"-inf\"},true,null,\"é\\n\\\"\",{\"bytes\":\"00ff61\"}]\n",
                    r.out, "floats keep Python's repr");
            JsonArray a = JsonParser.parseString(r.out).getAsJsonArray();
            assertEquals(values.size(), a.size());
            assertEquals("é\n\"", a.get(7).getAsString());
            sl.shm().unlink();
        }
    }

    @Test
    void aBlockThatIsNotAListExits1WithTheReason() throws IOException {
        String n = name("listnot");
        try (SharedMemory shm = SharedMemory.create(n, 16)) {
            shm.buf().putLong(0, 1000);
            Cli.Run r = Cli.run("list", n);
            assertEquals(1, r.exit, r::toString);
            assertTrue(r.err.startsWith("pyshm list: " + n + ": not a ShareableList: "), r::toString);
            assertEquals(1, r.err.lines().count(), r::toString);
            shm.unlink();
        }
    }

    @Test
    void aMissingBlockExits3() {
        String n = name("listmissing");
        Cli.Run r = Cli.run("list", n);
        assertEquals(3, r.exit, r::toString);
        assertEquals("pyshm list: " + n + ": ENOENT: No such file or directory\n", r.err);
    }
}
