package dev.pyshm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.MadeNames;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DumpCommandTest {
    @RegisterExtension
    final MadeNames made = new MadeNames();

    private String name(String tag) {
        return made.name(tag);
    }

    private static byte[] fill(SharedMemory shm, long seed) {
        System.out.println("DumpCommandTest seed=" + seed);
        byte[] data = new byte[(int) shm.size()];
        new Random(seed).nextBytes(data);
        for (int i = 0; i < data.length; i += 7) {
            data[i] = (byte) (' ' + i % 95); // plenty of printable bytes for the ASCII column
        }
        shm.buf().put(0, data);
        return data;
    }

    @ParameterizedTest
    @CsvSource({"100,0,", "100,3,50", "4096,0,", "37,16,21", "200,0,0"})
    void hexOutputIsWhatXxdPrints(int size, int offset, Integer length) throws Exception {
        Path xxd = Path.of("/usr/bin/xxd");
        assumeTrue(Files.isExecutable(xxd), "xxd is not installed, nothing to compare with");
        String n = name("dump");
        try (SharedMemory shm = SharedMemory.create(n, size)) {
            fill(shm, System.nanoTime());
            int len = length != null ? length : size - offset;
            Cli.Run r = length != null ? Cli.run("dump", n, "--offset", "" + offset, "--length", "" + len)
                    : Cli.run("dump", n, "-s", "" + offset);
            assertEquals(0, r.exit, r::toString);
            ChildJvm.Result x = ChildJvm.exec(List.of(xxd.toString(), "-s", "" + offset, "-l", "" + len, Shm.file(n).toString()), 60);
            assertEquals(0, x.exit, x::toString);
            assertEquals(x.out, r.out);
            shm.unlink();
        }
    }

    @Test
    void rawWritesTheBytesThemselves() throws IOException {
        String n = name("dumpraw");
        try (SharedMemory shm = SharedMemory.create(n, (3 << 20) + 5)) {
            byte[] data = fill(shm, System.nanoTime());
            Cli.Run all = Cli.run("dump", "--raw", n);
            assertEquals(0, all.exit, all::toString);
            assertEquals("", all.out);
            assertArrayEquals(data, all.raw);
            Cli.Run window = Cli.run("dump", "--raw", n, "--offset", "1M", "--length", "1048581");
            assertArrayEquals(Arrays.copyOfRange(data, 1 << 20, (1 << 20) + 1048581), window.raw);
            shm.unlink();
        }
    }

    @Test
    void windowsBeyondTwoGibibytesWork() throws IOException {
        String n = name("dumpbig");
        long at = (5L << 29) + 3; // 2.5 GiB + 3, inside a sparse 3 GiB block
        try (SharedMemory shm = SharedMemory.create(n, 3L << 30)) {
            ByteBuffer b = shm.buf(at, 5);
            b.put(0, "pyshm".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Cli.Run r = Cli.run("dump", n, "--offset", Long.toString(at - 3), "--length", "16");
            assertEquals(0, r.exit, r::toString);
            assertEquals("a0000000: 0000 0070 7973 686d 0000 0000 0000 0000  ...pyshm........\n", r.out);
            Cli.Run tail = Cli.run("dump", "--raw", n, "--offset", "3G", "--length", "0");
            assertEquals(0, tail.exit, tail::toString);
            assertEquals(0, tail.raw.length);
            shm.unlink();
        }
    }

    @Test
    void aWindowOutsideTheBlockIsAUsageError() throws IOException {
        String n = name("dumpout");
        try (SharedMemory shm = SharedMemory.create(n, 100)) {
            Cli.Run r = Cli.run("dump", n, "--offset", "90", "--length", "11");
            assertEquals(2, r.exit, r::toString);
            assertEquals("pyshm dump: " + n + ": window outside the block: offset=90 length=11 size=100\n", r.err);
            assertTrue(r.out.isEmpty());
            shm.unlink();
        }
    }

    @Test
    void aMissingBlockExits3() {
        String n = name("dumpmissing");
        Cli.Run r = Cli.run("dump", n);
        assertEquals(3, r.exit, r::toString);
        assertEquals("pyshm dump: " + n + ": ENOENT: No such file or directory\n", r.err);
    }
}
