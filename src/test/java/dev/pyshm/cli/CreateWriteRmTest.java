package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.MadeNames;
import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateWriteRmTest {
    @RegisterExtension
    final MadeNames made = new MadeNames();

    private String name(String tag) {
        return made.name(tag);
    }

    @Test
    void aCreatedBlockOutlivesTheJvmThatCreatedIt() throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, Main.class, List.of(), "create", "64K");
        assertEquals(0, r.exit, r::toString);
        String n = r.out.strip();
        made.remember(n);
        assertTrue(n.matches("psm_[0-9a-f]{8}"), r::toString);
        assertEquals("", r.err, "no tracker warning: the block is not tracked");
        assertTrue(Shm.exists(n), "still there after the JVM exited");
        assertEquals(65536, Files.size(Shm.file(n)));
        String seen = Py.ok(Pythons.newest(), String.join("\n",
                "import sys",
                "from multiprocessing import resource_tracker, shared_memory",
                "s = shared_memory.SharedMemory(sys.argv[1])",
                "resource_tracker.unregister(s._name, 'shared_memory')",
                "print(s.size)",
                "s.close()"), n);
        assertEquals("65536", seen);
        Cli.Run rm = Cli.run("rm", n);
        assertEquals(0, rm.exit, rm::toString);
        assertEquals("removed " + n + "\n", rm.out);
        assertFalse(Shm.exists(n));
    }

    @ParameterizedTest
    @CsvSource({"4096,4096", "64K,65536", "1M,1048576", "1G,1073741824"})
    void createTakesSizesWithSuffixes(String size, long bytes) throws IOException {
        String n = name("create");
        Cli.Run r = Cli.run("create", "--name", n, size);
        assertEquals(0, r.exit, r::toString);
        assertEquals(n + "\n", r.out);
        assertEquals(bytes, Files.size(Shm.file(n)));
        SharedMemory.unlink(n);
    }

    @Test
    void createAppliesTheMode() throws IOException {
        String n = name("mode");
        Cli.Run r = Cli.run("create", "--name", n, "--mode", "0640", "4096");
        assertEquals(0, r.exit, r::toString);
        assertEquals("rw-r-----", Shm.perms(n));
        SharedMemory.unlink(n);
    }

    @Test
    void creatingAnExistingNameExits5AndLeavesItAlone() throws IOException {
        String n = name("exists");
        try (SharedMemory shm = SharedMemory.create(n, 100)) {
            shm.buf().put(0, (byte) 42);
            Cli.Run r = Cli.run("create", "--name", n, "4096");
            assertEquals(5, r.exit, r::toString);
            assertEquals("pyshm create: " + n + ": EEXIST: File exists\n", r.err);
            assertEquals(100, Files.size(Shm.file(n)));
            assertEquals(42, shm.buf().get(0));
            shm.unlink();
        }
    }

    @Test
    void writeCopiesStandardInputAtTheOffset() throws IOException {
        String n = name("write");
        try (SharedMemory shm = SharedMemory.create(n, 3 << 20)) {
            byte[] data = new byte[(2 << 20) + 17]; // more than one 1 MiB step
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            Cli.Run r = Cli.runWithInput(data, "write", n, "--offset", "1000");
            assertEquals(0, r.exit, r::toString);
            assertEquals("wrote " + data.length + " bytes to " + n + " at offset 1000\n", r.out);
            byte[] back = new byte[data.length];
            shm.buf(1000, data.length).get(back);
            assertArrayEquals(data, back);
            assertEquals(0, shm.buf().get(999), "nothing before the offset");
            shm.unlink();
        }
    }

    @Test
    void inputLongerThanTheBlockFillsItAndFailsWithExit1() throws IOException {
        String n = name("writelong");
        try (SharedMemory shm = SharedMemory.create(n, 10)) {
            Cli.Run r = Cli.runWithInput("0123456789ABC".getBytes(StandardCharsets.US_ASCII), "write", n, "--offset", "4");
            assertEquals(1, r.exit, r::toString);
            assertEquals("pyshm write: " + n + ": input is longer than the block: wrote 6 bytes at offset 4 up to its end"
                    + " (size 10), the rest of the input was not written\n", r.err);
            byte[] back = new byte[10];
            shm.buf().get(back);
            assertArrayEquals(("\0\0\0\0" + "012345").getBytes(StandardCharsets.US_ASCII), back);
            shm.unlink();
        }
    }

    @Test
    void writeToAMissingBlockExits3() {
        String n = name("writemissing");
        Cli.Run r = Cli.runWithInput(new byte[] {1}, "write", n);
        assertEquals(3, r.exit, r::toString);
        assertEquals("pyshm write: " + n + ": ENOENT: No such file or directory\n", r.err);
    }

    @Test
    void rmReportsEachNameAndKeepsGoing() throws IOException {
        String a = name("rma");
        String missing = name("rmmissing");
        String b = name("rmb");
        SharedMemory.create(a, 10, SharedMemory.Options.defaults().track(false)).close();
        SharedMemory.create(b, 10, SharedMemory.Options.defaults().track(false)).close();
        Cli.Run r = Cli.run("rm", a, missing, b);
        assertEquals(3, r.exit, "the only failure was a missing name: " + r);
        assertEquals("removed " + a + "\nremoved " + b + "\n", r.out);
        assertEquals("pyshm rm: " + missing + ": ENOENT: No such file or directory\n", r.err);
        assertFalse(Shm.exists(a) || Shm.exists(b));
    }

    @Test
    void rmWithDifferentFailuresExits1() {
        String missing = name("rmmissing");
        Cli.Run r = Cli.run("rm", missing, "a/b", "x\0y");
        assertEquals(1, r.exit, r::toString);
        List<String> lines = Arrays.asList(r.err.split("\n"));
        assertEquals(3, lines.size(), r::toString);
        assertEquals("pyshm rm: " + missing + ": ENOENT: No such file or directory", lines.get(0));
        assertTrue(lines.get(1).startsWith("pyshm rm: a/b: "), r::toString);
        assertTrue(lines.get(2).startsWith("pyshm rm: 'x\\x00y': embedded null character"), r::toString);
    }
}
