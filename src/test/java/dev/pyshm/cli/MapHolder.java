package dev.pyshm.cli;

import dev.pyshm.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process that holds a block (maps it, or only has it open) until closed: CPython through
 * {@code multiprocessing.shared_memory}, or a child JVM through pyshm.
 */
final class MapHolder implements AutoCloseable {
    private static final String PY_MAP = String.join("\n",
            "import os, sys",
            "from multiprocessing import resource_tracker, shared_memory",
            "s = shared_memory.SharedMemory(sys.argv[1])",
            "resource_tracker.unregister(s._name, 'shared_memory')  # not ours to unlink at exit",
            "print('ready', os.getpid(), flush=True)",
            "sys.stdin.read()",
            "s.close()");
    private static final String PY_FD = String.join("\n",
            "import os, sys",
            "fd = os.open('/dev/shm/' + sys.argv[1], os.O_RDONLY)",
            "print('ready', os.getpid(), flush=True)",
            "sys.stdin.read()",
            "os.close(fd)");

    private final Process process;
    final long pid;

    private MapHolder(List<String> cmd) throws IOException {
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException("holder did not get ready: " + cmd + " said " + line);
        }
        pid = Long.parseLong(line.substring("ready ".length()).trim());
    }

    /** CPython maps the block (and keeps its descriptor, as SharedMemory does). */
    static MapHolder python(Path python, String name) throws IOException {
        return new MapHolder(List.of(python.toString(), "-c", PY_MAP, name));
    }

    /** CPython only opens the block's file: a descriptor, no mapping. */
    static MapHolder pythonFdOnly(Path python, String name) throws IOException {
        return new MapHolder(List.of(python.toString(), "-c", PY_FD, name));
    }

    /** A child JVM maps the block through pyshm (which closes the descriptor at once). */
    static MapHolder jvm(String name) throws IOException {
        return new MapHolder(List.of(ChildJvm.java(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HoldMain.class.getName(), name));
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
